"""Virus scanning against the real ClamAV daemon the stack starts (its database: the EICAR signature only).

Every upload path with the EICAR test file (built here from two halves): the admin's add form, replacing
a live asset's file, the importer, a learning package; files in the private S3 bucket, so the daemon
only ever sees the bytes we stream to it (INSTREAM). And: scanner down → pending → re-scan → clean.
"""

import io
import json
import os
import socket
import zipfile
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest

from cms.factories import AssetFactory
from cms.models import Asset, AssetVersion, FileScan
from cms.storage import private_storage
from elearning.models import Package
from elearning.samples import scorm12_sco_zip
from elearning.services import package_upload
from elearning.validation import PackageRejected
from partners.factories import StaffUserFactory, give_second_factor
from tests.conftest import make_token_user

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "eicar.com.UNOFFICIAL"  # what the stack's database calls it (sigtool --md5)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_clamd(settings):
    url = os.environ.get("CLAMAV_URL")
    if not url:  # never skipped: the stack starts clamav (make test)
        pytest.fail("ClamAV's daemon missing (CLAMAV_URL): run inside `python -m devtools.stack run`.", pytrace=False)
    settings.CLAMAV_URL = url
    return url


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("scanadmin", "scanadmin@vendor.test", "pw-0123456789")
    give_second_factor(user)
    client.force_login(user)
    return client


def test_an_infected_admin_upload_is_quarantined_in_the_bucket_and_served_nowhere(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    assert hasattr(private_storage(), "bucket_name")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailsnippets_cms_asset:add"),
            {"title": "Notes", "asset_type": "document", "file": SimpleUploadedFile("notes.txt", EICAR)},
        )
    assert response.status_code == 302
    asset = Asset.objects.get(title="Notes")
    scan = FileScan.objects.get(name=asset.file.name)
    assert (scan.status, scan.signature) == ("infected", SIGNATURE)
    assert not private_storage().exists(asset.file.name)
    assert private_storage().exists(scan.quarantine_name)
    assert "scanadmin@vendor.test" in mailoutbox[0].to

    published = admin_client.post(
        reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk]),
        {"title": "Notes", "asset_type": "document", "action-publish": "1"},
    )
    assert published.status_code == 302
    assert Asset.objects.get(pk=asset.pk).live is False


def test_a_clean_upload_is_served_and_a_replacement_with_eicar_is_refused(admin_client, client):
    admin_client.post(
        reverse("wagtailsnippets_cms_asset:add"),
        {
            "title": "Prices",
            "asset_type": "document",
            "file": SimpleUploadedFile("prices.txt", b"Plain prices\n"),
            "action-publish": "1",
        },
    )
    asset = Asset.objects.get(title="Prices")
    assert asset.live and FileScan.objects.get(name=asset.file.name).status == "clean"
    user = make_token_user()
    assert client.get(f"/api/v1/assets/{asset.pk}/download", **user.headers).status_code == 302

    admin_client.post(
        reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk]),
        {
            "title": "Prices",
            "asset_type": "document",
            "file": SimpleUploadedFile("prices-2.txt", EICAR),
            "version_note": "New prices",
            "action-publish": "1",
        },
    )
    draft = Asset.objects.get(pk=asset.pk).get_latest_revision_as_object()
    assert FileScan.objects.get(name=draft.file.name).status == "infected"
    assert Asset.objects.get(pk=asset.pk).file.name == asset.file.name  # still the clean version
    assert AssetVersion.objects.servable().filter(asset=asset).count() == 1


def test_scanner_down_keeps_files_pending_until_the_rescan(client, settings, real_clamd):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings.CLAMAV_URL = f"tcp://127.0.0.1:{sock.getsockname()[1]}"
    asset = AssetFactory(live=True)
    assert FileScan.objects.get(name=asset.file.name).status == "pending"
    user = make_token_user()
    assert client.get(f"/api/v1/assets/{asset.pk}/download", **user.headers).status_code == 409

    settings.CLAMAV_URL = real_clamd
    call_command("rescan_files", "--no-progress", stdout=StringIO(), stderr=StringIO())

    assert FileScan.objects.get(name=asset.file.name).status == "clean"
    assert client.get(f"/api/v1/assets/{asset.pk}/download", **user.headers).status_code == 302


def test_the_importer_refuses_eicar(tmp_path):
    StaffUserFactory(email="editor@vendor.test")
    (tmp_path / "notes.txt").write_bytes(EICAR)
    manifest = tmp_path / "manifest.json"
    entry = {"key": "n1", "title": "Notes", "type": "document", "file": "notes.txt", "state": "draft"}
    manifest.write_text(json.dumps({"assets": [entry]}))
    with pytest.raises(CommandError, match=f"file: the file is infected \\({SIGNATURE}\\)"):
        call_command("import_content", str(manifest), "--no-progress", stdout=StringIO(), stderr=StringIO())
    assert not Asset.objects.exists()


def test_a_package_with_eicar_inside_is_refused_and_quarantined():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(scorm12_sco_zip())) as sample, zipfile.ZipFile(buffer, "w") as infected:
        for entry in sample.infolist():
            infected.writestr(entry, sample.read(entry))
        infected.writestr("assets/readme.txt", EICAR)
    with pytest.raises(PackageRejected, match=f"infected \\({SIGNATURE}\\)"):
        package_upload(file=SimpleUploadedFile("course.zip", buffer.getvalue()), user=None)
    assert not Package.objects.exists()
    scan = FileScan.objects.get()
    assert scan.status == "infected" and private_storage().exists(scan.quarantine_name)
