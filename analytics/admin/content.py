"""Reports → "Content performance": what partners did with each item, one item's breakdown, and what they did not find.

Three views over the daily rollups (``analytics.selectors.content``), for a period (the last 7, 30, 90 or 365
days, 30 unless chosen, or custom dates) of real partners (test partners left out unless asked):

* ``items``: per asset, program, bulletin and course, views, downloads, distinct partners, search
  impressions and clicks and the click-through rate; filtered by kind, tier and region (the partner's when it
  happened), sorted by any figure (most viewed first), paginated in SQL, exported as CSV or XLSX;
* ``item`` (``<kind>/<id>/``): one item's figures by tier, by region and a daily chart of its views and
  downloads (``?csv=item-daily``: the chart's figures);
* ``not_found``: side by side, the assets shown in search results and never opened from them, and the
  searches that found nothing (each linked to "Search: no results" filtered by it).

URL names are in the ``analytics_content`` namespace (``items`` and ``not_found`` each with a ``…_results``
twin for the listing's filter refreshes), under ``/admin/reports/content-performance/``.

Who sees them: users with ``analytics.view_dailycontentactivity`` (offered in the group editor under "Daily
content activity"; migration 0004 gives it to the Editors and Moderators groups); superusers.
"""

from itertools import islice

from django import forms
from django.http import Http404
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.generic import TemplateView

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, Table, TitleColumn
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import policy_registry

import django_filters

from core.reports import (
    PercentColumn,
    ViewPermissionMenuItem,
    ViewPermissionReportView,
    export_percent,
    percent_label,
    report_urlpatterns,
)
from partners.models import Region, Tier
from search.models import SearchQuery

from ..charts import Chart, Series, chart_csv_response
from ..models import DailyContentActivity, RollupRun
from ..selectors.content import (
    DEFAULT_DAYS,
    KIND_MODELS,
    PERIOD_PRESETS,
    ContentFilters,
    item_breakdown,
    item_title,
    item_totals,
    searches_without_results,
    unfound_assets,
    with_titles,
)
from .paging import CountedRowsPaginator

PERMISSION = "analytics.view_dailycontentactivity"
KIND_CHOICES = [("asset", "Assets"), ("program", "Programs"), ("bulletin", "Bulletins"), ("course", "Courses")]
KIND_LABELS = {"asset": "Asset", "program": "Program", "bulletin": "Bulletin", "course": "Course"}
PERIOD_CHOICES = [*((str(days), f"Last {days} days") for days in PERIOD_PRESETS), ("custom", "Custom dates")]
PARTNER_CHOICES = [("real", "Real partners (no test partners)"), ("everyone", "Every partner, test partners included")]
#: What the period, tier, region and partner filters are called in a URL: kept from one view to the next.
CARRIED_PARAMS = ("period", "days_from", "days_to", "tier", "region", "partners")
SEARCHES_SHOWN = 25
EXPORT_CHUNK_SIZE = 2000


# --- filters -------------------------------------------------------------------------------------


class ContentFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom" and "days" not in self.errors:
            days = cleaned.get("days")
            if not days or not (days.start and days.stop):
                self.add_error("days", "Give the first and the last day of the period.")
            elif days.start > days.stop:
                self.add_error("days", "The first day must not be after the last.")
        return cleaned


