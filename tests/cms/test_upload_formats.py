"""Legitimate files the upload rules must not refuse (Office files in any entry order, any OLE sector size,
UTF-16 and ``<``-leading CSVs), stored files of formats refused today (still editable, found by
``asset_file_audit``, downloaded as attachments), and Wagtail documents checked on their content."""

import codecs
import io
import json
import zipfile
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from wagtail.documents import get_document_model

import pytest

from cms.factories import AssetFactory
from cms.gating.lifecycle import content_archive
from cms.models import Asset
from cms.uploads import FORMATS
from tests.cms.admin_uploads import add_asset

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(1)</script></html>"


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<?xml version='1.0'?><x/>")
    return buffer.getvalue()


def office(main_part: str) -> bytes:
    """An Office file as SharePoint saves it: properties and custom XML before the main part."""
    return zipped(
        "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "docProps/custom.xml",
        "customXml/item1.xml", "customXml/itemProps1.xml", main_part,
    )  # fmt: skip


def ole(sector_shift: int) -> bytes:
    """A generic OLE compound file header (major version 3: 512-byte sectors, 4: 4096-byte ones)."""
    header = bytearray(8192)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = (3 if sector_shift == 9 else 4).to_bytes(2, "little")
    header[0x1E:0x20] = sector_shift.to_bytes(2, "little")
    return bytes(header)


# --- legitimate files ----------------------------------------------------------------------------

ACCEPTED = [
    pytest.param("brief.docx", office("word/document.xml"), "document", id="docx-main-part-late"),
    pytest.param("prices.xlsx", office("xl/workbook.xml"), "price_list", id="xlsx-main-part-late"),
    pytest.param("deck.pptx", office("ppt/presentation.xml"), "presentation", id="pptx-main-part-late"),
    pytest.param("kit.zip", zipped("word/readme.xml", "logo.png"), "brand_kit", id="zip-with-office-like-entries"),
    pytest.param("old.xls", ole(12), "price_list", id="xls-4096-byte-sectors"),
    pytest.param("old.doc", ole(12), "document", id="doc-4096-byte-sectors"),
    pytest.param("old.ppt", ole(9), "presentation", id="ppt-512-byte-sectors"),
    pytest.param("prices.csv", "\ufeffSKU\tPrice\nA-1\t10\n".encode("utf-16"), "price_list", id="csv-utf16-bom"),
    pytest.param("prices.csv", codecs.BOM_UTF16_BE + "SKU\tPrice\n".encode("utf-16-be"), "price_list",
                 id="csv-utf16be"),
    pytest.param("prices.csv", b"\xef\xbb\xbfSKU,Price\nA-1,10\n", "price_list", id="csv-utf8-bom"),
    pytest.param("prices.csv", b"<100 units,5\n100+ units,4\n", "price_list", id="csv-cell-starting-with-lt"),
]  # fmt: skip

REFUSED = [
    pytest.param("prices.docx", office("xl/workbook.xml"), "document", id="xlsx-named-docx"),
    pytest.param("brief.xlsx", office("word/document.xml"), "price_list", id="docx-named-xlsx"),
    pytest.param("brief.docx", zipped("logo.png", "word/document.xml"), "document", id="zip-without-content-types"),
    pytest.param("brief.docx", zipped("[Content_Types].xml", "logo.png"), "document", id="zip-without-main-part"),
    pytest.param("brief.docx", HTML + office("word/document.xml"), "document", id="html-before-a-zip"),
    pytest.param("kit.zip", PDF, "brand_kit", id="pdf-named-zip"),
    pytest.param("old.doc", PDF, "document", id="pdf-named-doc"),
    pytest.param("prices.csv", codecs.BOM_UTF16_LE + "<!DOCTYPE html><html>".encode("utf-16-le"), "price_list",
                 id="utf16-html-as-csv"),
    pytest.param("prices.csv", b"\xef\xbb\xbf \n<?xml version='1.0'?><svg/>", "price_list", id="utf8-bom-xml-as-csv"),
    pytest.param("notes.txt", b"  <script>alert(1)</script>", "document", id="script-as-txt"),
    pytest.param("notes.txt", b"a\0b", "document", id="binary-as-txt"),
]  # fmt: skip


