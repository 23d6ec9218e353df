"""Search impressions: each recorded search keeps the results shown on that page, in rank order, as
``[kind, item id]`` pairs (``SearchQuery.results``), from the API and from the portal's library."""

from django.utils import timezone

import pytest

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from partners.factories import TierFactory
from search.models import SearchClick, SearchQuery

pytestmark = pytest.mark.django_db


def test_an_api_search_records_the_pages_results_in_rank_order(client, gold_partner_user):
    now = timezone.now()
    asset = AssetFactory(title="Pricing deck", last_published_at=now)
    program = ProgramFactory(title="Pricing incentives", last_published_at=now)
    bulletin = BulletinFactory(title="Pricing update", last_published_at=now)
    AssetFactory(title="Pricing for Platinum", min_tier=TierFactory(key="platinum", rank=40))  # never shown
    response = client.get("/api/v1/search", {"q": "pricing", "ordering": "title"}, **gold_partner_user.headers)
    body = response.json()
    shown = [[hit["kind"], hit["id"]] for hit in body["results"]]
    assert shown == [["asset", asset.pk], ["program", program.pk], ["bulletin", bulletin.pk]]  # by title
    assert SearchQuery.objects.get(pk=body["query_id"]).results == shown


def test_each_page_records_only_its_own_results(client, gold_partner_user):
    assets = [AssetFactory(title=f"Pricing {letter}") for letter in "abc"]
    headers = gold_partner_user.headers
    params = {"q": "pricing", "ordering": "title", "page_size": 2}
    first = client.get("/api/v1/search", params, **headers).json()
    second = client.get("/api/v1/search", {**params, "page": 2}, **headers).json()
    assert SearchQuery.objects.get(pk=first["query_id"]).results == [["asset", a.pk] for a in assets[:2]]
    assert SearchQuery.objects.get(pk=second["query_id"]).results == [["asset", assets[2].pk]]


def test_a_search_that_found_nothing_records_no_impressions(client, gold_partner_user):
    body = client.get("/api/v1/search", {"q": "nothing-matches"}, **gold_partner_user.headers).json()
    query = SearchQuery.objects.get(pk=body["query_id"])
    assert (query.result_count, query.results) == (0, [])


def test_the_portal_library_records_the_cards_it_shows_in_order(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    router, pricing = AssetFactory(title="Router pricing"), AssetFactory(title="Appliance pricing")
    assert client.get("/library/", {"q": "pricing", "ordering": "title"}).status_code == 200
    query = SearchQuery.objects.get()
    assert query.results == [["asset", pricing.pk], ["asset", router.pk]]
    # The kinds are the clicks' kinds: impressions and clicks of one item meet on (kind, item id).
    client.get(f"/library/{router.pk}/", {"search": query.pk, "position": 2})
    click = SearchClick.objects.get()
    assert [click.kind, click.item_id] in query.results


def test_the_service_records_what_the_page_showed_when_it_left_hits_out(gold_partner_user):
    """The library drops a hit archived since the index saw it: ``shown`` says what the user actually saw."""
    from search.backends import SearchHit, SearchRequest, SearchResults
    from search.services import search_query_record

    hits = [
        SearchHit(kind="asset", id=pk, title="", summary="", type="", published_at=None, highlight={})
        for pk in (7, 3, 9)
    ]
    results = SearchResults(count=3, hits=hits, backend="database")
    request = SearchRequest(text="pricing")
    every = search_query_record(user=gold_partner_user.user, request=request, results=results)
    assert every.results == [["asset", 7], ["asset", 3], ["asset", 9]]
    some = search_query_record(user=gold_partner_user.user, request=request, results=results, shown=[hits[0], hits[2]])
    assert (some.results, some.result_count) == ([["asset", 7], ["asset", 9]], 3)