class PeriodFilterSet(WagtailFilterSet):
    """Which rollup rows count: a period, partners of a tier or a region, test partners or not.

    The filters do not filter a queryset themselves: ``content_filters`` hands them to the selectors."""

    period = django_filters.ChoiceFilter(
        label="Period", choices=PERIOD_CHOICES, empty_label=None, widget=forms.RadioSelect, method="keep"
    )
    days = django_filters.DateFromToRangeFilter(
        label="Custom dates",
        widget=DateRangePickerWidget,
        method="keep",
        help_text="The first and last day, both counted. Giving them chooses “Custom dates”.",
    )
    tier = django_filters.ModelChoiceFilter(
        label="Partner tier",
        queryset=Tier.objects.all(),
        empty_label="All",
        widget=forms.RadioSelect,
        method="keep",
        help_text="The partner's tier when it happened.",
    )
    region = django_filters.ModelChoiceFilter(
        label="Partner region",
        queryset=Region.objects.order_by("name"),
        empty_label="All",
        widget=forms.RadioSelect,
        method="keep",
    )
    partners = django_filters.ChoiceFilter(
        label="Partners", choices=PARTNER_CHOICES, empty_label=None, widget=forms.RadioSelect, method="keep"
    )

    class Meta:
        model = DailyContentActivity
        fields = []
        form = ContentFilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            if data.get("days_from") or data.get("days_to"):
                data["period"] = "custom"  # dates given: they are the period
            if not data.get("period"):
                data["period"] = str(DEFAULT_DAYS)
            if not data.get("partners"):
                data["partners"] = "real"
        super().__init__(data, *args, **kwargs)
        # The defaults are not filters of the user's: no "active filter" tag for them.
        self.filters["period"].extra["initial"] = str(DEFAULT_DAYS)
        self.filters["partners"].extra["initial"] = "real"

    def keep(self, queryset, name, value):
        return queryset

    def content_filters(self, *, today) -> ContentFilters:
        """The filters as the selectors take them. A filter that is not valid is left out (its error is shown)."""
        self.is_valid()
        cleaned = self.form.cleaned_data
        tier, region, days = cleaned.get("tier"), cleaned.get("region"), cleaned.get("days")
        common = {
            "kind": cleaned.get("kind") or None,
            "tier_id": tier.pk if tier else None,
            "region_id": region.pk if region else None,
            "include_test_partners": cleaned.get("partners") == "everyone",
        }
        if cleaned.get("period") == "custom" and days and days.start and days.stop:
            return ContentFilters(start=days.start.date(), end=days.stop.date(), **common)
        preset = cleaned.get("period")
        days = int(preset) if preset and preset.isdigit() else DEFAULT_DAYS
        return ContentFilters.last_days(days, today=today, **common)


class ContentFilterSet(PeriodFilterSet):
    kind = django_filters.ChoiceFilter(
        label="Content", choices=KIND_CHOICES, empty_label="All", widget=forms.RadioSelect, method="keep"
    )


# --- what the views share ------------------------------------------------------------------------


def period_words(filters: ContentFilters) -> str:
    return f"from {date_format(filters.start)} to {date_format(filters.end)}"


def carried_query(params) -> str:
    """The period, tier, region and partner filters of ``params`` (a request's GET), as a query string."""
    return urlencode([(name, params[name]) for name in CARRIED_PARAMS if params.get(name)])


def with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


class ContentFiltersMixin:
    """The selectors' filters from the request's, and what the views say and link with them."""

    @cached_property
    def content_filters(self) -> ContentFilters:
        return self.filters.content_filters(today=self.today)

    @cached_property
    def filter_errors(self) -> list[str]:
        """The filters' errors, in words: those filters are left out."""
        form = self.filters.form
        return [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]

    @cached_property
    def audience(self) -> str:
        """Whose activity counts, in words: " by partners of the Gold tier in EMEA", or nothing for everyone."""
        cleaned = self.filters.form.cleaned_data
        parts = []
        if cleaned.get("tier"):
            parts.append(f"of the {cleaned['tier'].name} tier")
        if cleaned.get("region"):
            parts.append(f"in {cleaned['region'].name}")
        return f" by partners {' '.join(parts)}" if parts else ""

    @cached_property
    def test_partners(self) -> str:
        return "Test partners included." if self.content_filters.include_test_partners else "Test partners left out."

    @cached_property
    def rolled_up_at(self):
        return RollupRun.objects.values_list("finished_at", flat=True).order_by("-finished_at").first()

    @cached_property
    def carried_query(self) -> str:
        return carried_query(self.request.GET)

    def edit_url_name(self, kind) -> str | None:
        """The admin's edit URL name of items of ``kind``, if the user may change them."""
        model = KIND_MODELS.get(kind)
        if model is None or not policy_registry.get_by_type(model).user_has_permission(self.request.user, "change"):
            return None
        return model.snippet_viewset.get_url_name("edit")

    @cached_property
    def edit_url_names(self) -> dict:
        return {kind: self.edit_url_name(kind) for kind in KIND_MODELS}

    def edit_url(self, row) -> str | None:
        url_name = self.edit_url_names.get(row["kind"])
        return reverse(url_name, args=[row["item_id"]]) if url_name and not row["deleted"] else None

    def item_url(self, row) -> str:
        return with_query(reverse("analytics_content:item", args=[row["kind"], row["item_id"]]), self.carried_query)


