"""Report "Files without text": assets whose current file's text could not be read (failed or too large).

Search cannot find what is inside these files; the reason says why (a corrupt or
password-protected file, a file over ``FILE_TEXT_MAX_BYTES``, reading past
``FILE_TEXT_SECONDS``…). Replacing the file reads the new version; ``manage.py
extract_file_text --failed`` reads these again after a fix.
"""

from django import forms
from django.db.models import Exists, OuterRef, Subquery

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

import django_filters

from cms.extraction.selectors import file_text_problems
from cms.models import Asset, AssetVersionText
from core.reports import AbsoluteDateColumn

from .base import ContentReportView, asset_filters, owner_column, state_column, title_column

State = AssetVersionText.State


def _problem_of_asset():
    return file_text_problems().filter(version__asset=OuterRef("pk"))


class FileTextFilterSet(WagtailFilterSet):
    file_text_state = django_filters.ChoiceFilter(
        label="Problem",
        choices=[(State.FAILED.value, State.FAILED.label), (State.TOO_LARGE.value, State.TOO_LARGE.label)],
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_state",
    )
    owner, asset_type = asset_filters()

    class Meta:
        model = Asset
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(Exists(_problem_of_asset().filter(state=value)))


class FileTextProblemsView(ContentReportView):
    page_title = "Assets: files without text"
    header_icon = "doc-empty"
    index_url_name = "cms_reports:file_text"
    index_results_url_name = "cms_reports:file_text_results"
    models = (Asset,)
    filterset_class = FileTextFilterSet
    export_filename = "assets-files-without-text"
    description = (
        "Assets whose current file could not be read for search: nothing inside them can be found. "
        "Replace the file, or fix it and run `manage.py extract_file_text --failed`."
    )
    verbose_name = "asset"
    verbose_name_plural = "assets"
    sort_fields = ("file_text_finished_at", "asset_type")
    default_ordering = "-file_text_finished_at"
    columns = [
        title_column(),
        Column("asset_type", label="Asset type", accessor="get_asset_type_display", sort_key="asset_type"),
        owner_column(),
        state_column(),
        Column("file_text_state_label", label="File text"),
        Column("file_text_reason", label="Why"),
        Column("file_text_attempts", label="Attempts"),
        AbsoluteDateColumn(
            "file_text_finished_at", label="Given up", date_format="N j, Y, H:i", sort_key="file_text_finished_at"
        ),
    ]
    list_export = [
        "title",
        "get_asset_type_display",
        "report_owner",
        "report_state",
        "file_text_state_label",
        "file_text_reason",
        "file_text_attempts",
        "file_text_finished_at",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "get_asset_type_display": "Asset type",
        "file_text_state_label": "File text",
        "file_text_reason": "Why",
        "file_text_attempts": "Attempts",
        "file_text_finished_at": "Given up",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(archived_at__isnull=True).filter(Exists(_problem_of_asset()))

    def annotate_for_sorting(self, queryset):
        return queryset.annotate(file_text_finished_at=Subquery(_problem_of_asset().values("finished_at")[:1]))

    def annotate_for_display(self, queryset):
        problem = _problem_of_asset()
        return queryset.annotate(
            file_text_state=Subquery(problem.values("state")[:1]),
            file_text_reason=Subquery(problem.values("reason")[:1]),
            file_text_attempts=Subquery(problem.values("attempts")[:1]),
            file_text_finished_at=Subquery(problem.values("finished_at")[:1]),
        )

    def decorate(self, item):
        super().decorate(item)
        item.file_text_state_label = State(item.file_text_state).label if item.file_text_state else ""

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["get_asset_type_display"] = item.get_asset_type_display()
        return row
