"""App config for cms: the content domain (assets, programs, bulletins) and project-wide tooling."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.demo import register_demo

        from . import demo, signals, spreadsheets
        from .api import asset_preview, bulletin_preview, program_preview
        from .models import Asset, Bulletin, Program
        from .preview import register_preview_payload

        signals.connect()
        spreadsheets.install()
        register_preview_payload(Asset, asset_preview)
        register_preview_payload(Program, program_preview)
        register_preview_payload(Bulletin, bulletin_preview)
        register_demo(self.label, after=["partners"], prepare=[demo.demo_content])

        # Plugged into core's registries: the API router and the searchable kinds.
        from core.api import register_api_router
        from core.search import SearchKind, register_search_kind

        from .api import router

        register_api_router(router)
        register_search_kind(SearchKind("asset", Asset, type_field="asset_type", has_products=True))
        register_search_kind(SearchKind("program", Program, body_fields=("body", "eligibility")))
        register_search_kind(SearchKind("bulletin", Bulletin, body_fields=("body",)))
