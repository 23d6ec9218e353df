"""The text of asset files: each format's reader on files built here, the service's states and limits, the task's
bounded retries, the signal from a new version, the management command and the admin report."""

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from cms.extraction import readers
from cms.extraction.selectors import file_units_for
from cms.factories import AssetFactory, asset_with_file_text
from cms.models import AssetTextUnit, AssetVersion, AssetVersionText
from cms.services.file_text import file_text_extract, file_text_request, file_text_requeue_stalled
from cms.services.versions import asset_record_versions
from cms.tasks import extract_file_text
from core.signals import asset_file_stored
from partners.factories import staff_user_with_permissions
from tests.cms.file_samples import docx_bytes, pdf_bytes, png_bytes, pptx_bytes, xlsx_bytes
from tests.cms.reports import assert_report_queries_do_not_grow

State = AssetVersionText.State
LIMITS = readers.Limits


def units(reading):
    return [(unit.number, unit.kind, unit.name, unit.text) for unit in reading.units]


# --- readers, one per format ------------------------------------------------------------------------


def test_pdf_one_unit_per_page_numbered_as_printed_blank_pages_skipped():
    reading = readers.read_units("pdf", pdf_bytes(["Cover page", "", "The SD-WAN price tiers"]), LIMITS())
    assert units(reading) == [(1, "page", "", "Cover page"), (3, "page", "", "The SD-WAN price tiers")]


def test_pptx_one_unit_per_slide_with_tables_and_speaker_notes():
    data = pptx_bytes(
        ["Agenda", "Positioning", "Price tiers"], notes={3: "Mention the rebate"}, table=(2, "Competitor Acme")
    )
    reading = readers.read_units("pptx", data, LIMITS())
    assert [(n, kind) for n, kind, _name, _text in units(reading)] == [(1, "slide"), (2, "slide"), (3, "slide")]
    assert "Competitor Acme" in reading.units[1].text
    assert reading.units[2].text == "Slide 3\nPrice tiers\nMention the rebate"


def test_docx_one_unit_per_page_at_page_breaks_tables_included():
    reading = readers.read_units("docx", docx_bytes(["Introduction", "Terms and conditions"], "Cell text"), LIMITS())
    assert units(reading) == [(1, "page", "", "Introduction"), (2, "page", "", "Terms and conditions\nCell text")]


def test_xlsx_one_unit_per_sheet_named_after_it():
    data = xlsx_bytes({"Prices": [["SKU", "Price"], ["RTR-100", 1200]], "Empty": [], "Notes": [["Valid 2027"]]})
    reading = readers.read_units("xlsx", data, LIMITS())
    assert units(reading) == [(1, "sheet", "Prices", "SKU Price\nRTR-100 1200"), (3, "sheet", "Notes", "Valid 2027")]


def test_csv_text_and_html_readers():
    assert units(readers.read_units("csv", "sku;name\n1;Router Ü\n".encode(), LIMITS())) == [
        (1, "sheet", "", "sku name\n1 Router Ü")
    ]
    assert units(readers.read_units("txt", b"first\x0csecond", LIMITS())) == [
        (1, "page", "", "first"),
        (2, "page", "", "second"),
    ]
    html = b"<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Hello <b>partners</b></p></html>"
    assert units(readers.read_units("html", html, LIMITS())) == [(1, "page", "", "Hello partners")]


def test_images_videos_and_archives_have_no_reader():
    assert all(readers.reader_for(ext) is None for ext in ("png", "jpg", "mp4", "mov", "zip", "doc"))


def test_a_broken_file_is_unreadable_with_a_reason():
    with pytest.raises(readers.Unreadable, match="PDF"):
        readers.read_units("pdf", b"%PDF-1.4\n% not really\n", LIMITS())
    with pytest.raises(readers.Unreadable, match="PowerPoint"):
        readers.read_units("pptx", b"PK\x05\x06" + b"\0" * 18, LIMITS())


def test_limits_cut_units_and_characters_and_stop_at_the_deadline():
    data = pdf_bytes([f"Page {n} text" for n in range(1, 6)])
    few = readers.read_units("pdf", data, LIMITS(max_units=2))
    assert [u.number for u in few.units] == [1, 2] and few.truncated
    short = readers.read_units("pdf", data, LIMITS(max_chars=15))
    assert short.chars == 15 and short.truncated and [u.text for u in short.units] == ["Page 1 text", "Page"]
    with pytest.raises(readers.TookTooLong):
        readers.read_units("pdf", data, LIMITS(seconds=0, started=0))


