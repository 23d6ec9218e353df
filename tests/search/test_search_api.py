"""Search, suggest and click through the API, on the database fallback (no ELASTICSEARCH_URL in unit tests).

The Elasticsearch side of the same contract is in ``tests/integration/test_search_elasticsearch.py``.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.factories import AssetFactory, BulletinFactory, ProductFactory, ProgramFactory
from courses.factories import CourseFactory
from partners.services import api_token_issue
from search.models import SearchClick, SearchQuery
from tests.conftest import make_token_user
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = ['"', "*", "~", "(", "{", "\\", "OR", "a OR b AND (c", "title:secret", "<script>alert(1)</script>"]


def search(client, headers, query="", **params):
    response = client.get("/api/v1/search", {"q": query, **params}, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_results_carry_kind_title_highlight_and_a_link(client, gold_partner_user):
    asset = AssetFactory(title="SD-WAN battlecard", summary="Win against the incumbent with SD-WAN.")
    ProgramFactory(title="Marketing development funds")
    body = search(client, gold_partner_user.headers, "battlecard")
    assert body["count"] == 1 and body["backend"] == "database"
    (hit,) = body["results"]
    assert (hit["kind"], hit["id"], hit["title"]) == ("asset", asset.pk, "SD-WAN battlecard")
    assert hit["highlight"]["title"] == "SD-WAN <mark>battlecard</mark>"
    assert hit["url"].endswith(f"/api/v1/assets/{asset.pk}")
    assert client.get(hit["url"], **gold_partner_user.headers).status_code == 200


def test_every_word_must_match_and_title_matches_come_first(client, gold_partner_user):
    in_summary = AssetFactory(title="Quarterly update", summary="The price list for EMEA partners.")
    in_title = AssetFactory(title="EMEA price list", summary="Prices.")
    AssetFactory(title="APAC price list", summary="Prices.")
    ids = [hit["id"] for hit in search(client, gold_partner_user.headers, "price EMEA")["results"]]
    assert ids == [in_title.pk, in_summary.pk]


def test_highlight_escapes_html_from_content(client, gold_partner_user):
    AssetFactory(title="<b>Bold</b> claims", summary="<img src=x onerror=alert(1)> bold")
    (hit,) = search(client, gold_partner_user.headers, "bold")["results"]
    assert "<b>" not in hit["highlight"]["title"] and "<img" not in hit["highlight"]["text"]
    assert "&lt;b&gt;<mark>Bold</mark>" in hit["highlight"]["title"]


def auth(user) -> dict:
    _token, plaintext = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.mark.parametrize(
    "factory",
    [AssetFactory, ProgramFactory, BulletinFactory, CourseFactory],
    ids=["asset", "program", "bulletin", "course"],
)
def test_leak_matrix_search_and_suggest(client, factory):
    matrix = build_matrix(factory)
    factory._meta.model.objects.update(title="Zebra crossing")  # the draft too
    headers = auth(matrix.viewer_user)
    body = search(client, headers, "zebra", page_size=100)
    assert {hit["id"] for hit in body["results"]} == matrix.expected_visible
    assert body["count"] == len(matrix.expected_visible)
    suggested = client.get("/api/v1/search/suggest", {"q": "zeb"}, **headers).json()
    assert {s["id"] for s in suggested} <= matrix.expected_visible
    assert len(suggested) == min(8, len(matrix.expected_visible))


def test_facets_count_only_what_the_user_may_see(client, gold_partner_user):
    from partners.factories import TierFactory

    router, switch = ProductFactory(key="router", name="Router"), ProductFactory(key="switch", name="Switch")
    AssetFactory(title="Router guide", products=[router])
    AssetFactory(title="Router and switch guide", products=[router, switch], asset_type="battlecard")
    AssetFactory(title="Secret router guide", products=[router], min_tier=TierFactory(key="platinum", rank=40))
    ProgramFactory(title="Router rebate guide")
    body = search(client, gold_partner_user.headers, "guide")
    facets = {name: {v["value"]: v["count"] for v in values} for name, values in body["facets"].items()}
    assert body["count"] == 3
    assert facets["type"] == {"document": 1, "battlecard": 1, "program": 1}
    assert facets["product"] == {"router": 2, "switch": 1}
    assert {v["value"]: v["label"] for v in body["facets"]["product"]} == {"router": "Router", "switch": "Switch"}
    narrowed = search(client, gold_partner_user.headers, "guide", product="switch", type="battlecard")
    assert narrowed["count"] == 1 and narrowed["facets"]["product"][0]["value"] in {"router", "switch"}


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_answer_sensibly(client, gold_partner_user, query):
    AssetFactory(title="Price list")
    body = search(client, gold_partner_user.headers, query)
    assert body["count"] >= 0
    response = client.get("/api/v1/search/suggest", {"q": query}, **gold_partner_user.headers)
    assert response.status_code == 200


def test_a_ten_thousand_character_query_is_a_clear_422(client, gold_partner_user):
    for path in ("/api/v1/search", "/api/v1/search/suggest"):
        response = client.get(path, {"q": "x" * 10_000}, **gold_partner_user.headers)
        assert response.status_code == 422
        assert "200 characters" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "x"}, {"page_size": "101"}, {"type": "spaceship"}, {"product": "p" * 65}]
)
def test_bad_parameters_are_422(client, gold_partner_user, params):
    response = client.get("/api/v1/search", {"q": "x", **params}, **gold_partner_user.headers)
    assert response.status_code == 422


def test_a_page_past_the_end_is_a_404_naming_the_last_page(client, gold_partner_user):
    AssetFactory(title="Only one")
    response = client.get("/api/v1/search", {"q": "only", "page": 2}, **gold_partner_user.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Page 2 does not exist; the last page is 1."}


def test_anonymous_and_non_partner_users_get_401(client):
    assert client.get("/api/v1/search", {"q": "x"}).status_code == 401
    assert client.get("/api/v1/search/suggest", {"q": "x"}).status_code == 401
    assert client.post("/api/v1/search/click", {}, content_type="application/json").status_code == 401


def test_each_search_is_recorded_with_its_result_count_partner_and_tier(client, gold_partner_user):
    AssetFactory(title="Price list")
    body = search(client, gold_partner_user.headers, "  Price   LIST ")
    search(client, gold_partner_user.headers, "")  # browsing is not a query
    query = SearchQuery.objects.get()
    assert body["query_id"] == query.pk
    assert (query.normalized, query.result_count, query.backend) == ("price list", 1, "database")
    membership = gold_partner_user.user.partner_membership
    assert (query.partner, query.tier, query.user) == (
        membership.partner,
        membership.partner.tier,
        gold_partner_user.user,
    )


@pytest.mark.parametrize("punctuation", ["?!", " ... ", "—", "&&||"])
def test_a_query_of_punctuation_only_browses_like_a_blank_one_and_is_not_recorded(
    client, gold_partner_user, punctuation
):
    AssetFactory.create_batch(3)
    browsing = search(client, gold_partner_user.headers, "")
    body = search(client, gold_partner_user.headers, punctuation)
    assert [hit["id"] for hit in body["results"]] == [hit["id"] for hit in browsing["results"]]
    assert body["count"] == browsing["count"] == 3
    assert not SearchQuery.objects.exists()  # no search ran: nothing for the analytics


def test_clicks_are_recorded_once_and_only_for_my_search_and_visible_results(client, gold_partner_user):
    from partners.factories import TierFactory

    asset = AssetFactory(title="Price list")
    hidden = AssetFactory(title="Price list platinum", min_tier=TierFactory(key="platinum", rank=40))
    query_id = search(client, gold_partner_user.headers, "price")["query_id"]

    def click(headers, **payload):
        return client.post(
            "/api/v1/search/click",
            {"query_id": query_id, "kind": "asset", "id": asset.pk, "position": 1, **payload},
            content_type="application/json",
            **headers,
        )

    assert click(gold_partner_user.headers).status_code == 204
    assert click(gold_partner_user.headers).status_code == 204  # twice counts once
    assert SearchClick.objects.get().position == 1
    assert click(gold_partner_user.headers, id=hidden.pk).status_code == 404
    assert click(gold_partner_user.headers, kind="program").status_code == 404
    other = make_token_user(partner=gold_partner_user.user.partner_membership.partner)
    assert click(other.headers).status_code == 404  # not their search
    assert click(gold_partner_user.headers, query_id="x").status_code == 422
    assert SearchClick.objects.count() == 1


def test_search_query_count_does_not_grow_with_page_size(client, gold_partner_user, django_assert_num_queries):
    for n in range(30):
        AssetFactory(title=f"Deck {n}", products=[ProductFactory(key=f"p{n % 3}")])
    search(client, gold_partner_user.headers, "deck", page_size=1)  # token last-used touch, labels cached
    with CaptureQueriesContext(connection) as small:
        search(client, gold_partner_user.headers, "deck", page_size=1)
    with django_assert_num_queries(len(small.captured_queries)):
        search(client, gold_partner_user.headers, "deck", page_size=50)
