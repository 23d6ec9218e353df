"""The content reports' URLs (included under ``reports/content/``, namespace ``cms_reports``) and menu entries."""

from django.urls import reverse_lazy

from cms.models import Asset
from cms.models.content import GATED_CONTENT_MODELS
from core.reports import report_urlpatterns

from ..scans import FileScanReportView
from .base import ContentReportMenuItem
from .broken_links import BrokenLinksView
from .duplicate_files import DuplicateFilesView
from .expired_not_archived import ExpiredNotArchivedView
from .expiring_soon import ExpiringSoonView
from .file_text import FileTextProblemsView
from .not_downloaded import NotDownloadedView
from .review_overdue import ReviewOverdueView

REPORTS = {
    "expiring_soon": ("expiring-soon/", ExpiringSoonView),
    "review_overdue": ("review-overdue/", ReviewOverdueView),
    "expired_not_archived": ("expired/", ExpiredNotArchivedView),
    "not_downloaded": ("not-downloaded/", NotDownloadedView),
    "file_text": ("files-without-text/", FileTextProblemsView),
    "duplicate_files": ("duplicate-files/", DuplicateFilesView),
    "broken_links": ("broken-links/", BrokenLinksView),
    "file_scans": ("file-scans/", FileScanReportView),
}

# Included by the ``register_admin_urls`` hook under ``reports/content/``, namespace ``cms_reports``.
urlpatterns = report_urlpatterns(REPORTS)


def report_menu_items():
    """The reports' entries in the admin's Reports menu, before Wagtail's own page reports (700 on)."""
    entries = [
        ("Expiring soon", "expiring_soon", "time", GATED_CONTENT_MODELS),
        ("Review overdue", "review_overdue", "warning", GATED_CONTENT_MODELS),
        ("Expired, not archived", "expired_not_archived", "no-view", GATED_CONTENT_MODELS),
        ("Not downloaded", "not_downloaded", "download", (Asset,)),
        ("Assets: files without text", "file_text", "doc-empty", (Asset,)),
        ("Assets: duplicate files", "duplicate_files", "copy", (Asset,)),
        ("Assets: broken links", "broken_links", "link", (Asset,)),
        ("Files: quarantined and pending scan", "file_scans", "warning", (Asset,)),
    ]
    return [
        ContentReportMenuItem(
            label,
            reverse_lazy(f"cms_reports:{url_name}"),
            name=f"content-{url_name.replace('_', '-')}",
            icon_name=icon,
            order=100 + index,
            models=models,
        )
        for index, (label, url_name, icon, models) in enumerate(entries)
    ]
