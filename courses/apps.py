"""App config for courses: training with modules, lessons, quizzes, enrolments and progress."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.demo import register_demo

        from . import checks, demo_progress, signals  # noqa: F401 - checks registers the system checks

        signals.connect()
        register_demo(self.label, after=["partners", "cms"], steps=[demo_progress.demo_progress])

        # Importer sections (core.importer): the order is derived from each section's depends_on.
        from core.importer.registry import register_sections

        from .importing import courses, question_banks, quizzes

        register_sections(question_banks.QuestionBanksSection(), quizzes.QuizzesSection(), courses.CoursesSection())
