"""App config for search: the Elasticsearch index of partner content, its fallback and analytics."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router
        from core.operations.readiness import register_backlog, register_dependency

        from . import readiness, signals
        from .api import router

        signals.connect()
        register_api_router(router)
        register_dependency("elasticsearch", readiness.search_backend_state, required=False)
        register_backlog(
            "search_sync", readiness.pending_search_sync_count, help="Changes not yet written to the search index."
        )
