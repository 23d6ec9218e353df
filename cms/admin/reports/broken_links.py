"""Report "Assets: broken links": assets (not archived) whose external URL failed its last check.

The scheduled link checker (``cms.services.link_checks``; beat's ``check-links``, or
``manage.py check_links``) records each check; an asset whose URL changed since its last
check is left out until the URL is checked again.
"""

from django import forms
from django.db.models import F, Q
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

import django_filters

from cms.hygiene.selectors import broken_link_q
from cms.models import Asset

from .base import ContentReportView, asset_filters, days_between, owner_column, state_column, title_column


class BrokenLinksFilterSet(WagtailFilterSet):
    problem = django_filters.ChoiceFilter(
        label="Problem",
        choices=[
            ("http_error", "The server answers with an error (404, 410, 500…)"),
            ("no_answer", "No answer (time-out, refused, unknown host, TLS, redirect loop)"),
        ],
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_problem",
    )
    owner, asset_type = asset_filters()

    class Meta:
        model = Asset
        fields = []

    def filter_problem(self, queryset, name, value):
        http_error = Q(link_check__status_code__gte=400)
        return queryset.filter(http_error if value == "http_error" else ~http_error)


URL_SHOWN = 36  # characters of a URL in the table (all of it in the link's title and the export)


def url_link(item):
    url = item.external_url
    shown = url.split("://", 1)[-1]
    shown = shown if len(shown) <= URL_SHOWN else shown[: URL_SHOWN - 1] + "…"
    return format_html('<a href="{}" title="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, url, shown)


def problem_text(item):
    """The last check's error (and where redirects led), then when it was checked and how many failed in a row."""
    check = item.link_check
    checked = timezone.localtime(check.checked_at)
    failures = "1 failed check" if check.failures == 1 else f"{check.failures} failed checks in a row"
    return format_html(
        '{}{}<br><small>Checked <time datetime="{}">{}</time>; {}</small>',
        check.error,
        format_html("<br><small>at {}</small>", check.final_url) if check.final_url else "",
        date_filter(checked, "c"),
        date_filter(checked, "N j, Y, H:i"),
        failures,
    )


def broken_since_text(item):
    since = timezone.localtime(item.link_check.broken_since)
    days = item.report_days_broken
    return format_html(
        '<time datetime="{}">{}</time><br><small>{}</small>',
        date_filter(since, "c"),
        date_filter(since, "N j, Y"),
        "today" if days == 0 else f"{days} day{'s' if days != 1 else ''}",
    )


class BrokenLinksView(ContentReportView):
    page_title = "Assets: broken links"
    header_icon = "link"
    index_url_name = "cms_reports:broken_links"
    index_results_url_name = "cms_reports:broken_links_results"
    models = (Asset,)
    filterset_class = BrokenLinksFilterSet
    export_filename = "assets-broken-links"
    description = (
        "Assets whose external URL (a link, or a video hosted elsewhere) did not answer at its last check: partners "
        "who follow it find nothing. Fix the URL or archive the asset; a link that answers again leaves the report "
        "at its next check."
    )
    verbose_name = "asset"
    verbose_name_plural = "assets"
    sort_fields = ("broken_since", "asset_type")
    default_ordering = "broken_since"  # broken the longest first
    columns = [
        title_column(),
        Column("asset_type", label="Asset type", accessor="get_asset_type_display", sort_key="asset_type"),
        owner_column(),
        state_column(),
        Column("url", label="URL", accessor=url_link),
        Column("problem", label="Problem", accessor=problem_text),
        Column("broken_since", label="Broken since", accessor=broken_since_text, sort_key="broken_since"),
    ]
    list_export = [
        "title",
        "report_kind",
        "get_asset_type_display",
        "report_owner",
        "report_state",
        "external_url",
        "report_status_code",
        "report_error",
        "report_final_url",
        "report_broken_since",
        "report_days_broken",
        "report_checked_at",
        "report_failures",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "get_asset_type_display": "Asset type",
        "external_url": "URL",
        "report_status_code": "HTTP status",
        "report_error": "Problem",
        "report_final_url": "Redirected to",
        "report_broken_since": "Broken since",
        "report_days_broken": "Days broken",
        "report_checked_at": "Last checked",
        "report_failures": "Failed checks",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(broken_link_q())

    def annotate_for_sorting(self, queryset):
        return queryset.annotate(broken_since=F("link_check__broken_since"))

    def annotate_for_display(self, queryset):
        return queryset.select_related("link_check")

    def decorate(self, item):
        super().decorate(item)
        check = item.link_check
        item.report_days_broken = days_between(timezone.localdate(check.broken_since), self.today)
        item.report_status_code = check.status_code
        item.report_error = check.error
        item.report_final_url = check.final_url
        item.report_broken_since = check.broken_since
        item.report_checked_at = check.checked_at
        item.report_failures = check.failures

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["get_asset_type_display"] = item.get_asset_type_display()
        return row
