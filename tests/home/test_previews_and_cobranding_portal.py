"""The portal's side of previews and co-branding: the asset page's preview strip and the library's thumbnails
(signed URLs that only their user can open), placeholders, and the partner admin's company page (logo and name
stamped on co-branded downloads)."""

import io
import re

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from pypdf import PdfReader

from cms.factories import AssetFactory, pdf_bytes, png_bytes, publish
from cms.models import CobrandedFile
from partners.factories import PartnerFactory, RoleFactory, TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db

IMG = re.compile(r'<img src="(/api/v1/asset-previews/[^"]+)"')


@pytest.fixture
def world():
    gold = TierFactory(key="gold", rank=30)
    admin_role = RoleFactory(key="admin", name="Admin")
    acme = PartnerFactory(key="acme", name="Acme Networks", tier=gold)
    return {
        "gold": gold,
        "acme": acme,
        "admin": make_token_user(partner=acme, roles=[admin_role]),
        "colleague": make_token_user(partner=acme, roles=[RoleFactory(key="sales")]),
        "other": make_token_user(partner=PartnerFactory(key="globex", name="Globex", tier=gold)),
    }


def pdf_asset(capture, **fields):
    with capture(execute=True):
        return publish(AssetFactory(live=False, file=ContentFile(pdf_bytes(pages=3), name="deck.pdf"), **fields))


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_asset_page_shows_a_preview_strip_only_its_reader_can_open(
    client, world, django_capture_on_commit_callbacks
):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    client.force_login(world["colleague"].user)
    page = html(client.get(f"/library/{asset.pk}/"))
    urls = IMG.findall(page)
    assert len(urls) == 3 and 'alt="Page 1"' in page
    for url in urls:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(world["other"].user)  # sees the asset too, but not through someone else's URLs
    assert all(client.get(url).status_code == 404 for url in urls)


def test_the_library_shows_thumbnails_and_placeholders(client, world, django_capture_on_commit_callbacks):
    with_preview = pdf_asset(django_capture_on_commit_callbacks, title="Pricing deck")
    AssetFactory(title="Partner website", asset_type="link", file=None, external_url="https://example.com/")
    client.force_login(world["colleague"].user)
    page = html(client.get("/library/"))
    assert len(IMG.findall(page)) == 1
    assert 'class="thumb-placeholder" aria-hidden="true">Link</span>' in page
    assert html(client.get(f"/library/{with_preview.pk}/")).count("thumb-placeholder") == 0


def test_an_asset_without_preview_says_so(client, world):
    asset = AssetFactory()
    client.force_login(world["colleague"].user)
    page = html(client.get(f"/library/{asset.pk}/"))
    assert "No preview of this file yet" in page and 'aria-hidden="true">PDF</span>' in page


def test_the_asset_page_costs_a_fixed_number_of_queries_with_previews(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    asset = pdf_asset(django_capture_on_commit_callbacks)
    client.force_login(world["colleague"].user)
    client.get(f"/library/{asset.pk}/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/library/{asset.pk}/").status_code == 200


def test_the_company_page_is_for_partner_admins_only(client, world):
    client.force_login(world["colleague"].user)
    assert client.get("/team/company/").status_code == 404
    assert client.post("/team/company/", {"display_name": "Hacked"}).status_code == 404
    world["acme"].refresh_from_db()
    assert world["acme"].display_name == ""


def test_a_partner_admin_changes_the_logo_and_the_next_download_carries_it(
    client, world, django_capture_on_commit_callbacks
):
    asset = pdf_asset(django_capture_on_commit_callbacks, cobrandable=True)
    client.force_login(world["admin"].user)
    assert "Company" in html(client.get("/team/company/"))
    response = client.post(
        "/team/company/",
        {"display_name": "Acme Cloud", "logo": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")},
    )
    assert response.status_code == 302
    page = html(client.get("/team/company/"))
    assert "Acme Cloud" in page and "/team/company/logo/" in page
    logo = client.get("/team/company/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"

    client.force_login(world["colleague"].user)
    assert client.get("/team/company/logo/").status_code == 404
    assert "Your download carries your company" in html(client.get(f"/library/{asset.pk}/"))
    first = client.get(f"/library/{asset.pk}/download/")
    assert "Acme Cloud" in PdfReader(io.BytesIO(b"".join(first.streaming_content))).pages[0].extract_text()
    copy = CobrandedFile.objects.get()

    client.force_login(world["admin"].user)
    client.post(
        "/team/company/",
        {"display_name": "Acme", "logo": SimpleUploadedFile("new.jpg", _jpeg(), content_type="image/jpeg")},
    )
    client.force_login(world["colleague"].user)
    second = client.get(f"/library/{asset.pk}/download/")
    text = PdfReader(io.BytesIO(b"".join(second.streaming_content))).pages[0].extract_text()
    assert "Acme" in text and "Acme Cloud" not in text
    assert CobrandedFile.objects.get().file.name != copy.file.name


def test_a_bad_logo_is_refused_and_nothing_changes(client, world):
    client.force_login(world["admin"].user)
    response = client.post(
        "/team/company/",
        {
            "display_name": "Evil",
            "logo": SimpleUploadedFile("logo.png", b"<svg/onload=alert(1)>", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "PNG or JPEG" in response.content.decode()
    world["acme"].refresh_from_db()
    assert (world["acme"].display_name, world["acme"].logo.name) == ("", "")


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (200, 100), "#e76f51").save(out, "JPEG")
    return out.getvalue()


def test_the_library_costs_a_fixed_number_of_queries_whatever_the_thumbnails(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(world["colleague"].user)

    def count(expected_thumbnails: int) -> int:
        with django_assert_max_num_queries(40) as captured:
            assert len(IMG.findall(html(client.get("/library/")))) == expected_thumbnails
        return len(captured)

    pdf_asset(django_capture_on_commit_callbacks)
    client.get("/library/")  # the first request of a site makes its branding settings row
    few = count(1)
    for _ in range(5):
        pdf_asset(django_capture_on_commit_callbacks)
    assert count(6) <= few
