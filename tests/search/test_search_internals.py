"""Search pieces that need no Elasticsearch: the query the user's words become, documents, commands."""

import json
from datetime import UTC, datetime

from django.core.management import CommandError, call_command

import pytest

from cms.factories import AssetFactory, BulletinFactory, ProductFactory
from core.search import search_kinds
from partners.audience import Viewer
from partners.qualifications import Qualifications
from search.backends import SearchRequest, has_words, search_body, suggest_body
from search.documents import documents_for
from search.factories import SynonymFactory
from search.index import index_settings, synonym_rules

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
# Holds nothing, said outright: a query body needs no database (else the first test to build one reads it).
VIEWER = Viewer(
    user_id=1,
    partner_id=1,
    tier_rank=20,
    partner_type_id=3,
    region_id=4,
    role_ids=frozenset({5}),
    qualifications=Qualifications(),
)
SYNTAX_QUERIES = ["title:secret", 'a" OR "b', "*", "x~2", "(a AND b)", "{!lucene}", "\\", "a^9"]


def _clauses(node):
    """Every (clause type, body) pair in an Elasticsearch query body."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _clauses(value)
    elif isinstance(node, list):
        for value in node:
            yield from _clauses(value)


@pytest.mark.parametrize("text", SYNTAX_QUERIES)
def test_user_words_only_ever_reach_elasticsearch_as_analysed_text(text):
    bodies = {"search": search_body(VIEWER, SearchRequest(text=text), NOW), "suggest": suggest_body(VIEWER, text, NOW)}
    for name, body in bodies.items():
        clause_types = {key for key, _value in _clauses(body)}
        assert not clause_types & {"query_string", "simple_query_string", "regexp", "wildcard", "prefix", "script"}
        carrying = [key for key, value in _clauses(body) if isinstance(value, dict) and value.get("query") == text]
        if name == "search" and not has_words(text):
            assert carrying == []  # punctuation only: a search browses (newest first), the text goes nowhere
            continue
        # multi_match, match_phrase on the title, and the match and phrase inside the pages of files
        assert carrying and set(carrying) <= {"multi_match", "title", "pages.text"}


def test_the_audience_and_the_live_window_are_filters_of_the_query():
    body = search_body(VIEWER, SearchRequest(text="deck", type="battlecard", product="router"), NOW)
    filters = body["query"]["function_score"]["query"]["bool"]["filter"]
    text = json.dumps(filters)
    assert '"audience_min_tier_rank": {"lte": 20}' in text
    assert '"audience_partner_types": ["*", "3"]' in text and '"audience_roles": ["*", "5"]' in text
    assert '"expire_at": {"gt": "2026-11-25T12:00:00+00:00"}' in text
    assert '"go_live_at": {"lte": "2026-11-25T12:00:00+00:00"}' in text
    assert {"term": {"type": "battlecard"}} in filters and {"term": {"products": "router"}} in filters
    assert "post_filter" not in body  # facets and counts see the same filters as the hits


def test_documents_carry_text_facets_audience_and_live_window_and_none_for_what_is_not_live(db):
    from partners.factories import RegionFactory, TierFactory

    emea = RegionFactory(key="emea")
    asset = AssetFactory(
        title="Router deck",
        products=[ProductFactory(key="router", name="Router")],
        min_tier=TierFactory(key="gold", rank=30),
        regions=[emea],
        asset_type="presentation",
    )
    draft = AssetFactory(title="Draft", live=False)
    documents = dict(documents_for(search_kinds()["asset"], [asset.pk, draft.pk, 999_999]))
    document = documents[asset.pk]
    assert (document["kind"], document["item_id"], document["type"]) == ("asset", asset.pk, "presentation")
    assert (document["products"], document["product_names"]) == (["router"], "Router")
    assert document["audience_min_tier_rank"] == 30 and document["audience_regions"] == [str(emea.pk)]
    assert document["audience_roles"] == ["*"]
    assert documents[draft.pk] is None and documents[999_999] is None  # delete from the index

    bulletin = BulletinFactory(body="<p>Prices <b>change</b> in January.</p>")
    ((_pk, bulletin_document),) = documents_for(search_kinds()["bulletin"], [bulletin.pk])
    assert bulletin_document["body"] == "Prices change in January." and bulletin_document["type"] == "bulletin"


def test_synonyms_become_search_time_rules(db):
    SynonymFactory(terms="SD-WAN,  sdwan , Software Defined WAN")
    assert synonym_rules() == ["sd-wan, sdwan, software defined wan"]
    settings = index_settings(synonym_rules())["settings"]["analysis"]
    assert settings["filter"]["partnerhub_synonyms"]["synonyms"] == ["sd-wan, sdwan, software defined wan"]
    assert "partnerhub_synonyms" in settings["analyzer"]["partnerhub_english_search"]["filter"]
    assert "partnerhub_synonyms" not in settings["analyzer"]["partnerhub_english"]["filter"]  # not at index time
    assert "partnerhub_synonyms" not in json.dumps(index_settings([]))


@pytest.mark.parametrize("command", ["search_reindex", "search_reconcile"])
def test_search_commands_say_clearly_when_elasticsearch_is_not_configured(db, command):
    with pytest.raises(CommandError, match="Elasticsearch is not configured"):
        call_command(command)
