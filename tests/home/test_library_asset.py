"""An asset's page in the library (/library/<id>/) and its download, and the audience leak matrix over every
part of the library: list, facet counts, suggest, asset page, download."""

import re
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from wagtail.models import Locale

import pytest

from cms.factories import AssetFactory, LanguageFactory, ProductFactory, ProgramFactory
from cms.models import Asset, AssetVersion, Download
from courses.factories import CourseFactory, CourseModuleFactory, LessonFactory
from courses.models import Course
from partners.factories import RoleFactory, TierFactory
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    return response.content.decode()


def course_using(asset, **fields) -> Course:
    course = CourseFactory(**fields)
    LessonFactory(module=CourseModuleFactory(course=course), body=[("asset", {"asset": asset, "note": ""})])
    course.save_revision().publish()  # the reference index follows the lessons
    return Course.objects.get(pk=course.pk)


def program_with(asset, **fields):
    program = ProgramFactory(**fields)
    program.related_assets.add(asset)
    program.save()  # parental relations are written when the program is saved
    return program


def version(asset, number, note, days_ago):
    created_at = timezone.now() - timedelta(days=days_ago)
    return AssetVersion.objects.create(
        asset=asset, number=number, file=asset.file.name, change_note=note, created_at=created_at
    )


@pytest.fixture
def deck():
    """A deck with two versions, a German variant (seen) and a French one (Platinum only), programs and courses."""
    platinum = TierFactory(key="platinum", rank=40)
    deck = AssetFactory(
        title="SD-WAN sales deck",
        summary="The pitch for mid-size customers.",
        asset_type=Asset.AssetType.PRESENTATION,
        products=[ProductFactory(key="sdwan", name="SD-WAN")],
        languages=[LanguageFactory(key="en", name="English")],
    )
    version(deck, 1, "First version", 20)
    version(deck, 2, "New pricing slide", 2)
    german, french = (Locale.objects.get_or_create(language_code=code)[0] for code in ("de", "fr"))
    AssetFactory(title="SD-WAN Verkaufspräsentation", translation_key=deck.translation_key, locale=german)
    AssetFactory(title="Présentation", translation_key=deck.translation_key, locale=french, min_tier=platinum)
    program_with(deck, title="Growth program", summary="Rebates for new logos.")
    program_with(deck, title="Platinum program", min_tier=platinum)
    course_using(deck, title="Selling SD-WAN")
    course_using(deck, title="Technical deep dive", roles=[RoleFactory(key="technical")])
    return deck


