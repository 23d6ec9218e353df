"""Partner API routes of search: ``search``, ``search/suggest`` and ``search/click``.

Thin: the reads are ``search.selectors`` (Elasticsearch or the database fallback, the
audience rule applied inside the query), the writes ``search.services`` (analytics).
"""

from math import ceil
from typing import Annotated, Literal

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import OneOf, page_url
from core.search import search_kinds

from . import selectors, services
from .backends import MAX_RESULT_WINDOW, ORDERINGS, SearchRequest
from .models import MAX_QUERY_LENGTH

router = Router(tags=["search"])


def search_types() -> list[str]:
    """The values of the type facet: each kind's types (an asset's type), or the kind's name."""
    return list({value: None for kind in search_kinds().values() for value in kind.type_labels()})


# The registered kinds (``core.search``), as they are when a request is checked or the docs are built.
SearchType = Annotated[str, OneOf(search_types)]
Kind = Annotated[str, OneOf(lambda: search_kinds().keys())]


def item_url(request, kind: str, item_id: int) -> str | None:
    """The item's detail in this API, or ``None`` for a kind without one."""
    try:
        return request.build_absolute_uri(reverse(f"api-v1:{search_kinds()[kind].route}", args=[item_id]))
    except NoReverseMatch:
        return None


class ErrorOut(Schema):
    detail: str


class SearchFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="What to look for; plain words (no query syntax).")
    type: SearchType | None = Field(None, description="Asset type, or the kind of item (`program`, `course`…).")
    product: str | None = Field(None, max_length=64, description="Product key.")
    language: str | None = Field(None, max_length=16, description="Language code.")
    kind: Kind | None = Field(None, description="Only items of this kind (`asset`, `program`…).")
    ordering: Literal[ORDERINGS] = Field(
        "relevance", description="`relevance` (the best first; newest first without `q`), `newest` or `title`."
    )
    locale: str | None = Field(
        None, max_length=16, description="Preferred language: one variant per asset, this language first."
    )
    page: int = Field(1, ge=1, le=MAX_RESULT_WINDOW, description="1-based page number.")
    page_size: int = Field(20, ge=1, le=100, description="Results per page, at most 100.")


class HighlightOut(Schema):
    title: str = Field(description="The title as HTML, matched words in `<mark>`.")
    text: str = Field(description="A snippet of the summary or body as HTML, matched words in `<mark>`.")


class MatchedInOut(Schema):
    unit: int = Field(description="1-based number of the page, slide or sheet.")
    kind: Literal["page", "slide", "sheet"]
    label: str = Field(description='Where, for people: "page 7", "slide 3", "sheet Prices".')
    highlight: str = Field(description="A passage of that page as HTML, matched words in `<mark>`.")


def matched_in_label(matched: dict) -> str:
    """ "page 7", "slide 3", "sheet Prices" (a sheet by its name when it has one)."""
    return f"{matched['kind']} {matched.get('name') or matched['unit']}"


def matched_in_out(matched: dict | None) -> dict | None:
    return {**matched, "label": matched_in_label(matched)} if matched else None


class SearchHitOut(Schema):
    kind: Kind
    id: int
    title: str
    summary: str
    type: str
    published_at: str | None
    highlight: HighlightOut
    matched_in: MatchedInOut | None = Field(
        None, description="Where inside the item's file the words are (its best page, slide or sheet), if they are."
    )
    url: str | None = Field(description="The item in this API (null for a kind of item it has no page for).")


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
        kind=filters.kind,
        ordering=filters.ordering,
        locale=filters.locale,
        page=filters.page,
        page_size=filters.page_size,
    )
    results = selectors.search_for_partner(user=request.auth, request=search_request)
    last_page = max(1, ceil(min(results.count, MAX_RESULT_WINDOW) / filters.page_size))
    if filters.page > last_page:
        raise HttpError(404, f"Page {filters.page} does not exist; the last page is {last_page}.")
    query = services.search_query_record(user=request.auth, request=search_request, results=results)
    labels = selectors.facet_labels()
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
                "matched_in": matched_in_out(hit.matched_in),
                "url": item_url(request, hit.kind, hit.id),
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
def suggest(request, q: str = Query("", max_length=MAX_QUERY_LENGTH), kind: Kind | None = None):
    return [vars(suggestion) for suggestion in selectors.suggest_for_partner(user=request.auth, text=q, kind=kind)]


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
