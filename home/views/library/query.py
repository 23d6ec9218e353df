"""What a library URL asks for (query, filters, ordering, page), checked, and the URLs that change one part of it.

The library's address holds its whole state (``?q=&type=&product=&language=&ordering=&page=``): it can be
shared, bookmarked and reached with the back button, with or without htmx.
"""

import re
from html import unescape

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from cms.models import Asset
from search.backends import MAX_RESULT_WINDOW, SearchRequest
from search.models import MAX_QUERY_LENGTH

PAGE_SIZE = 20
FACETS = ("type", "product", "language")
ORDERING_CHOICES = [("relevance", _("Best match")), ("newest", _("Newest")), ("title", _("Title (A to Z)"))]


class LibraryQuery(forms.Form):
    """The library's query string. Unknown parameters are ignored; wrong values are a 400 that says which."""

    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH, label=_("Search the library"))
    type = forms.ChoiceField(required=False, choices=[("", ""), *Asset.AssetType.choices])
    product = forms.SlugField(required=False, max_length=64)
    language = forms.CharField(required=False, max_length=16)
    ordering = forms.ChoiceField(required=False, choices=ORDERING_CHOICES, label=_("Sort by"))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_RESULT_WINDOW // PAGE_SIZE)

    def search_request(self, *, locale: str | None) -> SearchRequest:
        data = self.cleaned_data
        return SearchRequest(
            text=data["q"],
            kind="asset",
            type=data["type"] or None,
            product=data["product"] or None,
            language=data["language"].lower() or None,
            ordering=data["ordering"] or "relevance",
            locale=locale,
            page=data["page"] or 1,
            page_size=PAGE_SIZE,
        )


def library_url(params: dict, **changes) -> str:
    """The library's URL with ``params`` (the current state) changed: a value of ``None`` drops a parameter.

    Any change but the page's starts again at page one.
    """
    merged = {**params, **changes}
    if "page" not in changes:
        merged.pop("page", None)
    query = QueryDict(mutable=True)
    for name in ("q", *FACETS, "ordering", "page"):
        value = merged.get(name)
        if value not in (None, "", 1) and not (name == "ordering" and value == "relevance"):
            query[name] = str(value)
    encoded = query.urlencode()
    return reverse("home:library") + (f"?{encoded}" if encoded else "")


MARK = re.compile(r"(</?mark>)")


def safe_highlight(html: str) -> SafeString:
    """A search highlight as HTML in which only ``<mark>`` and ``</mark>`` are markup.

    Backends send the matched text escaped with ``<mark>`` around the matched words; this
    escapes every other part again (after undoing one level of escaping, so nothing is
    escaped twice), whatever a backend sent.
    """
    parts = MARK.split(html or "")
    return mark_safe("".join(part if MARK.fullmatch(part) else escape(unescape(part)) for part in parts))  # noqa: S308
