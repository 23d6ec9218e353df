"""The library (/library/): search through the API's search (the database fallback here), type-ahead, facets,
highlights, sorting, pages, and the audience rule on every part of it."""

import re
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from wagtail.models import Locale

import pytest

from cms.factories import AssetFactory, LanguageFactory, ProductFactory
from cms.models import Asset
from partners.factories import StaffUserFactory, TierFactory
from search.models import SearchClick, SearchQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    return response.content.decode()


def hit_titles(page: str) -> list[str]:
    """The result titles of a library page, in order (highlight marks removed)."""
    return [re.sub(r"</?mark>", "", title) for title in re.findall(r'<h3 class="hit-title"><a [^>]*>(.*?)</a>', page)]


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_the_library_lists_what_i_may_see_newest_first_with_facets(client, member):
    router = ProductFactory(key="router", name="Router X")
    english = LanguageFactory(key="en", name="English")
    AssetFactory(title="Old deck", last_published_at=days_ago(9), products=[router], languages=[english])
    AssetFactory(title="New battlecard", asset_type=Asset.AssetType.BATTLECARD, last_published_at=days_ago(1))
    AssetFactory(title="Platinum secrets", min_tier=TierFactory(key="platinum", rank=40))
    response = client.get("/library/")
    assert response.status_code == 200
    page = html(response)
    assert hit_titles(page) == ["New battlecard", "Old deck"]
    assert "2 assets" in page and "Platinum secrets" not in page
    assert re.search(r"Battlecard</span>\s*<span class=\"facet-count\">1<", page)
    assert re.search(r"Router X</span>\s*<span class=\"facet-count\">1<", page)
    assert re.search(r"English</span>\s*<span class=\"facet-count\">1<", page)
    assert 'aria-current="page">Library<' in page  # the navigation marks the section


def test_a_query_finds_matching_assets_with_highlights_and_is_recorded(client, member):
    AssetFactory(title="Pricing guide EMEA", summary="How to quote the router line.")
    AssetFactory(title="Brand kit", summary="Logos and colours.")
    page = html(client.get("/library/", {"q": "pricing"}))
    assert hit_titles(page) == ["Pricing guide EMEA"]
    assert "<mark>Pricing</mark> guide EMEA" in page
    assert "1 asset for “pricing”" in page
    assert SearchQuery.objects.get().text == "pricing"  # the editors' search reports see portal searches too


def test_an_asset_titled_script_is_escaped_everywhere_only_marks_are_html(client, member):
    AssetFactory(title="<script>alert(1)</script> deck", summary="<img src=x onerror=alert(1)> deck notes")
    for params in ({}, {"q": "deck"}, {"q": "script"}):
        page = html(client.get("/library/", params))
        assert "<script>alert" not in page and "<img src=x" not in page, params
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;<mark>script</mark>&gt;" in page, params
    suggestions = html(client.get("/library/suggest/", {"q": "<scr"}, HTTP_HX_REQUEST="true"))
    assert "<script>" not in suggestions


def test_facets_filter_and_their_links_toggle(client, member):
    router, switch = ProductFactory(key="router", name="Router"), ProductFactory(key="switch", name="Switch")
    AssetFactory(title="Router deck", products=[router])
    AssetFactory(title="Router battlecard", products=[router], asset_type=Asset.AssetType.BATTLECARD)
    AssetFactory(title="Switch deck", products=[switch])
    page = html(client.get("/library/", {"product": "router"}))
    assert sorted(hit_titles(page)) == ["Router battlecard", "Router deck"]
    assert re.search(r"Battlecard</span>\s*<span class=\"facet-count\">1<", page)  # counts within the filter
    assert 'href="/library/"' in page  # the selected value's link removes it
    assert 'type="hidden" form="library-search" name="product" value="router"' in page  # a new query keeps it
    both = html(client.get("/library/", {"product": "router", "type": "battlecard"}))
    assert hit_titles(both) == ["Router battlecard"]
    nothing = client.get("/library/", {"q": "switch", "product": "router"})
    assert nothing.status_code == 200 and "with these filters" in html(nothing) and "Clear filters" in html(nothing)


def test_sorting_by_relevance_newest_and_title(client, member):
    AssetFactory(title="Beta partner deck", summary="router", last_published_at=days_ago(1))
    AssetFactory(title="Router alpha guide", summary="x", last_published_at=days_ago(5))
    AssetFactory(title="Zulu router notes", summary="x", last_published_at=days_ago(3))
    assert hit_titles(html(client.get("/library/", {"q": "router"}))) == [
        "Zulu router notes",  # the title matches first, then newest
        "Router alpha guide",
        "Beta partner deck",
    ]
    newest = hit_titles(html(client.get("/library/", {"q": "router", "ordering": "newest"})))
    assert newest == ["Beta partner deck", "Zulu router notes", "Router alpha guide"]
    by_title = hit_titles(html(client.get("/library/", {"q": "router", "ordering": "title"})))
    assert by_title == ["Beta partner deck", "Router alpha guide", "Zulu router notes"]
    assert hit_titles(html(client.get("/library/", {"ordering": "title"})))[0] == "Beta partner deck"


