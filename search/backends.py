"""The two ways to answer a search: Elasticsearch, and the database fallback.

Both take the same ``SearchRequest`` for one ``Viewer`` and answer ``SearchResults``
with the audience and liveness applied where the data is (inside the Elasticsearch
query, or the SQL ``visible_to`` filter), never by dropping hits afterwards, so counts,
pages and facets are exactly what the viewer may see. Items whose latest change has
not reached the index yet (``PendingSearchSync``) are left out of Elasticsearch's
answers by id, inside the query too.

The database fallback (no ``ELASTICSEARCH_URL``, or Elasticsearch down) matches every
word of the query in titles and summaries (and bodies of programs and bulletins),
ranks title matches first and then by recency, and has the same facets; it has no
stemming, synonyms or typo tolerance (README, "Search").
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from heapq import merge

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.html import escape

from elasticsearch.exceptions import ConnectionError as ESConnectionError
from elasticsearch.exceptions import NotFoundError, TransportError

from core.search import SearchKind, search_kinds
from partners.audience import Viewer, search_filter, viewer_for

from .client import get_client
from .documents import document_id, relation_fields
from .index import alias_name
from .models import PendingSearchSync

MAX_RESULT_WINDOW = 10_000
SUGGESTIONS = 8


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

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def words(self) -> list[str]:
        """The query's words, for the database fallback (punctuation is not syntax, just dropped)."""
        return re.findall(r"\w+", self.text.lower())[:12]


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
    for name, value in (("type", request.type), ("products", request.product), ("languages", request.language)):
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
    if not text.strip():
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
            ],
            "minimum_should_match": 1,
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
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "require_field_match": False,
            "fields": {
                "title": {"number_of_fragments": 0},
                "summary": {"fragment_size": 180, "number_of_fragments": 1},
                "body": {"fragment_size": 180, "number_of_fragments": 1},
            },
        },
    }
    if not request.text.strip():
        body["sort"] = [{"published_at": {"order": "desc", "missing": "_last"}}, {"item_id": "desc"}]
        del body["highlight"]
    return body


def suggest_body(viewer: Viewer, text: str, now: datetime, excluded: list[str] = ()) -> dict:
    fields = ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"]
    return {
        "size": SUGGESTIONS,
        "_source": ["kind", "item_id", "title", "type"],
        "query": {
            "bool": {
                "must": {"multi_match": {"query": text, "type": "bool_prefix", "fields": fields, "operator": "and"}},
                "filter": _filters(viewer, SearchRequest(), now, excluded),
            }
        },
    }


def stale_document_ids() -> list[str]:
    """Items changed since their document was written whose write failed: left out until the retry caught up."""
    return [document_id(kind, pk) for kind, pk in PendingSearchSync.objects.values_list("kind", "item_id")]


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
        body = search_body(viewer_for(user), request, now, stale_document_ids())
        response = _es_call(get_client().search, index=alias_name(), body=body)
        hits = []
        for hit in response["hits"]["hits"]:
            source, marked = hit["_source"], hit.get("highlight", {})
            snippet = (marked.get("summary") or marked.get("body") or [escape(_clip(source.get("summary", "")))])[0]
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
                )
            )
        facets = {
            name: {bucket["key"]: bucket["doc_count"] for bucket in aggregation["buckets"]}
            for name, aggregation in response["aggregations"].items()
        }
        return SearchResults(count=response["hits"]["total"]["value"], hits=hits, facets=facets, backend=self.name)

    def suggest(self, user, text: str, now: datetime) -> list[Suggestion]:
        body = suggest_body(viewer_for(user), text, now, stale_document_ids())
        response = _es_call(get_client().search, index=alias_name(), body=body)
        return [
            Suggestion(kind=s["kind"], id=s["item_id"], title=s["title"], type=s["type"])
            for s in (hit["_source"] for hit in response["hits"]["hits"])
        ]


# Database fallback -----------------------------------------------------------------------