class ContentReportBase(ContentFiltersMixin, ViewPermissionReportView):
    template_name = "analytics/content/report.html"
    results_template_name = "analytics/content/results.html"
    model = DailyContentActivity
    permission_model = DailyContentActivity  # analytics.view_dailycontentactivity
    header_icon = "view"
    custom_field_preprocess = {
        "click_through_rate": {ReportView.FORMAT_CSV: export_percent, ReportView.FORMAT_XLSX: export_percent}
    }

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CountedRowsPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            number=self.request.GET.get(self.page_kwarg),
            verbose_names=(self.verbose_name, self.verbose_name_plural),
        )

    def decorate_paginated_queryset(self, object_list):
        if self.is_export:  # every row, titled a chunk at a time as it is written
            return self.titled_in_chunks(object_list)
        return self.decorate(with_titles(object_list))

    def titled_in_chunks(self, rows):
        rows = iter(rows.iterator(chunk_size=EXPORT_CHUNK_SIZE))
        while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
            yield from self.decorate(with_titles(chunk))

    def decorate(self, rows):
        for row in rows:
            row["kind_label"] = KIND_LABELS.get(row["kind"], row["kind"])
            path = self.edit_url(row)
            row["edit_url"] = self.request.build_absolute_uri(path) if path else ""
        return rows


# --- the report ----------------------------------------------------------------------------------


class ContentPerformanceView(ContentReportBase):
    page_title = "Content performance"
    index_url_name = "analytics_content:items"
    index_results_url_name = "analytics_content:items_results"
    export_filename = "content-performance"
    filterset_class = ContentFilterSet
    verbose_name = "item"
    verbose_name_plural = "items"
    default_ordering = "-views"
    nothing_yet_message = "Nothing viewed, downloaded or found in search in this period."
    list_export = [
        "title",
        "kind_label",
        "item_id",
        "views",
        "downloads",
        "partners",
        "impressions",
        "clicks",
        "click_through_rate",
        "edit_url",
    ]
    export_headings = {
        "title": "Title",
        "kind_label": "Type",
        "item_id": "ID",
        "views": "Views",
        "downloads": "Downloads",
        "partners": "Partners",
        "impressions": "Search impressions",
        "clicks": "Search clicks",
        "click_through_rate": "Click-through rate (%)",
        "edit_url": "Edit URL",
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label="Title", get_url=self.edit_url, classname="partnerhub-name"),
            Column("kind", label="Type", accessor="kind_label"),
            NumberColumn("views", label="Views", sort_key="views"),
            NumberColumn("downloads", label="Downloads", sort_key="downloads"),
            NumberColumn("partners", label="Partners", sort_key="partners"),
            NumberColumn("impressions", label="Search impressions", sort_key="impressions"),
            NumberColumn("clicks", label="Search clicks", sort_key="clicks"),
            PercentColumn("click_through_rate", label="Click-through rate"),
            Column(
                "breakdown",
                label="Details",
                accessor=lambda row: format_html('<a href="{}">Breakdown</a>', self.item_url(row)),
            ),
        ]

    def get_filtered_queryset(self):
        return item_totals(self.content_filters, ordering=self.ordering or self.default_ordering)

    @cached_property
    def header_buttons(self):
        url = with_query(reverse("analytics_content:not_found"), self.carried_query)
        return [HeaderButton("Not found", url=url, icon_name="search", attrs={"data-not-found-link": ""})]

    @property
    def description(self):
        kind = dict(KIND_CHOICES).get(self.content_filters.kind, "Items").lower()
        return (
            f"What partners did with each of the {kind} {period_words(self.content_filters)}{self.audience}, most "
            f"viewed first. {self.test_partners} Partners: how many different partners viewed, downloaded or were "
            "shown it. "
            "Search impressions: times it was shown in search results; search clicks: times it was opened from "
            "them; click-through rate: clicks over impressions."
        )


