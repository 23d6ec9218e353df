"""Report "Not downloaded": live assets never downloaded, or not downloaded in the last 90 days."""

from django import forms
from django.db.models import Count, Exists, Max, Subquery

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

import django_filters

from cms.models import Asset
from core.reports import AbsoluteDateColumn

from .base import (
    NOT_DOWNLOADED_DAYS,
    ContentReportView,
    asset_downloads,
    asset_filters,
    not_downloaded_q,
    owner_column,
    state_column,
    title_column,
)


class NotDownloadedFilterSet(WagtailFilterSet):
    downloads = django_filters.ChoiceFilter(
        label="Downloads",
        choices=[
            ("never", "Never downloaded"),
            ("stale", f"Downloaded before, not in the last {NOT_DOWNLOADED_DAYS} days"),
        ],
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_downloads",
    )
    owner, asset_type = asset_filters()

    class Meta:
        model = Asset
        fields = []

    def filter_downloads(self, queryset, name, value):
        if value == "never":
            return queryset.filter(~Exists(asset_downloads()))
        return queryset.filter(Exists(asset_downloads()))


class NotDownloadedView(ContentReportView):
    page_title = "Not downloaded"
    header_icon = "download"
    index_url_name = "cms_reports:not_downloaded"
    index_results_url_name = "cms_reports:not_downloaded_results"
    models = (Asset,)
    filterset_class = NotDownloadedFilterSet
    export_filename = "assets-not-downloaded"
    description = (
        f"Assets live for partners that no one has downloaded in the last {NOT_DOWNLOADED_DAYS} days, or ever."
    )
    verbose_name = "asset"
    verbose_name_plural = "assets"
    sort_fields = ("last_downloaded_at", "first_published_at", "asset_type")
    nulls_first = ("last_downloaded_at",)  # never downloaded: longer ago than any download
    default_ordering = "last_downloaded_at"
    columns = [
        title_column(),
        Column("asset_type", label="Asset type", accessor="get_asset_type_display", sort_key="asset_type"),
        owner_column(),
        state_column(),
        AbsoluteDateColumn("first_published_at", label="First published", sort_key="first_published_at"),
        AbsoluteDateColumn(
            "last_downloaded_at",
            label="Last downloaded",
            date_format="N j, Y, H:i",
            sort_key="last_downloaded_at",
        ),
        Column("download_count", label="Downloads"),
    ]
    list_export = [
        "title",
        "report_kind",
        "get_asset_type_display",
        "report_owner",
        "report_state",
        "first_published_at",
        "last_downloaded_at",
        "download_count",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "get_asset_type_display": "Asset type",
        "first_published_at": "First published",
        "last_downloaded_at": "Last downloaded",
        "download_count": "Downloads",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(not_downloaded_q(now=self.now))

    def annotate_for_sorting(self, queryset):
        latest = asset_downloads().order_by("-downloaded_at").values("downloaded_at")[:1]
        return queryset.annotate(last_downloaded_at=Subquery(latest))

    def annotate_for_display(self, queryset):
        return queryset.annotate(last_downloaded_at=Max("downloads__downloaded_at"), download_count=Count("downloads"))

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["get_asset_type_display"] = item.get_asset_type_display()
        return row