def _clip(text: str, length: int = 180) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def mark_words(text: str, words: list[str], clip: int | None = None) -> str:
    """``text`` as safe HTML with each of ``words`` wrapped in ``<mark>`` (the fallback's highlight)."""
    if clip is not None and words:
        lowered = text.lower()
        first = min((i for i in (lowered.find(word) for word in words) if i >= 0), default=0)
        start = max(0, first - clip // 3)
        text = ("…" if start else "") + _clip(text[start:], clip)
    elif clip is not None:
        text = _clip(text, clip)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    return "".join([*out, escape(text[last:])])


class DatabaseBackend:
    name = "database"

    def _queryset(self, kind: SearchKind, user, request: SearchRequest):
        """The kind's items ``user`` may see matching the request."""
        queryset = kind.model.objects.visible_to(user)
        for word in request.words:
            matches = Q(title__icontains=word) | Q(summary__icontains=word)
            for body in kind.body_fields:
                matches |= Q(**{f"{body}__icontains": word})
            queryset = queryset.filter(matches)
        if request.type:
            if kind.type_field:
                queryset = queryset.filter(**{kind.type_field: request.type})
            elif request.type != kind.name:
                return queryset.none()
        for name, value in (("products", request.product), ("languages", request.language)):
            if value:
                if not kind.has_products:
                    return queryset.none()
                through = getattr(kind.model, name).through.objects
                item, related = relation_fields(kind, name)
                queryset = queryset.filter(Exists(through.filter(**{item: OuterRef("pk"), f"{related}__key": value})))
        return queryset

    def _ranked(self, queryset, request: SearchRequest):
        title_words = [When(title__icontains=word, then=Value(1)) for word in request.words]
        rank = sum((Case(when, default=Value(0), output_field=IntegerField()) for when in title_words), Value(0))
        return queryset.annotate(title_rank=rank).order_by("-title_rank", "-last_published_at", "-pk")

    def search(self, user, request: SearchRequest, now: datetime) -> SearchResults:
        words = request.words
        kinds = search_kinds()
        per_kind = {name: self._queryset(kind, user, request) for name, kind in kinds.items()}
        count = sum(queryset.count() for queryset in per_kind.values())
        wanted = request.offset + request.page_size
        streams = []
        for name, queryset in per_kind.items():
            rows = self._ranked(queryset, request).values(
                "pk", "title", "summary", "last_published_at", "title_rank", *filter(None, [kinds[name].type_field])
            )[:wanted]
            streams.append([(name, row) for row in rows])

        def order(entry):
            _name, row = entry
            published = row["last_published_at"].timestamp() if row["last_published_at"] else 0
            return (-row["title_rank"], -published)

        page = list(merge(*streams, key=order))[request.offset : wanted]
        hits = [
            SearchHit(
                kind=name,
                id=row["pk"],
                title=row["title"],
                summary=row["summary"],
                type=row.get(kinds[name].type_field or "", name),
                published_at=row["last_published_at"],
                highlight={"title": mark_words(row["title"], words), "text": mark_words(row["summary"], words, 180)},
            )
            for name, row in page
        ]
        return SearchResults(count=count, hits=hits, facets=self._facets(user, request), backend=self.name)

    def _facets(self, user, request: SearchRequest) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {"type": {}, "product": {}, "language": {}}
        for name, kind in search_kinds().items():
            queryset = self._queryset(kind, user, request)
            if kind.type_field:
                for value, n in queryset.order_by().values_list(kind.type_field).annotate(n=Count("pk")):
                    facets["type"][value] = n
            else:
                n = queryset.count()
                if n:
                    facets["type"][name] = n
            if kind.has_products:
                for facet, relation in (("product", "products"), ("language", "languages")):
                    key = f"{relation}__key"
                    rows = queryset.order_by().filter(**{f"{key}__isnull": False}).values_list(key)
                    for value, n in rows.annotate(n=Count("pk", distinct=True)):
                        facets[facet][value] = facets[facet].get(value, 0) + n
        return {name: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))) for name, values in facets.items()}

    def suggest(self, user, text: str, now: datetime) -> list[Suggestion]:
        words = SearchRequest(text=text).words
        if not words:
            return []
        found = []
        kinds = search_kinds()
        for name, kind in kinds.items():
            queryset = kind.model.objects.visible_to(user)
            for word in words:
                queryset = queryset.filter(title__icontains=word)
            starts = Case(
                When(title__istartswith=words[0], then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            rows = (
                queryset.annotate(starts=starts)
                .order_by("-starts", "title")
                .values("pk", "title", "starts", *filter(None, [kind.type_field]))[:SUGGESTIONS]
            )
            found += [(row["starts"], row["title"], name, row) for row in rows]
        found.sort(key=lambda entry: (-entry[0], entry[1]))
        return [
            Suggestion(kind=name, id=row["pk"], title=title, type=row.get(kinds[name].type_field or "", name))
            for _starts, title, name, row in found[:SUGGESTIONS]
        ]
