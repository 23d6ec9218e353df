"""Previews of asset files: made by the worker after a file is stored, private, served only through signed URLs
bound to one user, for the current servable version of an asset that user may see."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile

import pytest
import time_machine
from PIL import Image

from cms.factories import AssetFactory, docx_bytes, pdf_bytes, png_bytes, publish
from cms.gating.lifecycle import content_archive
from cms.models import Asset, AssetVersion, PreviewImage, VersionPreview
from cms.previews import render
from cms.previews.services import version_previews_generate
from cms.storage import private_storage
from partners.factories import PartnerFactory, RoleFactory, TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold():
    return TierFactory(key="gold", rank=30)


@pytest.fixture
def reader(gold):
    return make_token_user(partner=PartnerFactory(tier=gold), roles=[RoleFactory(key="sales")])


def published(django_capture_on_commit_callbacks, **fields):
    """An asset published as an editor would, with the worker's previews made (Celery runs eagerly in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        return publish(AssetFactory(live=False, **fields))


def pdf_asset(django_capture_on_commit_callbacks, pages=3, **fields):
    return published(
        django_capture_on_commit_callbacks, file=ContentFile(pdf_bytes(pages=pages), name="prices.pdf"), **fields
    )


def preview_of(asset) -> VersionPreview:
    return VersionPreview.objects.get(version=asset.versions.get(number=asset.versions.count()))


def test_a_pdf_gets_a_thumbnail_and_its_first_pages_on_the_private_storage(django_capture_on_commit_callbacks):
    asset = pdf_asset(django_capture_on_commit_callbacks, pages=7)
    preview = preview_of(asset)
    assert (preview.status, preview.source, preview.page_count) == ("ready", "file", 7)
    images = list(preview.images.order_by("kind", "page"))
    assert [(image.kind, image.page) for image in images] == [("page", n) for n in range(1, 6)] + [("thumbnail", 1)]
    for image in images:
        assert private_storage().exists(image.file.name)
        with private_storage().open(image.file.name) as handle, Image.open(handle) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (image.width, image.height)
    assert images[-1].width == 320 and images[0].width == 900


def test_an_image_is_resized(django_capture_on_commit_callbacks):
    asset = published(
        django_capture_on_commit_callbacks,
        asset_type=Asset.AssetType.IMAGE,
        file=ContentFile(png_bytes(size=(2000, 1000)), name="logo.png"),
    )
    preview = preview_of(asset)
    assert preview.status == "ready"
    sizes = {image.kind: (image.width, image.height) for image in preview.images.all()}
    assert sizes == {"page": (900, 450), "thumbnail": (320, 160)}


def test_a_word_file_is_previewed_through_its_pdf_rendition(django_capture_on_commit_callbacks, settings):
    settings.PARTNERHUB_SOFFICE = "no-such-soffice-here"
    asset = published(
        django_capture_on_commit_callbacks,
        file=ContentFile(docx_bytes(), name="battlecard.docx"),
        pdf_rendition=ContentFile(pdf_bytes(pages=2), name="battlecard.pdf"),
    )
    preview = preview_of(asset)
    assert (preview.status, preview.source, preview.page_count) == ("ready", "pdf_rendition", 2)


def test_without_rendition_nor_libreoffice_a_word_file_has_no_preview(django_capture_on_commit_callbacks, settings):
    settings.PARTNERHUB_SOFFICE = "no-such-soffice-here"
    assert render.soffice_path() is None
    asset = published(django_capture_on_commit_callbacks, file=ContentFile(docx_bytes(), name="battlecard.docx"))
    assert preview_of(asset).status == "unsupported"


def test_a_damaged_pdf_is_marked_failed_and_says_why(django_capture_on_commit_callbacks):
    asset = published(django_capture_on_commit_callbacks, file=ContentFile(b"%PDF-1.4\n% broken", name="broken.pdf"))
    preview = preview_of(asset)
    assert preview.status == "failed" and "cannot be read" in preview.error
    assert not preview.images.exists()


def test_a_new_rendition_of_the_current_file_makes_its_previews_again(django_capture_on_commit_callbacks, settings):
    settings.PARTNERHUB_SOFFICE = "no-such-soffice-here"
    asset = published(django_capture_on_commit_callbacks, file=ContentFile(docx_bytes(), name="deck.docx"))
    assert preview_of(asset).status == "unsupported"
    asset.pdf_rendition = ContentFile(pdf_bytes(pages=4), name="deck.pdf")
    asset.full_clean()
    asset.save()
    with django_capture_on_commit_callbacks(execute=True):
        asset = publish(asset)
    assert asset.versions.count() == 1  # the same file: no new version
    assert (preview_of(asset).status, preview_of(asset).page_count) == ("ready", 4)


