"""The Elasticsearch index of partner content: its settings and mapping, the alias, bulk writes.

One alias (``<prefix>-content``) points at one concrete index
(``<prefix>-content-<timestamp>``). Queries and single-item updates go through the
alias; a rebuild fills a new index and then moves the alias in one atomic call, so
searches never see a half-built index.
"""

from collections.abc import Iterable

from django.utils import timezone

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from .client import get_client, index_name
from .models import Synonym, synonym_terms


def alias_name() -> str:
    return index_name("content")


def new_index_name() -> str:
    return f"{alias_name()}-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"


def synonym_rules() -> list[str]:
    """The editors' synonym lines as Solr-format equivalence rules (``a, b, c``)."""
    return [", ".join(synonym_terms(line)) for line in Synonym.objects.values_list("terms", flat=True)]


def index_settings(synonyms: list[str]) -> dict:
    """Analysis and mapping: English stemming, search-time synonyms, suggest, sort and facet fields."""
    english = ["english_possessive_stemmer", "lowercase", "english_stop", "english_stemmer"]
    search_chain = ["english_possessive_stemmer", "lowercase"]
    if synonyms:
        search_chain.append("partnerhub_synonyms")
    search_chain += ["english_stop", "english_stemmer"]
    filters = {
        "english_stop": {"type": "stop", "stopwords": "_english_"},
        "english_stemmer": {"type": "stemmer", "language": "english"},
        "english_possessive_stemmer": {"type": "stemmer", "language": "possessive_english"},
    }
    if synonyms:
        filters["partnerhub_synonyms"] = {"type": "synonym_graph", "synonyms": synonyms, "lenient": True}
    text = {"type": "text", "analyzer": "partnerhub_english", "search_analyzer": "partnerhub_english_search"}
    return {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "analysis": {
                "filter": filters,
                "analyzer": {
                    "partnerhub_english": {"tokenizer": "standard", "filter": english},
                    "partnerhub_english_search": {"tokenizer": "standard", "filter": search_chain},
                },
                # Sorting by title: one keyword per title, in lower case and without accents.
                "normalizer": {"partnerhub_sort": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "kind": {"type": "keyword"},
                "item_id": {"type": "long"},
                "title": {
                    **text,
                    "fields": {
                        "suggest": {"type": "search_as_you_type"},
                        "sort": {"type": "keyword", "normalizer": "partnerhub_sort"},
                    },
                },
                "summary": text,
                "body": text,
                "product_names": text,
                "type": {"type": "keyword"},
                "products": {"type": "keyword"},
                "languages": {"type": "keyword"},
                "locale": {"type": "keyword"},
                "published_at": {"type": "date"},
                "go_live_at": {"type": "date"},
                "expire_at": {"type": "date"},
                "updated_at": {"type": "date"},
                "audience_min_tier_rank": {"type": "integer"},
                "audience_partner_types": {"type": "keyword"},
                "audience_regions": {"type": "keyword"},
                "audience_roles": {"type": "keyword"},
                "audience_qualification": {"type": "keyword"},
                "audience_qualification_mode": {"type": "keyword"},
                "audience_qualification_holders": {"type": "integer"},
                # The text of the item's file, one nested document per page, slide or sheet: a query can tell
                # which one matched (inner_hits) and highlight a passage of it.
                "pages": {
                    "type": "nested",
                    "properties": {
                        "unit": {"type": "integer"},
                        "kind": {"type": "keyword"},
                        "name": {"type": "keyword", "index": False},
                        "text": text,
                    },
                },
            },
        },
    }


def create_index(client: Elasticsearch, name: str, *, bulk_loading: bool = False) -> None:
    body = index_settings(synonym_rules())
    if bulk_loading:  # no refreshes while a rebuild fills it
        body["settings"]["refresh_interval"] = "-1"
    client.indices.create(index=name, body=body)


def indices_behind_alias(client: Elasticsearch) -> list[str]:
    if not client.indices.exists_alias(name=alias_name()):
        return []
    try:
        return sorted(client.indices.get_alias(name=alias_name()))
    except NotFoundError:  # removed in between
        return []


def ensure_index(client: Elasticsearch | None = None) -> str:
    """The alias, creating an empty index behind it on first use."""
    client = client or get_client()
    if not indices_behind_alias(client):
        name = new_index_name()
        create_index(client, name)
        client.indices.update_aliases(body={"actions": [{"add": {"index": name, "alias": alias_name()}}]})
    return alias_name()


def swap_alias(client: Elasticsearch, new_index: str) -> list[str]:
    """Point the alias at ``new_index`` in one atomic call; answer the indices it left (now unused)."""
    old = indices_behind_alias(client)
    actions = [{"remove": {"index": name, "alias": alias_name()}} for name in old]
    actions.append({"add": {"index": new_index, "alias": alias_name()}})
    client.indices.update_aliases(body={"actions": actions})
    return [name for name in old if name != new_index]


def bulk_actions(index: str, documents: Iterable[tuple[str, dict | None]]):
    """Bulk actions for ``(doc_id, document)`` pairs: index a document, delete when it is ``None``."""
    for doc_id, document in documents:
        if document is None:
            yield {"_op_type": "delete", "_index": index, "_id": doc_id}
        else:
            yield {"_op_type": "index", "_index": index, "_id": doc_id, "_source": document}


def bulk_write(client: Elasticsearch, index: str, documents, *, chunk_size: int = 1000, refresh=False):
    """Write ``(doc_id, document)`` pairs; yields one ``True`` per document written (for progress bars).

    A delete of a document that is not there is fine (the result we want); any other
    failure raises.
    """
    for ok, info in streaming_bulk(
        client,
        bulk_actions(index, documents),
        chunk_size=chunk_size,
        raise_on_error=False,
        raise_on_exception=True,
        refresh=refresh,
    ):
        if not ok:
            (operation,) = info.values()
            if not (operation.get("status") == 404 and "delete" in info):
                raise RuntimeError(f"Elasticsearch refused {operation.get('_id')}: {operation.get('error')}")
        yield True
