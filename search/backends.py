"""The request and answer of a search, and the Elasticsearch way to answer it (the database fallback: ``fallback``).

Both backends take the same ``SearchRequest`` for one ``Viewer`` and answer ``SearchResults``
with the audience and liveness applied where the data is (inside the Elasticsearch
query, or the SQL ``visible_to`` filter), never by dropping hits afterwards, so counts,
pages and facets are exactly what the viewer may see. Items whose latest change has
not reached the index yet (``PendingSearchSync``) are left out of Elasticsearch's
answers by id, inside the query too, and so are the language variants a request's
``locale`` passes over (``other_variant_ids``).

The text inside files (a kind's ``file_text``: an asset's pages, slides and sheets) is in
the index as nested ``pages``, matched page by page with a lower weight than titles and
summaries; the page that matched best comes back (``inner_hits``) as the hit's
``matched_in``, with a highlighted passage. The audience and live-window filters are the
same ones around the whole query, so a gated item's pages never match for anyone else.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.html import escape

from elasticsearch.exceptions import ConnectionError as ESConnectionError
from elasticsearch.exceptions import NotFoundError, TransportError

from cms.selectors import translated_keys
from core.search import SearchKind, search_kinds
from partners.audience import Viewer, search_filter, viewer_for

from .client import get_client
from .documents import document_id
from .index import alias_name
from .models import PendingSearchSync

MAX_RESULT_WINDOW = 10_000
SUGGESTIONS = 8
#: How results may be ordered: the best first (newest first without a query), newest first, by title.
ORDERINGS = ("relevance", "newest", "title")


class SearchUnavailable(Exception):
    """Elasticsearch could not answer (down, timing out, or refusing the request)."""


class SearchIndexMissing(SearchUnavailable):
    """Elasticsearch is up but the index is not there yet (``manage.py search_reindex`` builds it)."""


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    type: str | None = None
    product: str | None = None
    language: str | None = None
    page: int = 1
    page_size: int = 20
    kind: str | None = None  # only items of this registered kind (``core.search``), e.g. the asset library
    ordering: str = "relevance"  # one of ``ORDERINGS``
    locale: str | None = None  # one language variant per item of a translatable kind, this language first

    @property
    def browsing(self) -> bool:
        """No word to search for (blank, or punctuation only): the listing, newest first, on both backends."""
        return not has_words(self.text)

    @property
    def by_relevance(self) -> bool:
        return self.ordering == "relevance" and not self.browsing

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def words(self) -> list[str]:
        """The query's words, for the database fallback (punctuation is not syntax, just dropped)."""
        return re.findall(r"\w+", self.text.lower())[:12]


def has_words(text: str) -> bool:
    """Whether ``text`` has a letter or a digit (in any script) to search for."""
    return re.search(r"\w", text) is not None


@dataclass
class SearchHit:
    kind: str
    id: int
    title: str
    summary: str
    type: str
    published_at: datetime | None
    highlight: dict
    score: float | None = None
    matched_in: dict | None = None  # the page/slide/sheet of a file that matched: unit, kind, name, highlight


@dataclass
class SearchResults:
    count: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> count
    backend: str = "elasticsearch"


@dataclass
class Suggestion:
    kind: str
    id: int
    title: str
    type: str


# Elasticsearch -------------------------------------------------------------------------

TEXT_FIELDS = ["title^3", "summary^2", "product_names^2", "body"]
FUZZY_FIELDS = ["title^3", "summary^2"]  # typos in the short fields; bodies would cost more than they find
#: The weight of a match inside a file's page against the title (3) and summary (2): found, but ranked below them.
FILE_TEXT_BOOST = 0.3
HIGHLIGHT_TAGS = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"]}


def _filters(viewer: Viewer, request: SearchRequest, now: datetime, excluded: list[str]) -> list[dict]:
    moment = now.isoformat()
    filters = [
        search_filter(viewer),
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": {"exists": {"field": "expire_at"}}}},
                    {"range": {"expire_at": {"gt": moment}}},
                ]
            }
        },
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": {"exists": {"field": "go_live_at"}}}},
                    {"range": {"go_live_at": {"lte": moment}}},
                ]
            }
        },
    ]
    for name, value in (
        ("kind", request.kind),
        ("type", request.type),
        ("products", request.product),
        ("languages", request.language),
    ):
        if value:
            filters.append({"term": {name: value}})
    if excluded:
        filters.append({"bool": {"must_not": {"ids": {"values": excluded}}}})
    return filters


