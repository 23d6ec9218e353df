"""Upload limits: an asset's file has a size limit and, per asset type, a list of allowed formats (content sniffed),
in the admin and the importer alike; SVG, HTML and other scriptable files are refused everywhere, Wagtail's
documents and images included."""

import json
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest

from cms.models import Asset
from cms.uploads import ASSET_TYPE_EXTENSIONS
from tests.cms.admin_uploads import add_asset

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><script>alert(1)</script></html>"

REFUSED_UPLOADS = [
    pytest.param("logo.svg", SVG, "image", "File type “.svg” is not allowed for image assets", id="svg"),
    pytest.param("page.html", HTML, "document", "File type “.html” is not allowed for document assets", id="html"),
    pytest.param("page.htm", HTML, "document", "File type “.htm” is not allowed", id="htm"),
    pytest.param("run.js", b"alert(1)", "document", "File type “.js” is not allowed", id="js"),
    pytest.param("logo.eps", b"%!PS-Adobe-3.0 EPSF-3.0", "brand_kit", "File type “.eps” is not allowed", id="eps"),
    pytest.param("deck.pdf", SVG, "document", "This is not a real .pdf file.", id="svg-renamed-pdf"),
    pytest.param("logo.png", PDF, "image", "not a real .png file (its content is application/pdf).", id="pdf-as-png"),
    pytest.param("notes.txt", HTML, "document", "This is not a plain .txt file.", id="html-as-txt"),
    pytest.param("prices.csv", SVG, "price_list", "This is not a plain .csv file.", id="svg-as-csv"),
    pytest.param("clip.mp4", PDF, "video", "This is not a real .mp4 file", id="pdf-as-video"),
    pytest.param("deck.pdf", PDF, "video", "not allowed for video assets. Allowed: mp4, mov, webm.", id="mismatch"),
]  # fmt: skip


# --- the admin -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, asset_type, message", REFUSED_UPLOADS)
def test_the_admin_refuses_a_file_outside_its_types_allow_list(staff_client, name, content, asset_type, message):
    response = add_asset(staff_client, name, content, asset_type)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    "name, content, asset_type",
    [("deck.pdf", PDF, "document"), ("logo.png", PNG, "image"), ("prices.csv", b"sku,price\nA1,10\n", "price_list")],
)
def test_the_admin_accepts_a_file_its_type_allows(staff_client, name, content, asset_type):
    response = add_asset(staff_client, name, content, asset_type)

    assert response.status_code == 302
    assert Asset.objects.get().file.name.endswith(name.rsplit(".", 1)[1])


def test_the_admin_refuses_a_file_over_the_size_limit(staff_client, settings):
    settings.ASSET_MAX_UPLOAD_BYTES = 1024

    response = add_asset(staff_client, "deck.pdf", PDF + b"0" * 1024, "document")

    assert response.status_code == 200
    assert "The file is larger than the 1.0\xa0KB allowed." in response.content.decode()
    assert not Asset.objects.exists()


def test_the_size_limit_is_200_mb_unless_set(settings):
    from cms.settings import base

    assert base.ASSET_MAX_UPLOAD_BYTES == 200 * 1024 * 1024


def test_every_asset_type_has_an_allow_list_without_scriptable_formats():
    assert set(ASSET_TYPE_EXTENSIONS) == set(Asset.AssetType.values)
    for extensions in ASSET_TYPE_EXTENSIONS.values():
        assert not {"svg", "svgz", "html", "htm", "xhtml", "xml", "js", "eps", "ps"} & set(extensions)


# --- the importer --------------------------------------------------------------------------------


def import_manifest(tmp_path, entry_file: str, content: bytes, asset_type="document"):
    (tmp_path / "files").mkdir(exist_ok=True)
    (tmp_path / "files" / entry_file).write_bytes(content)
    manifest = {"assets": [{"key": "a1", "title": "Imported", "type": asset_type, "file": f"files/{entry_file}"}]}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("name, content, asset_type, message", REFUSED_UPLOADS)
def test_the_importer_refuses_a_file_outside_its_types_allow_list(tmp_path, name, content, asset_type, message):
    with pytest.raises(CommandError) as error:
        import_manifest(tmp_path, name, content, asset_type)

    problem = str(error.value).split("assets[0] (key 'a1'): file: ", 1)[1]
    assert message in problem
    assert not Asset.objects.exists()


def test_the_importer_uses_the_same_size_limit(tmp_path, settings):
    settings.ASSET_MAX_UPLOAD_BYTES = 1024

    with pytest.raises(CommandError) as error:
        import_manifest(tmp_path, "deck.pdf", PDF + b"0" * 1024)

    assert "assets[0] (key 'a1'): file: The file is larger than the 1.0\xa0KB allowed." in str(error.value)
    assert not Asset.objects.exists()


# --- Wagtail's own documents and images ----------------------------------------------------------


@pytest.mark.parametrize("name, content", [("logo.svg", SVG), ("page.html", HTML), ("run.js", b"alert(1)")])
def test_wagtail_documents_refuse_scriptable_files(staff_client, name, content):
    response = staff_client.post(
        reverse("wagtaildocs:add"), {"title": "Doc", "file": SimpleUploadedFile(name, content), "collection": 1}
    )

    assert response.status_code == 200
    assert f"File extension “{name.rsplit('.', 1)[1]}” is not allowed." in response.content.decode()
    assert not get_document_model().objects.exists()


def test_wagtail_images_refuse_svg(staff_client, settings):
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS

    response = staff_client.post(
        reverse("wagtailimages:add"), {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG), "collection": 1}
    )

    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_wagtail_documents_and_images_have_size_limits(settings):
    assert 0 < settings.WAGTAILDOCS_MAX_UPLOAD_SIZE <= settings.ASSET_MAX_UPLOAD_BYTES
    assert 0 < settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= settings.ASSET_MAX_UPLOAD_BYTES