def test_generating_again_replaces_the_pictures_and_deletes_the_old_files(django_capture_on_commit_callbacks):
    asset = pdf_asset(django_capture_on_commit_callbacks, pages=1)
    version = asset.versions.get()
    old = list(PreviewImage.objects.filter(preview__version=version).values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        version_previews_generate(version_id=version.pk)
    new = list(PreviewImage.objects.filter(preview__version=version).values_list("file", flat=True))
    assert len(new) == 2 and not set(old) & set(new)
    assert not any(private_storage().exists(name) for name in old)


def test_servable_is_the_one_rule_previews_follow(django_capture_on_commit_callbacks, monkeypatch):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    version = asset.versions.get()
    monkeypatch.setattr(type(AssetVersion.objects.all()), "servable", lambda qs: qs.none())
    assert version_previews_generate(version_id=version.pk) is None


# --- served: gated, signed, short-lived, bound to one user ---------------------------------------------------


def detail(client, user, asset):
    return client.get(f"/api/v1/assets/{asset.pk}", **user.headers)


def test_api_detail_and_list_carry_signed_preview_urls_that_serve_jpegs(
    client, reader, django_capture_on_commit_callbacks
):
    asset = pdf_asset(django_capture_on_commit_callbacks, pages=2)
    body = detail(client, reader, asset).json()
    assert body["page_count"] == 2 and [page["page"] for page in body["preview_pages"]] == [1, 2]
    assert body["thumbnail_url"].startswith("http://testserver/api/v1/asset-previews/")
    listed = client.get("/api/v1/assets", **reader.headers).json()["results"]
    assert listed[0]["thumbnail_url"].startswith("http://testserver/api/v1/asset-previews/")
    for url in [body["thumbnail_url"], *[page["url"] for page in body["preview_pages"]]]:
        response = client.get(url, **reader.headers)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"


def test_no_preview_answers_nulls_and_an_empty_list(client, reader):
    asset = AssetFactory()  # never published through the editor: no version, no preview
    body = detail(client, reader, asset).json()
    assert (body["thumbnail_url"], body["preview_pages"], body["page_count"]) == (None, [], None)


def test_a_preview_url_is_404_for_another_user_even_one_who_sees_the_asset(
    client, reader, gold, django_capture_on_commit_callbacks
):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    url = detail(client, reader, asset).json()["thumbnail_url"]
    colleague = make_token_user(partner=PartnerFactory(tier=gold))
    assert detail(client, colleague, asset).status_code == 200  # they may see the asset…
    assert client.get(url, **colleague.headers).status_code == 404  # …but not through reader's URL
    client.force_login(colleague.user)
    assert client.get(url).status_code == 404


def test_a_preview_url_expires(client, reader, settings, django_capture_on_commit_callbacks):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    url = detail(client, reader, asset).json()["thumbnail_url"]
    with time_machine.travel(timedelta(seconds=settings.PARTNERHUB_DOWNLOAD_URL_SECONDS + 5), tick=False):
        assert client.get(url, **reader.headers).status_code == 404


def test_an_altered_or_unsigned_url_is_404(client, reader, django_capture_on_commit_callbacks):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    url = detail(client, reader, asset).json()["thumbnail_url"]
    image = PreviewImage.objects.filter(preview__version__asset=asset).first()
    assert client.get(url[:-3] + "AAA", **reader.headers).status_code == 404
    assert client.get(f"/api/v1/asset-previews/{image.pk}", **reader.headers).status_code == 404
    assert client.get(url).status_code == 401  # nobody signed in


def test_previews_follow_the_audience_rule_and_the_lifecycle(client, reader, django_capture_on_commit_callbacks):
    platinum = TierFactory(key="platinum", rank=40)
    hidden = pdf_asset(django_capture_on_commit_callbacks, min_tier=platinum)
    assert detail(client, reader, hidden).status_code == 404
    visible = pdf_asset(django_capture_on_commit_callbacks)
    url = detail(client, reader, visible).json()["preview_pages"][0]["url"]
    content_archive(item=visible)
    assert client.get(url, **reader.headers).status_code == 404


def test_a_replaced_file_retires_the_old_versions_preview_urls(client, reader, django_capture_on_commit_callbacks):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    old_url = detail(client, reader, asset).json()["thumbnail_url"]
    asset.file = ContentFile(pdf_bytes(pages=1, text="New prices"), name="prices-2027.pdf")
    asset.version_note = "2027 prices"
    asset.full_clean()
    asset.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(asset)
    assert client.get(old_url, **reader.headers).status_code == 404
    new_url = detail(client, reader, asset).json()["thumbnail_url"]
    assert client.get(new_url, **reader.headers).status_code == 200


def test_previews_never_have_a_public_url(django_capture_on_commit_callbacks):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    image = PreviewImage.objects.filter(preview__version__asset=asset).first()
    with pytest.raises(NotImplementedError):
        image.file.url  # noqa: B018


@pytest.mark.parametrize("size", [2, 8])
def test_asset_list_and_detail_cost_a_fixed_number_of_queries(
    client, reader, size, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    assets = [pdf_asset(django_capture_on_commit_callbacks, pages=1) for _ in range(size)]
    client.get("/api/v1/assets", **reader.headers)  # warm the count cache like any second reader
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/assets?page_size=100", **reader.headers)
    assert sum(1 for row in response.json()["results"] if row["thumbnail_url"]) == size
    with django_assert_max_num_queries(10):
        assert detail(client, reader, assets[0]).status_code == 200
    url = detail(client, reader, assets[0]).json()["thumbnail_url"]
    with django_assert_max_num_queries(5):
        assert client.get(url, **reader.headers).status_code == 200