def text_query(text: str) -> dict:
    """Relevance for the user's words, which are only ever analysed text (never query syntax).

    The words may be spread over the fields (``cross_fields``: "battlecard emea" finds a
    battlecard whose summary says EMEA), stemmed and with the editors' synonyms; a phrase
    in the title scores more; and words within a typo or two (``fuzziness: AUTO``) of a
    title or summary word still match, with a lower score.
    """
    if not has_words(text):
        return {"match_all": {}}
    should_match = "3<75%"
    return {
        "bool": {
            "should": [
                {
                    "multi_match": {
                        "query": text,
                        "fields": TEXT_FIELDS,
                        "type": "cross_fields",
                        "minimum_should_match": should_match,
                    }
                },
                {"match_phrase": {"title": {"query": text, "boost": 2}}},
                {
                    "multi_match": {
                        "query": text,
                        "fields": FUZZY_FIELDS,
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                        "max_expansions": 10,
                        "analyzer": "partnerhub_english",
                        "minimum_should_match": should_match,
                        "boost": 0.4,
                    }
                },
                file_text_query(text, should_match),
            ],
            "minimum_should_match": 1,
        }
    }


def file_text_query(text: str, should_match: str) -> dict:
    """The words within one page (slide, sheet) of an item's file; the best page comes back with a passage."""
    return {
        "nested": {
            "path": "pages",
            "score_mode": "max",
            "ignore_unmapped": True,  # an index built before files were searched still answers
            "boost": FILE_TEXT_BOOST,
            "query": {
                "bool": {
                    "should": [
                        {"match": {"pages.text": {"query": text, "minimum_should_match": should_match}}},
                        {"match_phrase": {"pages.text": {"query": text, "boost": 2}}},
                    ],
                    "minimum_should_match": 1,
                }
            },
            "inner_hits": {
                "size": 1,
                "_source": ["pages.unit", "pages.kind", "pages.name"],
                "highlight": {
                    **HIGHLIGHT_TAGS,
                    "fields": {"pages.text": {"fragment_size": 180, "number_of_fragments": 1, "no_match_size": 180}},
                },
            },
        }
    }