@pytest.mark.parametrize("name, content, asset_type", ACCEPTED)
def test_the_admin_accepts_legitimate_office_and_text_files(staff_client, name, content, asset_type):
    response = add_asset(staff_client, name, content, asset_type)

    assert response.status_code == 302, response.context["form"].errors
    assert Asset.objects.get().file.name.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize("name, content, asset_type", ACCEPTED)
def test_the_importer_accepts_legitimate_office_and_text_files(tmp_path, name, content, asset_type):
    (tmp_path / name).write_bytes(content)
    manifest = {"assets": [{"key": "a1", "title": "Imported", "type": asset_type, "file": name}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))

    call_command("import_content", str(tmp_path / "manifest.json"), "--no-progress", stdout=StringIO())

    assert Asset.objects.get(key="a1").file.name.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize("name, content, asset_type", REFUSED)
def test_the_admin_still_refuses_files_that_are_not_what_they_are_named(staff_client, name, content, asset_type):
    response = add_asset(staff_client, name, content, asset_type)

    assert response.status_code == 200
    assert "This is not a " in response.content.decode()
    assert not Asset.objects.exists()


# --- stored files today's rules refuse -----------------------------------------------------------


@pytest.fixture
def legacy_eps():
    return AssetFactory(title="Old logo", asset_type=Asset.AssetType.BRAND_KIT, file=ContentFile(EPS, name="logo.eps"))


@pytest.fixture
def legacy_svg():
    return AssetFactory(title="Old icon", asset_type=Asset.AssetType.IMAGE, file=ContentFile(SVG, name="icon.svg"))


@pytest.mark.parametrize("legacy", ["legacy_eps", "legacy_svg"])
def test_an_asset_with_a_legacy_file_can_still_have_its_title_fixed(staff_client, request, legacy):
    asset = request.getfixturevalue(legacy)

    response = staff_client.post(
        reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk]),
        {"title": "Old logo (2024)", "asset_type": asset.asset_type, "action-publish": "action-publish"},
    )

    assert response.status_code == 302, response.context["form"].errors
    asset.refresh_from_db()
    assert (asset.title, asset.live) == ("Old logo (2024)", True)
    assert asset.file.read() in (EPS, SVG)


def test_an_asset_with_a_legacy_file_can_be_archived(legacy_eps):
    content_archive(item=legacy_eps)

    legacy_eps.refresh_from_db()
    assert legacy_eps.is_archived


@pytest.mark.parametrize(
    "stored, new_type, message",
    [
        pytest.param(ContentFile(PDF, name="deck.pdf"), "video", "not allowed for video assets", id="extension"),
        pytest.param(ContentFile(HTML, name="deck.pdf"), "price_list", "This is not a real .pdf file.", id="content"),
        pytest.param(ContentFile(EPS, name="logo.eps"), "document", "“.eps” is not allowed", id="legacy"),
    ],
)
def test_changing_the_type_checks_the_stored_file_against_the_new_types_formats(
    staff_client, stored, new_type, message
):
    asset = AssetFactory(title="Deck", asset_type=Asset.AssetType.BRAND_KIT, file=stored)

    response = staff_client.post(
        reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk]),
        {"title": "Deck", "asset_type": new_type, "action-publish": "action-publish"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    asset.refresh_from_db()
    assert asset.asset_type == Asset.AssetType.BRAND_KIT


def test_changing_the_type_keeps_a_stored_file_the_new_type_allows(staff_client):
    asset = AssetFactory(title="Prices", asset_type=Asset.AssetType.DOCUMENT)  # a real PDF

    response = staff_client.post(
        reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk]),
        {"title": "Prices", "asset_type": "price_list", "action-publish": "action-publish"},
    )

    assert response.status_code == 302, response.context["form"].errors
    asset.refresh_from_db()
    assert asset.asset_type == Asset.AssetType.PRICE_LIST


