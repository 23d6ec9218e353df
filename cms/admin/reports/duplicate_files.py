"""Report "Assets: duplicate files": assets (not archived) whose file is identical to another asset's.

Identical means the same content hash (``Asset.file_sha256``, SHA-256 of the file, computed
when it is stored), whatever the file names. The rows of one file come together (groups by
the first title), each with links to the other assets that have the same file.
"""

from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from cms.hygiene.selectors import copies_by_hash, duplicate_file_q
from cms.models import Asset

from .base import ContentReportView, asset_filters, owner_column, state_column, title_column


def asset_edit_url(pk) -> str:
    return reverse("wagtailsnippets_cms_asset:edit", args=(quote(pk),))


class DuplicateFilesFilterSet(WagtailFilterSet):
    owner, asset_type = asset_filters()

    class Meta:
        model = Asset
        fields = []


def same_file_links(item):
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((asset_edit_url(pk), title) for pk, title in item.report_same_file_as)
    )


class DuplicateFilesView(ContentReportView):
    page_title = "Assets: duplicate files"
    header_icon = "copy"
    index_url_name = "cms_reports:duplicate_files"
    index_results_url_name = "cms_reports:duplicate_files_results"
    models = (Asset,)
    filterset_class = DuplicateFilesFilterSet
    export_filename = "assets-duplicate-files"
    description = (
        "Assets whose file is identical to another asset's (the same content, whatever the file name; archived "
        "assets aside). Partners find the same file twice: keep one, and archive the other or link to the one kept."
    )
    verbose_name = "asset"
    verbose_name_plural = "assets"
    sort_fields = ("file_sha256", "asset_type")
    default_ordering = "file_sha256"  # one file's assets together, the files by their first title
    columns = [
        title_column(),
        Column("asset_type", label="Asset type", accessor="get_asset_type_display", sort_key="asset_type"),
        owner_column(),
        state_column(),
        Column("same_file_as", label="Same file as", accessor=same_file_links),
        Column("file_name", label="File", accessor="report_file_name"),
        Column(
            "file_sha256",
            label="Content hash",
            accessor=lambda item: format_html('<code title="{}">{}…</code>', item.file_sha256, item.file_sha256[:12]),
            sort_key="file_sha256",
        ),
    ]
    list_export = [
        "title",
        "report_kind",
        "get_asset_type_display",
        "report_owner",
        "report_state",
        "report_file_name",
        "file_sha256",
        "report_copies",
        "report_same_file_as_titles",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "get_asset_type_display": "Asset type",
        "report_file_name": "File",
        "file_sha256": "Content hash (SHA-256)",
        "report_copies": "Assets with this file",
        "report_same_file_as_titles": "Same file as",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(duplicate_file_q())

    def sort_rows(self, rows):
        if (self.ordering or "").lstrip("-") != "file_sha256":
            return super().sort_rows(rows)
        first_title = {}
        for row in rows:
            title = row["title"].lower()
            first_title[row["file_sha256"]] = min(first_title.get(row["file_sha256"], title), title)
        rows.sort(
            key=lambda row: (first_title[row["file_sha256"]], row["file_sha256"], row["title"].lower(), row["pk"])
        )
        if self.ordering.startswith("-"):
            rows.reverse()
        return rows

    def load_items(self, keys):
        items = super().load_items(keys)
        copies = copies_by_hash(item.file_sha256 for item in items)  # one query for the page (or export chunk)
        for item in items:
            group = copies.get(item.file_sha256, [])
            item.report_same_file_as = [(pk, title) for pk, title in group if pk != item.pk]
            item.report_copies = len(group)
            item.report_same_file_as_titles = "; ".join(title for _, title in item.report_same_file_as)
            item.report_file_name = item.file.name.rsplit("/", 1)[-1] if item.file else ""
        return items

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["get_asset_type_display"] = item.get_asset_type_display()
        return row
