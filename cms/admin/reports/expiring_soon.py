"""Report "Expiring soon": live items whose expiry falls within the next 7, 14, 30 or 90 days."""

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import Column

import django_filters

from core.reports import AbsoluteDateColumn

from .base import (
    DEFAULT_EXPIRY_WINDOW,
    EXPIRY_WINDOWS,
    ContentReportFilterSet,
    ContentReportView,
    days_between,
    expiring_soon_q,
    kind_column,
    owner_column,
    state_column,
    title_column,
)


class ExpiringSoonFilterSet(ContentReportFilterSet):
    days = django_filters.ChoiceFilter(
        label="Expiring within",
        choices=[(str(days), f"{days} days") for days in EXPIRY_WINDOWS],
        empty_label=None,
        initial=str(DEFAULT_EXPIRY_WINDOW),
        widget=forms.RadioSelect,
        method="filter_days",  # the report's window: applied by the view, whatever else is filtered
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("days"):
            data = data.copy()
            data["days"] = str(DEFAULT_EXPIRY_WINDOW)
        super().__init__(data, *args, **kwargs)

    def filter_days(self, queryset, name, value):
        return queryset


ExpiringSoonFilterSet.base_filters.move_to_end("days", last=False)  # the window first, then kind and owner


class ExpiringSoonView(ContentReportView):
    page_title = "Expiring soon"
    header_icon = "time"
    index_url_name = "cms_reports:expiring_soon"
    index_results_url_name = "cms_reports:expiring_soon_results"
    filterset_class = ExpiringSoonFilterSet
    export_filename = "content-expiring-soon"
    sort_fields = ("expire_at", "review_by")
    default_ordering = "expire_at"
    columns = [
        title_column(),
        kind_column(),
        owner_column(),
        state_column(),
        AbsoluteDateColumn("expire_at", label="Expires", date_format="N j, Y, H:i", sort_key="expire_at"),
        Column("days_left", label="Days left", accessor="report_days_left"),
        AbsoluteDateColumn("review_by", label="Review by", sort_key="review_by"),
    ]
    list_export = [*ContentReportView.list_export, "expire_at", "report_days_left", "review_by", "report_edit_url"]
    export_headings = {
        **ContentReportView.export_headings,
        "expire_at": "Expires",
        "report_days_left": "Days left",
        "review_by": "Review by",
    }

    @cached_property
    def days(self) -> int:
        if self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("days"):
            return int(self.filters.form.cleaned_data["days"])
        return DEFAULT_EXPIRY_WINDOW

    @property
    def description(self):
        return (
            f"Live items that expire within the next {self.days} days: partners stop seeing them then. "
            "Extend or replace them in time."
        )

    def get_report_queryset(self, model):
        return model._default_manager.filter(expiring_soon_q(now=self.now, days=self.days))

    def decorate(self, item):
        super().decorate(item)
        item.report_days_left = days_between(self.today, timezone.localdate(item.expire_at))
