"""App config for search: the Elasticsearch index of partner content, its fallback and analytics."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router

        from . import signals
        from .api import router

        signals.connect()
        register_api_router(router)
