"""Changes reaching the index, with Elasticsearch unreachable (unit tests have no Elasticsearch).

The write in the request fails here, so what is checked is the promise for that case:
the change itself is saved, and the items it touched are kept out of Elasticsearch's
answers until the retry caught up. ``tests/integration/test_search_elasticsearch.py``
shows the same changes leaving search at once against a real node.
"""

import json

import pytest

from cms.factories import AssetFactory, ProgramFactory
from cms.gating.lifecycle import content_archive
from cms.models import Asset
from partners.factories import TierFactory
from partners.services import tier_upsert
from search.backends import SearchRequest, search_body, stale_document_ids, suggest_body
from tests.search.test_search_internals import NOW, VIEWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_index(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there


def test_an_archive_the_index_could_not_take_is_saved_and_kept_out_of_elasticsearch_answers(
    unreachable_index, django_capture_on_commit_callbacks
):
    asset, other = AssetFactory(title="Rebate deck"), AssetFactory(title="Price list")
    with django_capture_on_commit_callbacks(execute=True):
        content_archive(item=asset)
    assert Asset.objects.get(pk=asset.pk).archived_at is not None
    assert stale_document_ids() == [f"asset-{asset.pk}"]
    assert f"asset-{other.pk}" not in stale_document_ids()


def test_a_tier_rank_change_rewrites_the_documents_of_the_items_of_that_tier(
    unreachable_index, django_capture_on_commit_callbacks
):
    silver, gold = TierFactory(key="silver", rank=20), TierFactory(key="gold", rank=30)
    silver_asset, silver_program = AssetFactory(min_tier=silver), ProgramFactory(min_tier=silver)
    AssetFactory(min_tier=gold)
    AssetFactory(min_tier=silver, live=False)  # a draft has no document
    with django_capture_on_commit_callbacks(execute=True):
        tier_upsert(key="gold", name=gold.name, rank=30)  # unchanged: nothing to rewrite
    assert stale_document_ids() == []
    with django_capture_on_commit_callbacks(execute=True):
        tier_upsert(key="silver", name=silver.name, rank=35)
    assert sorted(stale_document_ids()) == [f"asset-{silver_asset.pk}", f"program-{silver_program.pk}"]


def test_stale_items_are_left_out_inside_the_query_so_counts_and_facets_agree():
    excluded = ["asset-7", "course-3"]
    for body in (
        search_body(VIEWER, SearchRequest(text="deck"), NOW, excluded),
        suggest_body(VIEWER, "de", NOW, excluded),
    ):
        filters = json.dumps(body["query"])
        assert '{"bool": {"must_not": {"ids": {"values": ["asset-7", "course-3"]}}}}' in filters