def test_asset_file_audit_lists_assets_whose_file_todays_rules_refuse(legacy_eps, legacy_svg):
    fine = AssetFactory(title="Fine deck")
    fake_pdf = AssetFactory(title="Fake", file=ContentFile(HTML, name="fake.pdf"))
    archived = AssetFactory(title="Archived", asset_type="brand_kit", file=ContentFile(EPS, name="gone.eps"))
    content_archive(item=archived)
    link = AssetFactory(asset_type=Asset.AssetType.LINK, file=None, external_url="https://example.com")
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("asset_file_audit", stdout=out)

    assert error.value.returncode == 1
    assert "3 asset(s) have a file today's upload rules refuse." in str(error.value)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["ID", "State", "Type", "File", "Title", "Problem"]
    listed = {line.split()[0]: line for line in lines[1:]}
    assert set(listed) == {str(legacy_eps.pk), str(legacy_svg.pk), str(fake_pdf.pk)}
    assert "brand_kit" in listed[str(legacy_eps.pk)] and "“.eps” is not allowed" in listed[str(legacy_eps.pk)]
    assert "This is not a real .pdf file." in listed[str(fake_pdf.pk)]
    assert str(fine.pk) not in listed and str(link.pk) not in listed
    legacy_eps.refresh_from_db()
    assert legacy_eps.file.name.endswith(".eps") and not legacy_eps.is_archived  # nothing changed


def test_asset_file_audit_says_so_and_exits_0_when_every_file_passes():
    AssetFactory()
    out = StringIO()

    call_command("asset_file_audit", stdout=out)

    assert "Every asset's file passes today's upload rules." in out.getvalue()


def test_asset_file_audit_has_help(capsys):
    with pytest.raises(SystemExit):
        call_command("asset_file_audit", "--help")

    help_text = " ".join(capsys.readouterr().out.split())
    assert "(not archived) assets whose stored file fails today's upload rules" in help_text
    assert "Changes nothing" in help_text and "Exits with status 1" in help_text


def test_a_legacy_svg_is_downloaded_as_an_attachment_never_rendered(client, gold_partner_user, legacy_svg):
    legacy_svg.save_revision().publish()

    response = client.get(f"/api/v1/assets/{legacy_svg.pk}/download", **gold_partner_user.headers)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="old-icon.svg"'
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Wagtail's own documents ---------------------------------------------------------------------


def add_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"), {"title": "Doc", "file": SimpleUploadedFile(name, content), "collection": 1}
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        pytest.param("report.pdf", HTML, "This is not a real .pdf file.", id="html-named-pdf"),
        pytest.param("notes.txt", SVG, "This is not a plain .txt file.", id="svg-named-txt"),
        pytest.param("brief.docx", office("xl/workbook.xml"), "This is not a real .docx file.", id="xlsx-named-docx"),
    ],
)
def test_wagtail_documents_are_checked_on_their_content(staff_client, name, content, message):
    response = add_document(staff_client, name, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_document_model().objects.exists()


def test_wagtail_documents_multiple_upload_checks_the_content_too(staff_client):
    response = staff_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("report.pdf", HTML), "collection": 1},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "This is not a real .pdf file." in response.json()["error_message"]
    assert not get_document_model().objects.exists()


def test_wagtail_documents_accept_real_files(staff_client):
    response = add_document(staff_client, "report.pdf", PDF)

    assert response.status_code == 302
    assert get_document_model().objects.get().file.name.endswith(".pdf")


def test_every_wagtail_document_extension_has_a_content_check(settings):
    assert set(settings.WAGTAILDOCS_EXTENSIONS) <= set(FORMATS)
