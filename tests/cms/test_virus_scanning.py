"""Virus scanning of asset files (cms.scanning): every upload path, quarantine, publish and download refused.

Unit tests talk to ``tests/cms/fake_clamd.py``, a real TCP server speaking clamd's protocol (a fake of
the external daemon); tests/integration/test_virus_scanning.py runs the same paths against real clamd.
"""

from io import StringIO

from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest

from cms.factories import AssetFactory
from cms.models import Asset, AssetVersion, FileScan
from cms.models.content import FileNotCleared
from cms.scanning.clamd import ClamdClient, ScannerUnavailable, parse_reply
from cms.storage import private_storage
from partners.factories import StaffUserFactory
from tests.cms.fake_clamd import EICAR, FakeClamd
from tests.cms.reports import assert_report_queries_do_not_grow

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% price list\n"


def scan_of(asset) -> FileScan:
    return FileScan.objects.get(name=asset.file.name)


def add(client, content, *, name="notes.txt", owner=None, action=None):
    data = {"title": "Uploaded", "asset_type": "document", "file": SimpleUploadedFile(name, content)}
    if owner:
        data["owner"] = owner.pk
    if action:
        data[action] = "1"
    return client.post(reverse("wagtailsnippets_cms_asset:add"), data)


# --- the client --------------------------------------------------------------------------------


def test_the_client_speaks_instream(clamd):
    client = ClamdClient(clamd.url)
    assert client.ping()
    assert client.scan(ContentFile(PDF)).status == "clean"
    verdict = client.scan(ContentFile(b"prefix " + EICAR))
    assert (verdict.status, verdict.signature) == ("infected", "Eicar-Test-Signature")
    assert clamd.scanned[-1] == b"prefix " + EICAR  # the bytes went over the socket: no shared file system


def test_the_client_says_when_the_daemon_is_down_or_cannot_scan(clamd_down):
    with pytest.raises(ScannerUnavailable):
        ClamdClient(clamd_down).scan(ContentFile(PDF))
    assert parse_reply("INSTREAM size limit exceeded. ERROR\0").status == "error"
    with pytest.raises(ValueError, match="tcp://host:port"):
        ClamdClient("clamd.example:3310")


# --- admin uploads: add and replace ------------------------------------------------------------


def test_an_infected_upload_in_the_admin_is_quarantined_and_people_are_told(
    superuser_client, admin_user, clamd, django_capture_on_commit_callbacks
):
    owner = StaffUserFactory(email="owner@vendor.test")

    with django_capture_on_commit_callbacks(execute=True):  # people are told once the upload is committed
        response = add(superuser_client, EICAR, owner=owner)

    assert response.status_code == 302
    asset = Asset.objects.get(title="Uploaded")
    scan = scan_of(asset)
    assert (scan.status, scan.signature, scan.uploaded_by) == ("infected", "Eicar-Test-Signature", admin_user)
    assert scan.object_id == asset.pk
    assert not private_storage().exists(asset.file.name)  # moved out of where readers look
    with private_storage().open(scan.quarantine_name, "rb") as kept:
        assert kept.read() == EICAR
    assert scan.quarantine_name.startswith("quarantine/")
    [message] = mail.outbox
    assert sorted(message.to) == ["admin@example.test", "owner@vendor.test"]
    assert "Eicar-Test-Signature" in message.subject and "Uploaded" in message.body

    edit = superuser_client.get(reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk])).content.decode()
    assert "Infected: Eicar-Test-Signature" in edit and "quarantined" in edit
    listing = superuser_client.get(reverse("wagtailsnippets_cms_asset:list")).content.decode()
    assert "Infected: Eicar-Test-Signature" in listing
    report = superuser_client.get(reverse("cms_reports:file_scans"))
    assert report.status_code == 200
    assert scan.name in report.content.decode() and "Uploaded" in report.content.decode()


