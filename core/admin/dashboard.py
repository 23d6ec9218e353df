"""The admin dashboard's summary line: the hub's own figures, each from the app that owns it.

Wagtail's line counts pages, images and documents ("1 Page · 1 Image · 0 Documents"), which say
nothing about a partner hub. ``hide_page_site_summary`` takes those out; each app adds its own
figure with a ``CountSummaryItem`` from its ``wagtail_hooks`` (courses: live courses; partners:
active partners and their users), shown only to staff who may see its listing.
"""

from collections.abc import Callable

from django.template import engines

from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem
from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
from wagtail.images.wagtail_hooks import ImagesSummaryItem

PAGE_SITE_ITEMS = (PagesSummaryItem, ImagesSummaryItem, DocumentsSummaryItem)

_ITEM = engines["django"].from_string(
    "{% load wagtailadmin_tags %}"
    '<li data-summary-item="{{ name }}">{% icon name=icon %}<a href="{{ url }}">{{ count }} {{ label }}</a></li>'
)


class CountSummaryItem(SummaryItem):
    """One figure of the summary line ("12 live courses"), linking to where the figure comes from."""

    def __init__(self, request, *, name, order, icon, label, count: Callable[[], int], url, shown: bool):
        super().__init__(request)
        self.name, self.order, self.icon, self.label = name, order, icon, label
        self.count, self.url, self.shown = count, url, shown

    def is_shown(self):
        return self.shown

    def render_html(self, parent_context=None):
        context = {"name": self.name, "icon": self.icon, "url": self.url, "count": f"{self.count():,}"}
        return _ITEM.render({**context, "label": self.label})


def hide_page_site_summary(request, items) -> None:
    """``construct_homepage_summary_items``: without Wagtail's page, image and document counts."""
    items[:] = [item for item in items if not isinstance(item, PAGE_SITE_ITEMS)]
