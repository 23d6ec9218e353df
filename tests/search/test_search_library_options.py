"""What the library (and the API) can ask search besides words and facets: one kind, an ordering, a language.

The Elasticsearch query bodies are checked here without Elasticsearch; the database fallback answers the API.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from wagtail.models import Locale

import pytest

from cms.factories import AssetFactory, ProgramFactory
from partners.audience import Viewer
from search.backends import SearchRequest, other_variant_ids, search_body, suggest_body
from search.documents import document_id
from search.index import index_settings

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
VIEWER = Viewer(user_id=1, partner_id=1, tier_rank=20, partner_type_id=3, region_id=4, role_ids=frozenset({5}))


def filters_of(body):
    return body["query"]["function_score"]["query"]["bool"]["filter"]


def test_elasticsearch_bodies_for_kind_ordering_and_suggest():
    relevance = search_body(VIEWER, SearchRequest(text="deck", kind="asset"), NOW)
    assert {"term": {"kind": "asset"}} in filters_of(relevance) and "sort" not in relevance
    newest = search_body(VIEWER, SearchRequest(text="deck", ordering="newest"), NOW)
    assert newest["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}} and "highlight" in newest
    by_title = search_body(VIEWER, SearchRequest(ordering="title"), NOW)
    assert by_title["sort"][0] == {"title.sort": {"order": "asc", "unmapped_type": "keyword"}}
    assert "highlight" not in by_title  # nothing to highlight without words
    suggest = suggest_body(VIEWER, "dec", NOW, kind="asset")
    assert {"term": {"kind": "asset"}} in suggest["query"]["bool"]["filter"]


def test_the_index_has_a_normalized_keyword_to_sort_titles_by():
    settings = index_settings([])
    assert settings["mappings"]["properties"]["title"]["fields"]["sort"] == {
        "type": "keyword",
        "normalizer": "partnerhub_sort",
    }
    assert settings["settings"]["analysis"]["normalizer"]["partnerhub_sort"]["filter"] == ["lowercase", "asciifolding"]


def test_other_language_variants_are_left_out_for_elasticsearch(gold_partner_user):
    german = Locale.objects.get_or_create(language_code="de")[0]
    deck = AssetFactory(title="Deck")
    variant = AssetFactory(title="Präsentation", translation_key=deck.translation_key, locale=german)
    AssetFactory(title="English only")
    user = gold_partner_user.user
    assert other_variant_ids(user, SearchRequest(locale="de")) == [document_id("asset", deck.pk)]
    assert other_variant_ids(user, SearchRequest(locale="en")) == [document_id("asset", variant.pk)]
    assert other_variant_ids(user, SearchRequest()) == []


def test_the_api_searches_one_kind_in_an_ordering_and_a_language(client, gold_partner_user):
    headers = gold_partner_user.headers
    german = Locale.objects.get_or_create(language_code="de")[0]
    deck = AssetFactory(title="Router deck", last_published_at=timezone.now() - timedelta(days=3))
    AssetFactory(title="Router Präsentation", translation_key=deck.translation_key, locale=german)
    ProgramFactory(title="Router program")
    AssetFactory(title="Another router guide")

    def titles(**params):
        response = client.get("/api/v1/search", {"q": "router", **params}, **headers)
        assert response.status_code == 200, response.content
        return [hit["title"] for hit in response.json()["results"]]

    assert set(titles()) == {"Router deck", "Router Präsentation", "Router program", "Another router guide"}
    assert titles(kind="asset", locale="en", ordering="title") == ["Another router guide", "Router deck"]
    assert titles(kind="asset", locale="de", ordering="title") == ["Another router guide", "Router Präsentation"]
    assert titles(kind="program") == ["Router program"]
    assert client.get("/api/v1/search", {"ordering": "random"}, **headers).status_code == 422
    assert client.get("/api/v1/search", {"kind": "spaceship"}, **headers).status_code == 422
    suggested = client.get("/api/v1/search/suggest", {"q": "rout", "kind": "program"}, **headers).json()
    assert [s["title"] for s in suggested] == ["Router program"]