# --- the service and the task -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_version_sends_asset_file_stored_and_its_text_is_read_after_commit(django_capture_on_commit_callbacks):
    heard = []

    def receiver(sender, asset_id, version_id, **kwargs):
        heard.append((asset_id, version_id))

    asset_file_stored.connect(receiver, dispatch_uid="test-heard")
    try:
        asset = AssetFactory(file=ContentFile(pptx_bytes(["One", "Two quantum routers"]), name="deck.pptx"))
        with django_capture_on_commit_callbacks(execute=True):
            (version,) = asset_record_versions(assets=[asset])
            assert AssetVersionText.objects.get(version=version).state == State.PENDING  # until the commit
    finally:
        asset_file_stored.disconnect(dispatch_uid="test-heard")
    assert heard == [(asset.pk, version.pk)]
    text = AssetVersionText.objects.get(version=version)
    assert (text.state, text.unit_count, text.attempts, text.reason) == (State.EXTRACTED, 2, 1, "")
    assert file_units_for([asset.pk])[asset.pk][1] == {
        "unit": 2,
        "kind": "slide",
        "name": "",
        "text": "Slide 2\nTwo quantum routers",
    }


@pytest.mark.django_db
def test_search_reads_the_current_version_only():
    asset = asset_with_file_text(data=pdf_bytes(["Old wording"]), name="old.pdf")
    asset.file = ContentFile(pdf_bytes(["New wording"]), name="new.pdf")
    asset.version_note = "Reworded"
    asset.save()
    (version,) = asset_record_versions(assets=[asset])
    file_text_extract(version_id=version.pk)
    assert [u["text"] for u in file_units_for([asset.pk])[asset.pk]] == ["New wording"]
    assert AssetTextUnit.objects.filter(version__asset=asset).count() == 2  # the old version keeps its text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "state", "reason"),
    [
        ("logo.png", png_bytes(), State.SKIPPED, "No text is read from .png files."),
        ("broken.pdf", b"%PDF-1.4\n% demo\n", State.FAILED, "Not a readable PDF"),
        ("blank.pdf", pdf_bytes(["", ""]), State.EMPTY, ""),
    ],
)
def test_formats_without_text_broken_files_and_blank_files_are_marked(name, data, state, reason):
    asset = asset_with_file_text(data=data, name=name, asset_type="brand_kit" if name.endswith("png") else "document")
    text = AssetVersionText.objects.get(version__asset=asset)
    assert text.state == state and text.reason.startswith(reason) and text.attempts == 1
    assert not AssetTextUnit.objects.filter(version__asset=asset).exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_too_large_and_not_read(settings):
    settings.FILE_TEXT_MAX_BYTES = 100
    asset = asset_with_file_text(data=pdf_bytes(["Big"]), name="big.pdf")
    text = AssetVersionText.objects.get(version__asset=asset)
    assert text.state == State.TOO_LARGE and "larger than the 100" in text.reason


@pytest.mark.django_db
def test_reading_past_the_time_limit_fails(settings):
    settings.FILE_TEXT_SECONDS = 0
    asset = asset_with_file_text(data=pdf_bytes(["Slow"]), name="slow.pdf")
    text = AssetVersionText.objects.get(version__asset=asset)
    assert text.state == State.FAILED and text.reason == "Reading took longer than 0 s."


@pytest.mark.django_db
def test_a_missing_file_fails_at_once():
    asset = AssetFactory(file=ContentFile(pdf_bytes(["x"]), name="gone.pdf"))
    (version,) = asset_record_versions(assets=[asset])
    version.file.storage.delete(version.file.name)
    assert file_text_extract(version_id=version.pk) == State.FAILED
    assert AssetVersionText.objects.get(version=version).reason == "The stored file is missing."


def unfetchable_version() -> AssetVersion:
    """A version whose stored file cannot be opened (a directory where the file should be): a storage fault."""
    asset = AssetFactory(file=ContentFile(pdf_bytes(["x"]), name="fault.pdf"))
    (version,) = asset_record_versions(assets=[asset])
    path = Path(version.file.storage.path(version.file.name))
    path.unlink()
    path.mkdir()
    return version


@pytest.mark.django_db
def test_a_storage_fault_is_retried_a_bounded_number_of_times_then_failed(settings):
    version = unfetchable_version()
    # Eager, Celery runs each retry at once; as a worker does, it does not raise the retries to the caller.
    conf = extract_file_text.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        extract_file_text.apply(args=[version.pk])
    finally:
        conf.task_eager_propagates = propagates
    text = AssetVersionText.objects.get(version=version)
    assert text.state == State.FAILED and text.reason.startswith("The file could not be fetched")
    assert text.attempts == settings.FILE_TEXT_MAX_ATTEMPTS == extract_file_text.max_retries + 1


@pytest.mark.django_db
def test_a_file_that_keeps_killing_the_worker_is_given_up(settings):
    asset = AssetFactory(file=ContentFile(pdf_bytes(["x"]), name="crash.pdf"))
    (version,) = asset_record_versions(assets=[asset])
    AssetVersionText.objects.filter(version=version).update(attempts=settings.FILE_TEXT_MAX_ATTEMPTS)
    assert file_text_extract(version_id=version.pk) == State.FAILED
    assert AssetVersionText.objects.get(version=version).reason.startswith("Given up after")


@pytest.mark.django_db
def test_reading_again_a_text_that_is_done_changes_nothing():
    asset = asset_with_file_text(data=pdf_bytes(["Once"]), name="once.pdf")
    version = asset.versions.get()
    assert file_text_extract(version_id=version.pk) == State.EXTRACTED
    assert AssetVersionText.objects.get(version=version).attempts == 1
    assert file_text_extract(version_id=10**9) == "gone"


