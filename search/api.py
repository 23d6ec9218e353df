"""Partner API routes of search: ``search``, ``search/suggest`` and ``search/click``.

Thin: the reads are ``search.selectors`` (Elasticsearch or the database fallback, the
audience rule applied inside the query), the writes ``search.services`` (analytics).
"""

from math import ceil
from typing import Literal

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from cms.apiv1.pagination import page_url
from cms.models import Asset, Language, Product

from . import selectors, services
from .backends import MAX_RESULT_WINDOW, SearchRequest
from .models import MAX_QUERY_LENGTH

router = Router(tags=["search"])

SearchType = Literal[(*Asset.AssetType.values, "program", "bulletin", "course")]
KIND_ROUTES = {"asset": "get_asset", "program": "get_program", "bulletin": "get_bulletin", "course": "get_course"}
Kind = Literal[tuple(KIND_ROUTES)]


class ErrorOut(Schema):
    detail: str


class SearchFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="What to look for; plain words (no query syntax).")
    type: SearchType | None = Field(None, description="Asset type, or `program` / `bulletin` / `course`.")
    product: str | None = Field(None, max_length=64, description="Product key.")
    language: str | None = Field(None, max_length=16, description="Language code.")
    page: int = Field(1, ge=1, le=MAX_RESULT_WINDOW, description="1-based page number.")
    page_size: int = Field(20, ge=1, le=100, description="Results per page, at most 100.")


class HighlightOut(Schema):
    title: str = Field(description="The title as HTML, matched words in `<mark>`.")
    text: str = Field(description="A snippet of the summary or body as HTML, matched words in `<mark>`.")


class SearchHitOut(Schema):
    kind: Kind
    id: int
    title: str
    summary: str
    type: str
    published_at: str | None
    highlight: HighlightOut
    url: str = Field(description="The item in this API.")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetsOut(Schema):
    type: list[FacetValueOut]
    product: list[FacetValueOut]
    language: list[FacetValueOut]


class SearchOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[SearchHitOut]
    facets: FacetsOut
    query_id: int | None = Field(description="Send it back with `POST search/click` when the user opens a result.")
    backend: Literal["elasticsearch", "database", "none"] = Field(
        description="`database` while search runs on the fallback (no stemming, synonyms or typo tolerance)."
    )


FACET_LABELS_KEY = "partnerhub:search:facet-labels"


def _labels() -> dict[str, dict[str, str]]:
    """Display names of facet values (cached; ``search.signals`` forgets them when products or languages change)."""

    def load():
        return {
            "type": {
                **dict(Asset.AssetType.choices),
                "program": "Program",
                "bulletin": "Bulletin",
                "course": "Course",
            },
            "product": dict(Product.objects.values_list("key", "name")),
            "language": dict(Language.objects.values_list("key", "name")),
        }

    return cache.get_or_set(FACET_LABELS_KEY, load, 60 * 60)


@router.get(
    "/search",
    response={200: SearchOut, 404: ErrorOut},
    summary="Search what I may see",
    description="Assets, programs, bulletins and courses matching `q` (typo-tolerant, with synonyms and stemming), "
    "the best first with a gentle preference for recent items, highlighted, with facet counts over everything "
    "I may see that matches. Filters: `type`, `product`, `language`. An empty `q` lists everything, newest first.",
)
def search(request, filters: Query[SearchFilters]):
    if filters.page * filters.page_size > MAX_RESULT_WINDOW:
        raise HttpError(404, f"Only the first {MAX_RESULT_WINDOW} results can be paged through; refine the search.")
    search_request = SearchRequest(
        text=filters.q.strip(),
        type=filters.type,
        product=filters.product,
        language=filters.language.lower() if filters.language else None,
        page=filters.page,
        page_size=filters.page_size,
    )
    results = selectors.search_for_partner(user=request.auth, request=search_request)
    last_page = max(1, ceil(min(results.count, MAX_RESULT_WINDOW) / filters.page_size))
    if filters.page > last_page:
        raise HttpError(404, f"Page {filters.page} does not exist; the last page is {last_page}.")
    query = services.search_query_record(user=request.auth, request=search_request, results=results)
    labels = _labels()
    return {
        "count": results.count,
        "next": page_url(request, filters.page + 1, filters.page_size) if filters.page < last_page else None,
        "previous": page_url(request, filters.page - 1, filters.page_size) if filters.page > 1 else None,
        "results": [
            {
                "kind": hit.kind,
                "id": hit.id,
                "title": hit.title,
                "summary": hit.summary,
                "type": hit.type,
                "published_at": hit.published_at.isoformat()
                if hasattr(hit.published_at, "isoformat")
                else hit.published_at,
                "highlight": hit.highlight,
                "url": request.build_absolute_uri(reverse(f"api-v1:{KIND_ROUTES[hit.kind]}", args=[hit.id])),
            }
            for hit in results.hits
        ],
        "facets": {
            name: [
                {"value": value, "label": labels[name].get(value, value), "count": count}
                for value, count in results.facets.get(name, {}).items()
            ]
            for name in ("type", "product", "language")
        },
        "query_id": query.pk if query else None,
        "backend": results.backend,
    }


class SuggestionOut(Schema):
    kind: Kind
    id: int
    title: str
    type: str


@router.get(
    "/search/suggest",
    response=list[SuggestionOut],
    summary="Type-ahead",
    description="Up to eight titles I may see that start with what I typed (any word of the title).",
)
def suggest(request, q: str = Query("", max_length=MAX_QUERY_LENGTH)):
    return [vars(suggestion) for suggestion in selectors.suggest_for_partner(user=request.auth, text=q)]


class ClickIn(Schema):
    query_id: int = Field(ge=1, le=2**53)
    kind: Kind
    id: int = Field(ge=1, le=2**53)
    position: int | None = Field(None, ge=1, le=MAX_RESULT_WINDOW, description="1-based rank in the results.")


@router.post(
    "/search/click",
    response={204: None, 404: ErrorOut},
    summary="Tell which result I opened",
    description="For the search analytics: the `query_id` of my search and the result I opened. 404 for a search "
    "that is not mine or a result I may not see.",
)
def click(request, payload: ClickIn, response: HttpResponse):
    try:
        services.search_click_record(
            user=request.auth,
            query_id=payload.query_id,
            kind=payload.kind,
            item_id=payload.id,
            position=payload.position,
        )
    except services.SearchError as error:
        return Status(404, {"detail": str(error)})
    return Status(204, None)