def test_publishing_an_infected_upload_is_refused_with_the_reason(superuser_client, clamd):
    response = add(superuser_client, EICAR, action="action-publish")

    assert response.status_code == 302
    asset = Asset.objects.get(title="Uploaded")
    assert asset.live is False and not asset.versions.exists()
    messages = [str(m.message) for m in response.wsgi_request._messages]
    assert any("saved as a draft but not published" in m and "infected" in m for m in messages)


def test_a_clean_upload_publishes(superuser_client, clamd):
    add(superuser_client, b"Prices, plain text.\n", action="action-publish")

    asset = Asset.objects.get(title="Uploaded")
    assert scan_of(asset).status == "clean" and asset.live
    assert AssetVersion.objects.servable().filter(asset=asset).count() == 1


def test_replacing_the_file_of_a_live_asset_with_an_infected_one(superuser_client, clamd):
    asset = AssetFactory(title="Deck", live=False)
    asset.save_revision().publish()

    response = superuser_client.post(
        reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk]),
        {
            "title": "Deck",
            "asset_type": "document",
            "file": SimpleUploadedFile("deck-v2.txt", EICAR),
            "version_note": "New figures",
            "action-publish": "1",
        },
    )

    assert response.status_code == 302
    draft = Asset.objects.get(pk=asset.pk).get_latest_revision_as_object()
    assert FileScan.objects.get(name=draft.file.name).status == "infected"
    live = Asset.objects.get(pk=asset.pk)
    assert live.file.name == asset.file.name  # partners keep the clean version
    assert list(live.versions.values_list("number", flat=True)) == [1]
    with pytest.raises(FileNotCleared, match="infected"):
        live.get_latest_revision().publish()  # the workflow, the importer, code: refused at the model too


# --- scanner down: pending, nothing served, re-scan clears -------------------------------------


def test_a_file_stored_while_the_scanner_is_down_is_pending_and_served_nowhere(
    client, gold_partner_user, settings, clamd_down
):
    asset = AssetFactory(live=True)  # stored and (in code) made live while the scanner is down
    assert scan_of(asset).status == "pending"
    assert "unavailable" in scan_of(asset).detail
    assert not AssetVersion.objects.servable().exists()

    response = client.get(f"/api/v1/assets/{asset.pk}/download", **gold_partner_user.headers)

    assert response.status_code == 409
    assert "waiting for its virus scan" in response.json()["detail"]
    client.force_login(gold_partner_user.user)
    portal = client.get(reverse("home:library_download", args=[asset.pk]))
    assert portal.status_code == 409 and b"virus check" in portal.content
    with pytest.raises(FileNotCleared, match="waiting for its virus scan"):
        asset.save_revision().publish()


