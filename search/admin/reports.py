"""Search reports of the admin's Reports menu: what partners search for, and what they do not find.

Two reports over the searches partners ran (``SearchQuery``, recorded by the search API),
grouped by the normalized query text (``search.selectors.query_stats``), most searched first:

* ``top_queries``: every query, with the distinct users and partners who ran it, the
  searches that found something (result rate) and the results opened (clicks; the
  click-through rate is the share of searches followed by at least one click);
* ``no_results``: the searches that found nothing, by query: the content gaps to fill,
  or the synonyms to add.

Both cover a date range (the last ``DEFAULT_DAYS`` days unless other dates are given; either
date may be left open), the searches of partner users only (staff and users of test partners,
``Partner.is_test``, left out unless "Everyone" is chosen), optionally only partners of one tier (their
tier when they searched), a search in the query texts, and export CSV and XLSX with those
filters. URL names are in the ``search_reports`` namespace (``search_reports:top_queries``,
``search_reports:no_results``, each with a ``…_results`` twin for the listing's filter
refreshes), under ``/admin/reports/search/``.

Who sees them: users with the ``search.view_searchquery`` permission (Django's "view"
permission of search queries, offered in the admin's group editor; superusers have it).
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from core.reports import (
    PercentColumn,
    ViewPermissionReportView,
    export_percent,
    period_label,
    report_urlpatterns,
    view_permission_menu_items,
)
from partners.models import Tier
from search.models import SearchQuery
from search.selectors import query_stats

DEFAULT_DAYS = 30
PERMISSION = "search.view_searchquery"


def default_period(today) -> tuple:
    """The first and last day of the default date range: the last ``DEFAULT_DAYS`` days, today included."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


# --- filters -------------------------------------------------------------------------------------


class SearchReportFilterSet(WagtailFilterSet):
    """Which searches a report counts: when they were run, and by partners of which tier."""

    created_at = django_filters.DateFromToRangeFilter(label="Searched between", widget=DateRangePickerWidget)
    searchers = django_filters.ChoiceFilter(
        label="Who searched",
        choices=[
            ("partners", "Partner users (no staff, no test partners)"),
            ("everyone", "Everyone, staff and test partners included"),
        ],
        empty_label=None,
        method="filter_searchers",
        widget=forms.RadioSelect,
    )
    tier = django_filters.ModelChoiceFilter(
        label="Partner tier",
        queryset=Tier.objects.all(),
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SearchQuery
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        start, end = default_period(timezone.localdate())
        keys = [f"created_at_{suffix}" for suffix in DateRangePickerWidget.suffixes]  # created_at_from, _to
        if data is not None and not any(data.get(key) for key in keys):  # neither date given: the default
            data = data.copy()
            for key, day in zip(keys, (start, end), strict=True):
                data[key] = day.isoformat()
        if data is not None and not data.get("searchers"):  # staff and test partners left out unless asked
            data = data.copy()
            data["searchers"] = "partners"
        super().__init__(data, *args, **kwargs)
        # The defaults are not filters of the user's: no "active filter" tag for them.
        self.filters["created_at"].extra["initial"] = [start, end]
        self.filters["searchers"].extra["initial"] = "partners"

    def filter_searchers(self, queryset, name, value):
        return queryset if value == "everyone" else queryset.by_partner_users()


# --- the reports ---------------------------------------------------------------------------------


class SearchReportView(ViewPermissionReportView):
    """Searches grouped by query text, filtered by date range, tier and text, with CSV and XLSX export."""

    results_template_name = "cms/reports/results.html"  # the report's description above the table
    model = SearchQuery
    permission_model = SearchQuery  # search.view_searchquery; Wagtail redirects the others to the dashboard
    filterset_class = SearchReportFilterSet
    is_searchable = True
    search_fields = ["normalized"]
    search_backend_name = None
    verbose_name = "query"
    verbose_name_plural = "queries"
    default_ordering = "-searches"
    zero_results = False  # count only the searches that found nothing
    nothing_yet_message = "No searches in this period."
    export_headings = {
        "normalized": "Query",
        "searches": "Searches",
        "users": "Users",
        "partners": "Partners",
        "with_results": "Searches with results",
        "result_rate": "Result rate (%)",
        "clicks": "Clicks",
        "click_through_rate": "Click-through rate (%)",
        "last_searched_at": "Last searched",
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: export_percent, ReportView.FORMAT_XLSX: export_percent}
        for field in ("result_rate", "click_through_rate")
    }

    def get_filtered_queryset(self):
        searches = self.get_base_queryset()
        if self.zero_results:
            searches = searches.filter(result_count=0)
        searches = self.search_queryset(self.filter_queryset(searches))
        return self.order_queryset(query_stats(searches))

    def order_queryset(self, queryset):
        # By the column's field as such (Wagtail's order), ties in the order of the query text.
        if not self.ordering or self.ordering.lstrip("-") == "normalized":
            return ReportView.order_queryset(self, queryset)
        return queryset.order_by(self.ordering, "normalized")

    @cached_property
    def period(self) -> str:
        """The date range counted, in words."""
        return period_label(self.cleaned_filters.get("created_at"))

    @cached_property
    def audience(self) -> str:
        tier = self.cleaned_filters.get("tier")
        return f" by partners of the {tier.name} tier" if tier else ""


