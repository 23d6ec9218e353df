"""Report "Expired, not archived": items past their expiry (swept or not) that are not archived yet."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from wagtail.admin.ui.tables import Column

from core.reports import AbsoluteDateColumn

from .base import (
    ContentReportView,
    days_between,
    expired_not_archived_q,
    kind_column,
    owner_column,
    state_column,
    title_column,
)


class ExpiredNotArchivedView(ContentReportView):
    page_title = "Expired, not archived"
    header_icon = "no-view"
    index_url_name = "cms_reports:expired_not_archived"
    index_results_url_name = "cms_reports:expired_not_archived_results"
    export_filename = "content-expired-not-archived"
    description = (
        "Items past their expiry date that are not archived: partners no longer see them. "
        "Archive them, or give them a new expiry date and publish them again."
    )
    sort_fields = ("expire_at",)
    default_ordering = "expire_at"
    columns = [
        title_column(),
        kind_column(),
        owner_column(),
        state_column(),
        AbsoluteDateColumn("expire_at", label="Expired", date_format="N j, Y, H:i", sort_key="expire_at"),
        Column("days_expired", label="Days since expiry", accessor="report_days_expired"),
        AbsoluteDateColumn("auto_archive_on", label="Archived automatically on", accessor="report_auto_archive_on"),
    ]
    list_export = [
        *ContentReportView.list_export,
        "expire_at",
        "report_days_expired",
        "report_auto_archive_on",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "expire_at": "Expired",
        "report_days_expired": "Days since expiry",
        "report_auto_archive_on": "Archived automatically on",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(expired_not_archived_q(now=self.now))

    def decorate(self, item):
        super().decorate(item)
        expired_on = timezone.localdate(item.expire_at) if item.expire_at else None
        item.report_days_expired = days_between(expired_on, self.today)
        # The lifecycle sweep archives what it expired, ARCHIVE_AFTER_EXPIRY_DAYS after its expiry date.
        archive_after = getattr(settings, "ARCHIVE_AFTER_EXPIRY_DAYS", None)
        item.report_auto_archive_on = (
            timezone.localdate(item.expire_at + timedelta(days=archive_after))
            if item.expire_at and archive_after is not None
            else None
        )