def search_body(viewer: Viewer, request: SearchRequest, now: datetime, excluded: list[str] = ()) -> dict:
    """The query for one page of results; ``excluded`` document ids are left out (their index entry is stale)."""
    scored = {
        "function_score": {
            "query": {"bool": {"must": text_query(request.text), "filter": _filters(viewer, request, now, excluded)}},
            # A gentle recency boost: a year-old item keeps about 85% of its score, never less than 70%.
            "functions": [
                {"gauss": {"published_at": {"origin": now.isoformat(), "scale": "365d", "decay": 0.5}}, "weight": 0.3},
                {"weight": 0.7},
            ],
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }
    body = {
        "query": scored,
        "from": request.offset,
        "size": request.page_size,
        "track_total_hits": True,
        "_source": ["kind", "item_id", "title", "summary", "type", "published_at"],
        "aggs": {
            "type": {"terms": {"field": "type", "size": 50}},
            "product": {"terms": {"field": "products", "size": 200}},
            "language": {"terms": {"field": "languages", "size": 100}},
        },
        "highlight": {
            **HIGHLIGHT_TAGS,
            "require_field_match": False,
            "fields": {
                "title": {"number_of_fragments": 0},
                "summary": {"fragment_size": 180, "number_of_fragments": 1},
                "body": {"fragment_size": 180, "number_of_fragments": 1},
            },
        },
    }
    if request.ordering == "title":
        # ``unmapped_type``: an index built before ``title.sort`` existed answers unsorted, not an error.
        body["sort"] = [{"title.sort": {"order": "asc", "unmapped_type": "keyword"}}, {"item_id": "asc"}]
    elif not request.by_relevance:
        body["sort"] = [{"published_at": {"order": "desc", "missing": "_last"}}, {"item_id": "desc"}]
    if request.browsing:
        del body["highlight"]
    return body


def suggest_body(viewer: Viewer, text: str, now: datetime, excluded: list[str] = (), kind: str | None = None) -> dict:
    fields = ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"]
    return {
        "size": SUGGESTIONS,
        "_source": ["kind", "item_id", "title", "type"],
        "query": {
            "bool": {
                "must": {"multi_match": {"query": text, "type": "bool_prefix", "fields": fields, "operator": "and"}},
                "filter": _filters(viewer, SearchRequest(kind=kind), now, excluded),
            }
        },
    }


def stale_document_ids() -> list[str]:
    """Items changed since their document was written whose write failed: left out until the retry caught up."""
    return [document_id(kind, pk) for kind, pk in PendingSearchSync.objects.values_list("kind", "item_id")]


def localizes(kind: SearchKind) -> bool:
    return hasattr(kind.model.objects.none(), "localized_for")


def other_variant_ids(user, request: SearchRequest) -> list[str]:
    """Documents of language variants that ``request.locale`` passes over for ``user`` (one query per kind).

    The variants ``localized_for`` would not pick (another variant of the same item in the
    user's language, or else in the default one, is there for them), left out of
    Elasticsearch's answer inside the query like stale documents.
    """
    if not request.locale:
        return []
    hidden = []
    for name, kind in search_kinds().items():
        if not localizes(kind) or request.kind not in (None, name):
            continue
        # Only items with more than one variant can have one passed over (their keys are cached), instead of the
        # audience rule and the variant choice evaluated for every visible item.
        translated = translated_keys(model=kind.model)
        if not translated:
            continue
        visible = kind.model.objects.visible_to(user).filter(translation_key__in=translated)
        picked = visible.localized_for(user, request.locale).values("pk")
        hidden += [document_id(name, pk) for pk in visible.exclude(pk__in=picked).values_list("pk", flat=True)]
    return hidden


@contextmanager
def elasticsearch_errors():
    """Any failure to reach or use Elasticsearch, as ``SearchUnavailable``."""
    try:
        yield
    except NotFoundError as error:
        raise SearchIndexMissing(str(error)) from error
    except (ESConnectionError, TransportError) as error:
        raise SearchUnavailable(str(error)) from error


def _es_call(method, **kwargs):
    with elasticsearch_errors():
        return method(request_timeout=settings.SEARCH_REQUEST_TIMEOUT, **kwargs)


class ElasticsearchBackend:
    name = "elasticsearch"

    def search(self, user, request: SearchRequest, now: datetime) -> SearchResults:
        excluded = stale_document_ids() + other_variant_ids(user, request)
        body = search_body(viewer_for(user), request, now, excluded)
        response = _es_call(get_client().search, index=alias_name(), body=body)
        hits = []
        for hit in response["hits"]["hits"]:
            source, marked = hit["_source"], hit.get("highlight", {})
            plain = escape(clip_text(source.get("summary", "")))
            snippet = (marked.get("summary") or marked.get("body") or [plain])[0]
            hits.append(
                SearchHit(
                    kind=source["kind"],
                    id=source["item_id"],
                    title=source["title"],
                    summary=source.get("summary", ""),
                    type=source["type"],
                    published_at=source.get("published_at"),
                    highlight={"title": (marked.get("title") or [escape(source["title"])])[0], "text": snippet},
                    score=hit.get("_score"),
                    matched_in=matched_page(hit),
                )
            )
        facets = {
            name: {bucket["key"]: bucket["doc_count"] for bucket in aggregation["buckets"]}
            for name, aggregation in response["aggregations"].items()
        }
        return SearchResults(count=response["hits"]["total"]["value"], hits=hits, facets=facets, backend=self.name)

    def suggest(self, user, text: str, now: datetime, kind: str | None = None) -> list[Suggestion]:
        body = suggest_body(viewer_for(user), text, now, stale_document_ids(), kind=kind)
        response = _es_call(get_client().search, index=alias_name(), body=body)
        return [
            Suggestion(kind=s["kind"], id=s["item_id"], title=s["title"], type=s["type"])
            for s in (hit["_source"] for hit in response["hits"]["hits"])
        ]


def matched_page(hit: dict) -> dict | None:
    """The page (slide, sheet) of the hit's file that matched, from its ``inner_hits``, or ``None``."""
    pages = hit.get("inner_hits", {}).get("pages", {}).get("hits", {}).get("hits", [])
    if not pages:
        return None
    page = pages[0]
    source = page.get("_source", {})
    passage = page.get("highlight", {}).get("pages.text") or [""]
    return {
        "unit": source.get("unit"),
        "kind": source.get("kind"),
        "name": source.get("name", ""),
        "highlight": passage[0],
    }


def clip_text(text: str, length: int = 180) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"