class TopQueriesView(SearchReportView):
    page_title = "Search: top queries"
    header_icon = "search"
    index_url_name = "search_reports:top_queries"
    index_results_url_name = "search_reports:top_queries_results"
    export_filename = "search-top-queries"
    columns = [
        Column("normalized", label="Query", sort_key="normalized"),
        Column("searches", label="Searches", sort_key="searches"),
        Column("users", label="Users", sort_key="users"),
        Column("partners", label="Partners", sort_key="partners"),
        Column("with_results", label="With results", sort_key="with_results"),
        PercentColumn("result_rate", label="Result rate"),
        Column("clicks", label="Clicks", sort_key="clicks"),
        PercentColumn("click_through_rate", label="Click-through rate"),
    ]
    list_export = [
        "normalized",
        "searches",
        "users",
        "partners",
        "with_results",
        "result_rate",
        "clicks",
        "click_through_rate",
    ]

    @property
    def description(self):
        return (
            f"Queries partners ran {self.period}{self.audience}, most searched first. "
            "Result rate: the share of searches that found something; "
            "click-through rate: the share followed by a click on a result."
        )


class NoResultsView(SearchReportView):
    page_title = "Search: no results"
    header_icon = "circle-xmark"
    index_url_name = "search_reports:no_results"
    index_results_url_name = "search_reports:no_results_results"
    export_filename = "search-no-results"
    zero_results = True
    nothing_yet_message = "Every search in this period found something."
    # Only searches that found nothing are counted here: no results, no clicks, nothing to rate.
    columns = [
        Column("normalized", label="Query", sort_key="normalized"),
        Column("searches", label="Searches", sort_key="searches"),
        Column("users", label="Users", sort_key="users"),
        Column("partners", label="Partners", sort_key="partners"),
        DateColumn("last_searched_at", label="Last searched", sort_key="last_searched_at"),
    ]
    list_export = ["normalized", "searches", "users", "partners", "last_searched_at"]

    @property
    def description(self):
        return (
            f"Searches that found nothing {self.period}{self.audience}, by query: content partners look for "
            "and do not find. Publish it, or, if it exists under another name, add a search synonym."
        )


REPORTS = {
    "top_queries": ("top-queries/", TopQueriesView),
    "no_results": ("no-results/", NoResultsView),
}

# Included by the ``register_admin_urls`` hook under ``reports/search/``, namespace ``search_reports``.
urlpatterns = report_urlpatterns(REPORTS)


def report_menu_items():
    """The reports' entries in the admin's Reports menu, after the content reports (100 on)."""
    entries = [
        ("Search: top queries", "top_queries", "search", SearchQuery),
        ("Search: no results", "no_results", "circle-xmark", SearchQuery),
    ]
    return view_permission_menu_items("search_reports", entries, first_order=110)
