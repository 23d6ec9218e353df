"""App config for courses: plugs training (courses, quizzes, enrolments, progress) into core's registries."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router
        from core.demo import register_demo
        from core.feed import register_feed_section
        from core.importer.registry import register_sections
        from core.search import SearchKind, register_search_kind

        from . import checks, demo_packages, demo_progress, signals  # noqa: F401 - checks registers the system checks
        from .api.routes import router
        from .feed import feed_courses_due
        from .importing import courses, question_banks, quizzes
        from .models import Course

        signals.connect()
        register_api_router(router)
        register_sections(question_banks.QuestionBanksSection(), quizzes.QuizzesSection(), courses.CoursesSection())
        register_search_kind(SearchKind("course", Course))
        register_feed_section("courses_due", title="My courses due", items=feed_courses_due)
        register_demo(
            self.label, after=["partners", "cms"], steps=[demo_progress.demo_progress, demo_packages.demo_packages]
        )
