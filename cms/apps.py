"""App config for cms: plugs the content domain (assets, programs, bulletins) into core's registries."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router
        from core.demo import register_demo
        from core.importer.registry import register_sections
        from core.operations.readiness import register_backlog
        from core.search import FileText, SearchKind, register_search_kind

        from . import demo, importing, readiness, signals, spreadsheets
        from .api import router
        from .api_locked import router as locked_router
        from .extraction.selectors import file_text_q, file_text_where, file_units_for
        from .models import Asset, AssetVersion, Bulletin, Program
        from .previews.api import router as previews_router
        from .scanning.registry import register_scanned_files

        signals.connect()
        spreadsheets.install()
        register_api_router(router)
        register_api_router(locked_router)
        register_api_router(previews_router)
        register_sections(
            importing.ProductsSection(),
            importing.LanguagesSection(),
            importing.AssetsSection(),
            importing.ProgramsSection(),
            importing.BulletinsSection(),
        )
        asset_file_text = FileText(units_for=file_units_for, match=file_text_q, where=file_text_where)
        register_search_kind(
            SearchKind("asset", Asset, type_field="asset_type", has_products=True, file_text=asset_file_text)
        )
        register_search_kind(SearchKind("program", Program, body_fields=("body", "eligibility")))
        register_search_kind(SearchKind("bulletin", Bulletin, body_fields=("body",)))
        register_scanned_files(Asset, "file")
        register_scanned_files(AssetVersion, "file")
        register_demo(self.label, after=["partners"], prepare=[demo.demo_content])
        register_backlog("virus_scans", readiness.pending_scan_count, help="Stored files waiting for their scan.")
        register_backlog(
            "webhook_deliveries",
            readiness.pending_webhook_delivery_count,
            help="Webhook deliveries not delivered yet.",
        )