def test_the_asset_page_shows_its_sections_and_only_what_i_may_see(client, member, deck):
    response = client.get(f"/library/{deck.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert page.count("<h1") == 1 and "SD-WAN sales deck" in page and "The pitch for mid-size customers." in page
    assert "Presentation" in page and "SD-WAN" in page and "English" in page
    assert (
        page.index("Version 2")
        < page.index("New pricing slide")
        < page.index("Version 1")
        < page.index("First version")
    )
    german = Asset.objects.get(title="SD-WAN Verkaufspräsentation")
    assert f'href="/library/{german.pk}/" lang="de"' in page and "French" not in page
    assert "Growth program" in page and "Rebates for new logos." in page and "Platinum program" not in page
    assert "Selling SD-WAN" in page and "Technical deep dive" not in page
    assert f'href="/library/{deck.pk}/download/"' in page
    assert "New version since you downloaded it" not in page  # never downloaded


def test_the_page_says_when_a_new_version_came_after_my_download(client, member, deck):
    Download.objects.create(asset=deck, user=member, downloaded_at=timezone.now() - timedelta(days=5))
    page = html(client.get(f"/library/{deck.pk}/"))
    assert "New version since you downloaded it" in page and "New pricing slide" in page
    Download.objects.create(asset=deck, user=member)
    assert "New version since you downloaded it" not in html(client.get(f"/library/{deck.pk}/"))


def test_download_is_recorded_like_the_api_and_hands_out_the_file(client, member, deck):
    response = client.get(f"/library/{deck.pk}/download/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert 'filename="sd-wan-sales-deck.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    download = Download.objects.get()
    assert (download.asset, download.user, download.version.number) == (deck, member, 2)


def test_download_from_s3_redirects_to_the_signed_short_lived_url(client, member, deck, monkeypatch, settings):
    signed = []

    def url(name, parameters, expire):
        signed.append((name, parameters, expire))
        return f"https://bucket.example/{name}?X-Amz-Signature=abc"

    storage = SimpleNamespace(bucket_name="assets", url=url)
    monkeypatch.setattr("cms.services.downloads.private_storage", lambda: storage)
    response = client.get(f"/library/{deck.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("https://bucket.example/")
    assert signed[0][2] == settings.PARTNERHUB_DOWNLOAD_URL_SECONDS
    assert signed[0][1]["ResponseContentDisposition"] == 'attachment; filename="sd-wan-sales-deck.pdf"'
    assert Download.objects.count() == 1


def test_a_link_asset_redirects_to_its_address_and_a_missing_file_says_so(client, member):
    link = AssetFactory(asset_type=Asset.AssetType.LINK, file="", external_url="https://partners.example/")
    response = client.get(f"/library/{link.pk}/download/")
    assert response.status_code == 302 and response["Location"] == "https://partners.example/"
    missing = AssetFactory(title="Lost deck")
    Asset.objects.filter(pk=missing.pk).update(file="assets/nowhere.pdf")
    response = client.get(f"/library/{missing.pk}/download/")
    assert response.status_code == 404 and "This file is missing" in html(response)
    assert list(Download.objects.values_list("asset_id", flat=True)) == [link.pk]  # the missing file is not


def test_assets_i_may_not_see_are_404_page_and_download(client, member):
    hidden = AssetFactory(min_tier=TierFactory(key="platinum", rank=40))
    draft = AssetFactory(live=False)
    for asset in (hidden, draft):
        assert client.get(f"/library/{asset.pk}/").status_code == 404
        assert client.get(f"/library/{asset.pk}/download/").status_code == 404
    assert client.get("/library/999999/").status_code == 404
    assert not Download.objects.exists()


def test_the_leak_matrix_over_list_facets_suggest_page_and_download(client):
    matrix = build_matrix(AssetFactory, live=False)
    client.force_login(matrix.viewer_user)
    expected = matrix.expected_visible
    listed, page_number = set(), 1
    while True:
        page = html(client.get("/library/", {"ordering": "title", "page": page_number}))
        listed |= {int(pk) for pk in re.findall(r'<h3 class="hit-title"><a href="/library/(\d+)/', page)}
        if 'rel="next"' not in page:
            break
        page_number += 1
    assert listed == expected
    first = html(client.get("/library/"))
    assert f"{len(expected)} assets" in first
    assert re.search(rf"Document</span>\s*<span class=\"facet-count\">{len(expected)}<", first)
    for word in ("none", "below", "above", "out"):
        suggested = html(client.get("/library/suggest/", {"q": word}, HTTP_HX_REQUEST="true"))
        assert {int(pk) for pk in re.findall(r'href="/library/(\d+)/"', suggested)} <= expected, word
    for key, asset in matrix.items.items():
        visible = asset.pk in expected
        assert client.get(f"/library/{asset.pk}/").status_code == (200 if visible else 404), key
        assert client.get(f"/library/{asset.pk}/download/").status_code == (200 if visible else 404), key
    assert Download.objects.count() == len(expected)


def test_the_asset_page_costs_a_fixed_number_of_queries(client, member, deck, django_assert_max_num_queries):
    def count() -> int:
        with django_assert_max_num_queries(40) as captured:
            assert client.get(f"/library/{deck.pk}/").status_code == 200
        return len(captured)

    client.get(f"/library/{deck.pk}/")  # the first request of a site makes its branding settings row
    few = count()
    for number in range(3, 9):
        version(deck, number, f"Change {number}", 1)
        program_with(deck)
        course_using(deck)
    for code in ("es", "ja"):
        locale = Locale.objects.get_or_create(language_code=code)[0]
        AssetFactory(translation_key=deck.translation_key, locale=locale)
    Download.objects.create(asset=deck, user=member)
    assert count() == few