def test_pages_of_twenty_with_links_that_keep_the_query(client, member):
    for number in range(45):
        AssetFactory(title=f"Deck {number:02d}", last_published_at=days_ago(number))
    first = html(client.get("/library/", {"q": "deck", "ordering": "newest"}))
    assert len(hit_titles(first)) == 20 and hit_titles(first)[0] == "Deck 00"
    assert 'href="/library/?q=deck&amp;ordering=newest&amp;page=2"' in first and 'rel="next"' in first
    third = html(client.get("/library/", {"q": "deck", "ordering": "newest", "page": 3}))
    assert hit_titles(third) == ["Deck 40", "Deck 41", "Deck 42", "Deck 43", "Deck 44"]
    assert '<ol class="hit-list" start="41">' in third
    assert client.get("/library/", {"q": "deck", "page": 4}).status_code == 404  # past the last page
    assert client.get("/library/", {"page": "two"}).status_code == 400
    assert client.get("/library/", {"type": "spaceship"}).status_code == 400
    assert client.get("/library/", {"q": "x" * 500}).status_code == 400


def test_htmx_gets_the_results_region_and_a_plain_request_the_page(client, member):
    AssetFactory(title="Router deck")
    fragment = html(client.get("/library/", {"q": "router"}, HTTP_HX_REQUEST="true"))
    assert fragment.startswith('<div id="library-results"') and "<html" not in fragment
    assert "Router deck" in fragment and 'hx-swap-oob="true"' in fragment  # the suggestions close
    restore = client.get("/library/", {"q": "router"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in html(restore)
    page = html(client.get("/library/", {"q": "router"}))
    assert "<html" in page and 'id="library-results"' in page
    assert 'hx-push-url="true"' in page and 'action="/library/"' in page  # htmx, and a plain form without it
    assert 'hx-trigger="input changed delay:250ms, search"' in page


def test_suggest_answers_a_fragment_for_htmx_and_a_page_otherwise(client, member):
    deck = AssetFactory(title="Partner pricing deck")
    AssetFactory(title="Brand kit")
    fragment = client.get("/library/suggest/", {"q": "pric"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in html(fragment)
    assert f'href="/library/{deck.pk}/"' in html(fragment) and "Brand kit" not in html(fragment)
    assert "1 suggestion" in html(fragment)
    full = html(client.get("/library/suggest/", {"q": "pric"}))
    assert "<html" in full and "Partner pricing deck" in full
    assert "Partner pricing deck" not in html(client.get("/library/suggest/", {"q": ""}, HTTP_HX_REQUEST="true"))


def test_the_library_picks_the_variant_in_the_active_language(client, member):
    german = Locale.objects.get_or_create(language_code="de")[0]
    deck = AssetFactory(title="Sales deck")
    AssetFactory(title="Verkaufspräsentation", translation_key=deck.translation_key, locale=german)
    assert hit_titles(html(client.get("/library/"))) == ["Sales deck"]
    with override_settings(LANGUAGE_CODE="de"):
        assert hit_titles(html(client.get("/library/"))) == ["Verkaufspräsentation"]


def test_an_empty_library_says_so(client, member):
    page = html(client.get("/library/"))
    assert "There is nothing in your library yet" in page and "0 assets" in page


def test_staff_and_visitors_are_kept_out(client):
    assert client.get("/library/")["Location"].startswith("/accounts/login/?next=/library/")
    client.force_login(StaffUserFactory())
    assert client.get("/library/").status_code == 403
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        assert client.get("/library/").status_code == 404


def test_opening_a_result_records_the_click_for_the_search_reports(client, member):
    deck = AssetFactory(title="Router deck")
    page = html(client.get("/library/", {"q": "router"}))
    query = SearchQuery.objects.get()
    link = f'href="/library/{deck.pk}/?search={query.pk}&amp;position=1"'
    assert link in page
    assert client.get(f"/library/{deck.pk}/", {"search": query.pk, "position": 1}).status_code == 200
    assert SearchClick.objects.get().position == 1
    assert client.get(f"/library/{deck.pk}/", {"search": 999999}).status_code == 200  # not mine: nothing recorded
    assert SearchClick.objects.count() == 1


@pytest.mark.parametrize("params", [{}, {"q": "deck"}, {"q": "deck", "type": "document", "ordering": "title"}])
def test_the_library_costs_a_fixed_number_of_queries(client, member, django_assert_max_num_queries, params):
    product, language = ProductFactory(key="router"), LanguageFactory(key="en")

    def count() -> int:
        with django_assert_max_num_queries(40) as captured:
            assert client.get("/library/", params).status_code == 200
        return len(captured)

    AssetFactory(title="Deck one", products=[product], languages=[language])
    client.get("/library/")  # the first request of a site makes its branding settings row
    few = count()
    for number in range(30):
        AssetFactory(title=f"Deck {number}", products=[product], languages=[language])
    assert count() == few
