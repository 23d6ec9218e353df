"""App config for courses: training with modules, lessons, quizzes, enrolments and progress."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.preview import register_preview_payload
        from core.demo import register_demo

        from . import checks, demo_progress, signals  # noqa: F401 - checks registers the system checks
        from .api import course_preview
        from .models import Course

        signals.connect()
        register_preview_payload(Course, course_preview)
        register_demo(self.label, after=["partners", "cms"], steps=[demo_progress.demo_progress])

        # Plugged into core's registries: the API router, the searchable kind, the feed section.
        from core.api import register_api_router
        from core.feed import register_feed_section
        from core.search import SearchKind, register_search_kind

        from .api import router
        from .feed import feed_courses_due

        register_api_router(router)
        register_search_kind(SearchKind("course", Course))
        register_feed_section("courses_due", title="My courses due", items=feed_courses_due)
