"""The library (``/library/``): the assets a partner user may see, searched through the API's search.

Reads are ``search.selectors`` (Elasticsearch, or the database fallback: the audience rule inside the query,
facets counted over what the user may see), with ``kind="asset"`` and the active language picking one
language variant per asset, as the API's ``locale`` does; each query is recorded for the search reports
like the API's, with the results the page shows. An htmx request gets the results region (or the suggestions)
as a fragment, any other request the whole page, from the same view.
"""

from math import ceil

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.previews.selectors import attach_previews
from cms.previews.signing import preview_image_url
from cms.selectors import assets_for_partner, attach_summary_relations
from search import selectors, services
from search.backends import MAX_RESULT_WINDOW

from ...access import portal_page
from .query import FACETS, ORDERING_CHOICES, PAGE_SIZE, LibraryQuery, library_url, safe_highlight


def facet_titles() -> dict[str, str]:
    return {"type": _("Type"), "product": _("Product"), "language": _("Language")}


class ResultCount:
    """What ``Paginator`` needs of a search: its size (only the first ``MAX_RESULT_WINDOW`` can be paged)."""

    def __init__(self, count: int):
        self.count = min(count, MAX_RESULT_WINDOW)

    def __len__(self):
        return self.count


def content_language() -> str:
    """The language content variants are picked in: the one the request activated (the user's preference)."""
    return translation.get_language() or "en"


def _facets(results, params: dict) -> list[dict]:
    """Each facet's values with their counts, the selected one marked, each a link that toggles it."""
    labels = selectors.facet_labels()
    titles = facet_titles()
    facets = []
    for name in FACETS:
        counts = dict(results.facets.get(name, {}))
        selected = params.get(name) or None
        if selected and selected not in counts:
            counts[selected] = 0  # still shown, so it can be removed
        values = [
            {
                "value": value,
                "label": _(labels[name].get(value, value)),
                "count": count,
                "selected": value == selected,
                "url": library_url(params, **{name: None if value == selected else value}),
            }
            for value, count in counts.items()
        ]
        facets.append({"name": name, "title": titles[name], "values": values, "selected": selected})
    return facets


def where_in_file(matched: dict | None) -> dict | None:
    """Where in the asset's file the words are ("Page 7", "Slide 3", "Sheet Prices") and a passage, or ``None``."""
    if not matched:
        return None
    number, name = matched.get("unit"), matched.get("name") or ""
    if matched.get("kind") == "slide":
        label = _("Slide %(number)s") % {"number": number}
    elif matched.get("kind") == "sheet":
        label = _("Sheet %(name)s") % {"name": name} if name else _("Sheet %(number)s") % {"number": number}
    else:
        label = _("Page %(number)s") % {"number": number}
    return {"label": label, "passage": safe_highlight(matched.get("highlight") or "")}


def _thumbnail_url(user, asset) -> str | None:
    images = asset.preview_images if asset is not None else []
    return preview_image_url(image=images[0], user=user) if images else None


def _cards(user, hits) -> list[dict]:
    """The page's hits with what the cards show of each asset (three queries, whatever the page size)."""
    ids = [hit.id for hit in hits]
    assets = {asset.pk: asset for asset in attach_summary_relations(assets_for_partner(user=user).filter(pk__in=ids))}
    attach_previews(list(assets.values()))
    return [
        {
            "hit": hit,
            "asset": assets.get(hit.id),
            "thumbnail_url": _thumbnail_url(user, assets.get(hit.id)),
            "title": safe_highlight(hit.highlight.get("title") or ""),
            "snippet": safe_highlight(hit.highlight.get("text") or ""),
            "where": where_in_file(hit.matched_in),
        }
        for hit in hits
        if hit.id in assets  # changed since the index saw it (archived a moment ago): left out of the page
    ]


@portal_page
def library(request):
    form = LibraryQuery(request.GET)
    context = {
        "form": form,
        "ordering_choices": ORDERING_CHOICES,
        "page_size": PAGE_SIZE,
        "is_htmx": bool(request.htmx),
    }
    if not form.is_valid():
        context.update(params={}, cards=[], count=0, facets=[], errors=form.errors, query="")
        return _render(request, context, status=400)
    params = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    search_request = form.search_request(locale=content_language())
    results = selectors.search_for_partner(user=request.user, request=search_request)
    paginator = Paginator(ResultCount(results.count), PAGE_SIZE)
    last_page = max(1, ceil(paginator.count / PAGE_SIZE))
    if search_request.page > last_page:
        context.update(
            params=params,
            cards=[],
            count=results.count,
            facets=_facets(results, params),
            query=search_request.text,
            beyond_last_page=library_url(params, page=last_page),
        )
        return _render(request, context, status=404)
    cards = _cards(request.user, results.hits)
    shown = [card["hit"] for card in cards]  # the hits the page shows (not those archived a moment ago)
    query = services.search_query_record(user=request.user, request=search_request, results=results, shown=shown)
    page_links = [
        {"number": number, "url": library_url(params, page=number) if number != paginator.ELLIPSIS else None}
        for number in paginator.get_elided_page_range(search_request.page, on_each_side=1, on_ends=1)
    ]
    context.update(
        params=params,
        query=search_request.text,
        query_id=query.pk if query else None,
        count=results.count,
        cards=cards,
        first_position=search_request.offset + 1,
        facets=_facets(results, params),
        filtered=any(params.get(name) for name in FACETS),
        clear_filters_url=library_url(params, **dict.fromkeys(FACETS)),
        page=search_request.page,
        last_page=last_page,
        page_links=page_links if last_page > 1 else [],
        previous_url=library_url(params, page=search_request.page - 1) if search_request.page > 1 else None,
        next_url=library_url(params, page=search_request.page + 1) if search_request.page < last_page else None,
    )
    return _render(request, context)


def _render(request, context, status=200):
    """The results region for htmx (but not for a history restore, which needs the page), else the whole page."""
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "home/library/results.html" if fragment else "home/library/index.html"
    return TemplateResponse(request, template, context, status=status)


@portal_page
def suggest(request):
    """Type-ahead: up to eight asset titles the user may see starting with what they type."""
    form = LibraryQuery(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    suggestions = selectors.suggest_for_partner(user=request.user, text=text, kind="asset") if text else []
    context = {"suggestions": suggestions, "query": text, "form": form}
    template = "home/library/suggestions.html" if request.htmx else "home/library/suggest_page.html"
    return TemplateResponse(request, template, context)
