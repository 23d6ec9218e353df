"""Virus scans in the admin: the asset listing's "Virus scan" column, the report "Files: quarantined and pending scan".

The report is one of the freshness family (Reports menu): every stored file that is not clean,
infected ones with their signature and where the quarantined copy is, pending ones with why they
wait (the scanner was down), each with its item, its uploader and when it was scanned.
"""

from collections import defaultdict

from django import forms

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, UserColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from cms.gating.admin import GatedContentIndexView
from cms.models import Asset, FileScan
from cms.scanning.gate import servable_statuses
from core.reports import AbsoluteDateColumn, ViewPermissionReportView

Status = FileScan.Status


class AssetIndexView(GatedContentIndexView):
    """The asset listing, with each row's file scan loaded in the page's query (for the "Virus scan" column)."""

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(**FileScan.objects.scan_annotations("file"))


def scan_label(item, field: str = "file") -> str:
    """The "Virus scan" cell of a row annotated with ``file_scan_status`` and ``file_scan_signature``."""
    status = getattr(item, "file_scan_status", None)
    if not getattr(item, field):
        return ""
    if status is None:
        return "Not scanned"
    if status == Status.INFECTED:
        return f"Infected: {item.file_scan_signature}" if item.file_scan_signature else "Infected"
    return Status(status).label


def scan_column():
    return Column("file_scan", label="Virus scan", accessor=scan_label)


class FileScanFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(s.value, s.label) for s in Status if s != Status.CLEAN],
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = FileScan
        fields = ["status"]


class FileScanReportView(ViewPermissionReportView):
    results_template_name = "cms/reports/results.html"  # the description above the table
    page_title = "Files: quarantined and pending scan"
    header_icon = "warning"
    index_url_name = "cms_reports:file_scans"
    index_results_url_name = "cms_reports:file_scans_results"
    export_filename = "files-quarantined-pending-scan"
    model = FileScan
    permission_model = Asset
    permission_required = "change"  # like the content reports: those who may change assets
    filterset_class = FileScanFilterSet
    verbose_name = "file"
    verbose_name_plural = "files"
    nothing_yet_message = "Every stored file was scanned and found clean."
    description = (
        "Files that cannot be published or downloaded: infected ones (moved to the quarantine; upload a clean "
        "file), pending ones (the virus scanner was unavailable; the re-scan job clears them when it is back) "
        "and those the scanner could not scan."
    )
    default_ordering = "-created_at"
    sort_fields = {name: (name,) for name in ("name", "status", "created_at", "scanned_at", "attempts")}
    columns = [
        Column("name", label="File", sort_key="name"),
        StatusTagColumn("status", label="Status", accessor="label", primary=lambda scan: False, sort_key="status"),
        Column("item", label="Item", accessor="report_item"),
        UserColumn("uploaded_by", label="Uploaded by", blank_display_name="Unknown"),
        AbsoluteDateColumn("created_at", label="Stored", date_format="N j, Y, H:i", sort_key="created_at"),
        AbsoluteDateColumn("scanned_at", label="Last scanned", date_format="N j, Y, H:i", sort_key="scanned_at"),
        Column("attempts", label="Attempts", sort_key="attempts"),
        Column("detail", label="Why"),
    ]
    list_export = ["name", "label", "report_item", "report_item_url", "uploaded_by", "created_at", "scanned_at"]
    export_headings = {
        "name": "File",
        "label": "Status",
        "report_item": "Item",
        "report_item_url": "Edit URL",
        "uploaded_by": "Uploaded by",
        "created_at": "Stored",
        "scanned_at": "Last scanned",
    }
    custom_field_preprocess = {
        "uploaded_by": {ReportView.FORMAT_CSV: str, ReportView.FORMAT_XLSX: str},
    }

    def get_base_queryset(self):
        return (
            # With scanning off, files stored meanwhile are served ("not scanned"): only the infected ones are listed.
            FileScan.objects.exclude(status__in=servable_statuses())
            .select_related("uploaded_by", "uploaded_by__wagtail_userprofile")
            .only(*(f.name for f in FileScan._meta.concrete_fields if f.name != "uploaded_by"), "uploaded_by")
        )

    def get_ties(self):
        return ("-pk",)

    def get_filtered_queryset(self):
        return self.order_queryset(self.filter_queryset(self.get_base_queryset()))

    def decorate_paginated_queryset(self, object_list):
        """Each row's item (an asset, a package…): one query per kind of item on the page."""
        scans = list(object_list)
        wanted = defaultdict(set)
        for scan in scans:
            if scan.content_type_id and scan.object_id:
                wanted[scan.content_type_id].add(scan.object_id)
        items = {}
        for content_type_id, pks in wanted.items():
            model = FileScan.content_type.field.related_model.objects.get_for_id(content_type_id).model_class()
            for item in model._default_manager.filter(pk__in=pks) if model else []:
                items[content_type_id, item.pk] = item
        finder = AdminURLFinder(self.request.user)
        for scan in scans:
            item = items.get((scan.content_type_id, scan.object_id))
            scan.report_item = str(item) if item is not None else ""
            path = finder.get_edit_url(item) if item is not None else None
            scan.report_item_url = self.request.build_absolute_uri(path) if path else ""
        return scans