@pytest.mark.django_db
def test_lost_requests_are_queued_again_but_not_those_given_up(settings, django_capture_on_commit_callbacks):
    stalled = AssetFactory(file=ContentFile(pdf_bytes(["Stalled"]), name="s.pdf"))
    given_up = AssetFactory(file=ContentFile(pdf_bytes(["Given up"]), name="g.pdf"))
    versions = asset_record_versions(assets=[stalled, given_up])  # no commit in a test: never handed over
    hour_ago = timezone.now() - timedelta(hours=1)
    AssetVersionText.objects.update(requested_at=hour_ago)
    AssetVersionText.objects.filter(version=versions[1]).update(attempts=settings.FILE_TEXT_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands it over after the commit
        assert file_text_requeue_stalled() == 1  # eager: read then
    assert AssetVersionText.objects.get(version=versions[0]).state == State.EXTRACTED
    assert AssetVersionText.objects.get(version=versions[1]).state == State.PENDING


# --- the command ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_reads_missing_then_failed_then_all(capsys):
    ok = asset_with_file_text(data=pdf_bytes(["Fine"]), name="fine.pdf")
    never = AssetFactory(file=ContentFile(pptx_bytes(["Never read"]), name="never.pptx"))
    AssetVersion.objects.create(asset=never, number=1, file=never.file.name)  # as data loaded in bulk has
    broken = asset_with_file_text(data=b"%PDF-1.4\n%\n", name="broken.pdf")

    call_command("extract_file_text")
    assert AssetVersionText.objects.get(version__asset=never).state == State.EXTRACTED
    assert "1 file(s) read: 1 extracted." in capsys.readouterr().out

    call_command("extract_file_text", "--failed")
    assert AssetVersionText.objects.get(version__asset=broken).attempts == 1  # read anew: attempts start over
    assert "1 failed" in capsys.readouterr().out

    call_command("extract_file_text", "--all")
    assert "3 file(s) read: 2 extracted, 1 failed." in capsys.readouterr().out
    assert AssetVersionText.objects.get(version__asset=ok).state == State.EXTRACTED
    call_command("extract_file_text")
    assert "No file to read (missing)." in capsys.readouterr().out


@pytest.mark.django_db
def test_request_marks_pending_anew():
    asset = asset_with_file_text(data=b"%PDF-1.4\n%\n", name="broken.pdf")
    version = asset.versions.get()
    assert file_text_request(version_ids=[version.pk], queue=False) == 1
    text = AssetVersionText.objects.get(version=version)
    assert (text.state, text.attempts, text.reason) == (State.PENDING, 0, "")


# --- the admin report ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_lists_assets_whose_current_file_failed_or_was_too_large(superuser_client, settings):
    broken = asset_with_file_text(data=b"%PDF-1.4\n%\n", name="broken.pdf", title="Broken deck")
    asset_with_file_text(data=pdf_bytes(["Fine"]), name="fine.pdf", title="Fine guide")
    settings.FILE_TEXT_MAX_BYTES = 10
    asset_with_file_text(data=pdf_bytes(["Big"]), name="big.pdf", title="Huge catalogue")
    url = reverse("cms_reports:file_text")
    response = superuser_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Broken deck" in html and "Huge catalogue" in html and "Fine guide" not in html
    assert "Not a readable PDF" in html
    only_failed = superuser_client.get(url, {"file_text_state": "failed"}).content.decode()
    assert "Broken deck" in only_failed and "Huge catalogue" not in only_failed
    exported = superuser_client.get(url, {"export": "csv"})
    assert b"Broken deck" in b"".join(exported.streaming_content) if exported.streaming else exported.content
    # Replaced by a readable file: off the report.
    settings.FILE_TEXT_MAX_BYTES = 10**6
    broken.file = ContentFile(pdf_bytes(["Fixed"]), name="fixed.pdf")
    broken.version_note = "Fixed"
    broken.save()
    (version,) = asset_record_versions(assets=[broken])
    file_text_extract(version_id=version.pk)
    assert "Broken deck" not in superuser_client.get(url).content.decode()


@pytest.mark.django_db
def test_report_is_for_staff_who_may_change_assets(client):
    client.force_login(staff_user_with_permissions("cms.change_program"))
    assert client.get(reverse("cms_reports:file_text")).status_code == 302
    client.force_login(staff_user_with_permissions("cms.change_asset"))
    assert client.get(reverse("cms_reports:file_text")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("export", [None, "csv"])
def test_report_query_count_does_not_grow_with_rows(superuser_client, django_assert_max_num_queries, export):
    def make_rows(n):
        for _ in range(n):
            asset_with_file_text(data=b"%PDF-1.4\n%\n", name="broken.pdf", title="Broken deck")

    assert_report_queries_do_not_grow(
        superuser_client,
        "file_text",
        export=export,
        make_rows=make_rows,
        assert_max_num_queries=django_assert_max_num_queries,
    )
