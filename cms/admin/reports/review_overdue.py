"""Report "Review overdue": items (not archived) whose review-by date has passed."""

from wagtail.admin.ui.tables import Column

from core.reports import AbsoluteDateColumn

from .base import (
    ContentReportView,
    days_between,
    kind_column,
    owner_column,
    review_overdue_q,
    state_column,
    title_column,
)


class ReviewOverdueView(ContentReportView):
    page_title = "Review overdue"
    header_icon = "warning"
    index_url_name = "cms_reports:review_overdue"
    index_results_url_name = "cms_reports:review_overdue_results"
    export_filename = "content-review-overdue"
    description = (
        "Items whose review-by date has passed (archived ones aside). "
        "Check they are still right, then set their next review date."
    )
    sort_fields = ("review_by", "expire_at")
    default_ordering = "review_by"
    columns = [
        title_column(),
        kind_column(),
        owner_column(),
        state_column(),
        AbsoluteDateColumn("review_by", label="Review by", sort_key="review_by"),
        Column("days_overdue", label="Days overdue", accessor="report_days_overdue"),
        AbsoluteDateColumn("expire_at", label="Expires", date_format="N j, Y, H:i", sort_key="expire_at"),
    ]
    list_export = [*ContentReportView.list_export, "review_by", "report_days_overdue", "expire_at", "report_edit_url"]
    export_headings = {
        **ContentReportView.export_headings,
        "review_by": "Review by",
        "report_days_overdue": "Days overdue",
        "expire_at": "Expires",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(review_overdue_q(today=self.today))

    def decorate(self, item):
        super().decorate(item)
        item.report_days_overdue = days_between(item.review_by, self.today)
