"""App config of the test-only app: its gated kind plugs itself in here, as any app's would."""

from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.feed import register_feed_section
        from core.importer.registry import register_sections
        from core.search import SearchKind, register_search_kind

        from .feed import feed_new_briefings
        from .importing import BriefingsSection
        from .models import Briefing

        register_sections(BriefingsSection())
        register_search_kind(SearchKind("briefing", Briefing, body_fields=("body",)))
        register_feed_section("new_briefings", title="New briefings", items=feed_new_briefings)