def test_the_rescan_command_clears_pending_files_when_the_scanner_is_back(
    client, gold_partner_user, settings, clamd_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asset = AssetFactory(live=False)
        infected = AssetFactory(live=False, file=ContentFile(EICAR, name="eicar.txt"), owner=StaffUserFactory())
    with pytest.raises(CommandError, match="unavailable"):
        call_command("rescan_files", "--no-progress", stdout=StringIO(), stderr=StringIO())
    assert scan_of(asset).status == "pending"

    server = FakeClamd()
    settings.CLAMAV_URL = server.url
    try:
        out = StringIO()
        call_command("rescan_files", "--no-progress", stdout=out, stderr=StringIO())
    finally:
        server.stop()

    assert "Clean: 1, infected (quarantined): 1" in out.getvalue()
    assert scan_of(asset).status == "clean"
    assert (scan_of(infected).status, scan_of(infected).signature) == ("infected", "Eicar-Test-Signature")
    assert len(mail.outbox) == 1 and infected.owner.email in mail.outbox[0].to
    asset.save_revision().publish()
    response = client.get(f"/api/v1/assets/{asset.pk}/download", **gold_partner_user.headers)
    assert response.status_code == 200


def test_the_beat_task_and_the_backfill_scan_files_stored_before_scanning_was_on(settings, clamd):
    settings.CLAMAV_URL = ""
    asset = AssetFactory()
    FileScan.objects.all().delete()  # as if stored before this feature
    settings.CLAMAV_URL = clamd.url
    assert not AssetVersion.objects.servable().exists()

    from cms.tasks import rescan_files

    counts = rescan_files.delay().get()

    assert counts["clean"] >= 1
    assert scan_of(asset).status == "clean"
    assert "rescan-files" in settings.CELERY_BEAT_SCHEDULE


def test_with_scanning_off_files_are_recorded_unscanned_and_served(client, gold_partner_user, settings):
    settings.CLAMAV_URL = ""
    asset = AssetFactory(live=False)
    asset.save_revision().publish()
    assert scan_of(asset).status == "unscanned"
    assert client.get(f"/api/v1/assets/{asset.pk}/download", **gold_partner_user.headers).status_code == 200


# --- the importer ------------------------------------------------------------------------------


def import_manifest(tmp_path, content: bytes, state: str):
    import json

    StaffUserFactory(email="editor@vendor.test")
    (tmp_path / "files").mkdir(exist_ok=True)
    (tmp_path / "files" / "notes.txt").write_bytes(content)
    entry = {"key": "a1", "title": "Notes", "type": "document", "file": "files/notes.txt", "state": state}
    entry["owner"] = "editor@vendor.test"
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"assets": [entry]}))
    call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())


def test_the_importer_refuses_an_infected_file_and_imports_nothing(tmp_path, clamd):
    with pytest.raises(CommandError) as excinfo:
        import_manifest(tmp_path, EICAR, "draft")
    assert "assets[0] (key 'a1'): file: the file is infected (Eicar-Test-Signature)" in str(excinfo.value)
    assert "nothing was imported" in str(excinfo.value)
    assert not Asset.objects.exists()


def test_the_importer_refuses_to_make_a_pending_file_live(tmp_path, clamd_down):
    with pytest.raises(CommandError, match="cannot go live: This file is waiting for its virus scan"):
        import_manifest(tmp_path, b"Plain notes\n", "live")
    assert not Asset.objects.exists()


def test_the_importer_makes_a_clean_file_live(tmp_path, clamd):
    import_manifest(tmp_path, b"Plain notes\n", "live")
    asset = Asset.objects.get(key="a1")
    assert asset.live and scan_of(asset).status == "clean"


def test_with_scanning_off_the_report_lists_only_what_cannot_be_served(superuser_client, settings):
    settings.CLAMAV_URL = ""
    served, infected = AssetFactory(title="Stored unscanned"), AssetFactory(title="Found infected earlier")
    FileScan.objects.filter(name=infected.file.name).update(object_id=infected.pk, status="infected")
    FileScan.objects.filter(name=served.file.name).update(object_id=served.pk)

    html = superuser_client.get(reverse("cms_reports:file_scans")).content.decode()

    assert "Found infected earlier" in html
    assert "Stored unscanned" not in html  # downloadable while scanning is off: nothing to report


@pytest.mark.parametrize("export", [None, "csv"])
def test_the_scan_report_query_count_does_not_grow_with_rows(
    superuser_client, django_assert_max_num_queries, django_capture_on_commit_callbacks, export
):
    uploader = StaffUserFactory()

    def make_rows(n):  # files found infected, each pointing at its asset once committed
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                AssetFactory(file=ContentFile(PDF, name="prices.pdf"), owner=uploader)
        FileScan.objects.update(status=FileScan.Status.INFECTED)

    assert_report_queries_do_not_grow(
        superuser_client,
        "file_scans",
        export=export,
        make_rows=make_rows,
        assert_max_num_queries=django_assert_max_num_queries,
    )
    assert FileScan.objects.filter(object_id__isnull=False).count() == 30