# --- one item ------------------------------------------------------------------------------------


def breakdown_columns(name: str, label: str, accessor) -> list:
    return [
        Column(name, label=label, accessor=accessor),
        NumberColumn("views", label="Views"),
        NumberColumn("downloads", label="Downloads"),
        NumberColumn("partners", label="Partners"),
        NumberColumn("impressions", label="Search impressions"),
        NumberColumn("clicks", label="Search clicks"),
        Column(
            "click_through_rate",
            label="Click-through rate",
            accessor=lambda row: percent_label(row["click_through_rate"]),
        ),
    ]


class ContentItemView(ContentFiltersMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One item's figures over the period: in all, by tier, by region, and by day (a chart)."""

    template_name = "analytics/content/item.html"
    permission_required = "view"
    header_icon = "view"

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(DailyContentActivity)

    def setup(self, request, *args, kind, item_id, **kwargs):
        super().setup(request, *args, **kwargs)
        if kind not in KIND_MODELS:
            raise Http404
        self.kind, self.item_id = kind, item_id
        self.today = timezone.localdate()

    @cached_property
    def filters(self):
        return PeriodFilterSet(self.request.GET, request=self.request)

    @cached_property
    def title(self) -> str | None:
        return item_title(self.kind, self.item_id)

    @cached_property
    def row(self) -> dict:
        return {"kind": self.kind, "item_id": self.item_id, "deleted": self.title is None}

    def get_page_title(self):
        return self.title or f"(deleted item #{self.item_id})"

    def get_page_subtitle(self):
        return KIND_LABELS[self.kind]

    def get_breadcrumbs_items(self):
        report = with_query(reverse("analytics_content:items"), self.carried_query)
        return [
            *self.breadcrumbs_items,
            {"url": report, "label": "Content performance"},
            {"url": "", "label": self.get_page_title(), "sublabel": KIND_LABELS[self.kind]},
        ]

    @cached_property
    def header_buttons(self):
        edit_url = self.edit_url(self.row)
        return [HeaderButton("Edit", url=edit_url, icon_name="edit")] if edit_url else []

    @cached_property
    def breakdown(self):
        return item_breakdown(self.content_filters, kind=self.kind, item_id=self.item_id)

    @cached_property
    def chart(self) -> Chart:
        days = self.breakdown.by_day
        return Chart(
            id="item-daily",
            title=f"{self.get_page_title()}: views and downloads by day",
            labels=[row["day"].isoformat() for row in days],
            series=[
                Series("Views", [row["views"] for row in days]),
                Series("Downloads", [row["downloads"] for row in days]),
            ],
            kind="line",
            unit="per day",
            description=f"Views and downloads of this {self.kind} each day {period_words(self.content_filters)}.",
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("csv") == self.chart.id:
            return chart_csv_response(self.chart)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        breakdown = self.breakdown
        totals = breakdown.totals
        return super().get_context_data(
            view=self,
            period=period_words(self.content_filters),
            totals=[
                ("Views", totals["views"]),
                ("Downloads", totals["downloads"]),
                ("Partners", totals["partners"]),
                ("Search impressions", totals["impressions"]),
                ("Search clicks", totals["clicks"]),
                ("Click-through rate", percent_label(totals["click_through_rate"]) or "—"),
            ],
            chart=self.chart,
            by_tier=Table(
                breakdown_columns("tier", "Tier", lambda row: row["tier__name"] or "No tier"), breakdown.by_tier
            ),
            by_region=Table(
                breakdown_columns("region", "Region", lambda row: row["region__name"] or "No region"),
                breakdown.by_region,
            ),
            **kwargs,
        )


# --- not found -----------------------------------------------------------------------------------


class NotFoundView(ContentReportBase):
    """Assets shown in search and never opened from it (the listing), beside the searches that found nothing."""

    page_title = "Content performance: not found"
    header_icon = "search"
    results_template_name = "analytics/content/not_found_results.html"
    index_url_name = "analytics_content:not_found"
    index_results_url_name = "analytics_content:not_found_results"
    export_filename = "content-not-found"
    filterset_class = PeriodFilterSet
    paginate_by = 25
    verbose_name = "asset"
    verbose_name_plural = "assets"
    nothing_yet_message = "Every asset shown in search results in this period was opened from them at least once."
    list_export = ["title", "item_id", "impressions", "partners", "views", "edit_url"]
    export_headings = {
        "title": "Asset",
        "item_id": "ID",
        "impressions": "Search impressions",
        "partners": "Partners shown it",
        "views": "Views",
        "edit_url": "Edit URL",
    }
    columns = [
        TitleColumn("title", label="Asset", get_url=lambda row: row["edit_link"], classname="partnerhub-name"),
        NumberColumn("impressions", label="Search impressions"),
        NumberColumn("partners", label="Partners shown it"),
        NumberColumn("views", label="Views"),
    ]

    def get_filtered_queryset(self):
        return unfound_assets(self.content_filters)

    def decorate(self, rows):
        rows = super().decorate(rows)
        for row in rows:
            row["edit_link"] = self.edit_url(row)
        return rows

    def get_breadcrumbs_items(self):
        report = with_query(reverse("analytics_content:items"), self.carried_query)
        return [
            *self.breadcrumbs_items,
            {"url": report, "label": "Content performance"},
            {"url": "", "label": "Not found"},
        ]

    @cached_property
    def searches(self):
        """The searches that found nothing, most often first: a page of them, and how many there are."""
        rows = list(searches_without_results(self.content_filters)[:SEARCHES_SHOWN])
        total = rows[0]["row_count"] if rows else 0
        report = self.search_report_url()
        for row in rows:
            row["url"] = with_query(report, self.search_report_query(q=row["normalized"])) if report else None
        return rows, total

    def search_report_url(self) -> str | None:
        if not policy_registry.get_by_type(SearchQuery).user_has_permission(self.request.user, "view"):
            return None
        return reverse("search_reports:no_results")

    def search_report_query(self, **extra) -> str:
        """The search report's filters for this period (and test partners, if counted here)."""
        filters = self.content_filters
        params = {"created_at_from": filters.start.isoformat(), "created_at_to": filters.end.isoformat()}
        if filters.include_test_partners:
            params["searchers"] = "everyone"
        return urlencode({**params, **extra})

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows, total = self.searches
        report = self.search_report_url()
        context.update(
            searches_table=Table(
                [
                    TitleColumn("normalized", label="Search", get_url=lambda row: row["url"]),
                    NumberColumn("without_results", label="Searches that found nothing"),
                    NumberColumn("partners", label="Partners"),
                ],
                rows,
            ),
            searches_total=total,
            searches_shown=len(rows),
            all_searches_url=with_query(report, self.search_report_query()) if report else None,
        )
        return context

    @property
    def description(self):
        return (
            f"{capfirst(period_words(self.content_filters))}{self.audience}. {self.test_partners} Left: assets "
            "shown in search results and never opened from them, most often shown first: a title or summary that does "
            "not say what the asset is, or an asset found for the wrong words. Right: what partners searched for and "
            "did not find: content to publish, or a synonym to add."
        )


# --- URLs and the menu ---------------------------------------------------------------------------

REPORTS = {"items": ("", ContentPerformanceView), "not_found": ("not-found/", NotFoundView)}

# Included by the ``register_admin_urls`` hook under ``reports/content-performance/``, namespace
# ``analytics_content``.
urlpatterns = [
    *report_urlpatterns(REPORTS),
    path("<str:kind>/<int:item_id>/", ContentItemView.as_view(), name="item"),
]


def report_menu_item() -> ViewPermissionMenuItem:
    """Reports → Content performance, after the search reports (110, 111)."""
    return ViewPermissionMenuItem(
        "Content performance",
        reverse_lazy("analytics_content:items"),
        name="content-performance",
        icon_name="view",
        order=112,
        permission_model=DailyContentActivity,
    )
