"""The learning reports' URLs (included under ``reports/courses/``, namespace ``courses_reports``), menu entries
and permissions."""

from core.reports import report_urlpatterns, view_permission_menu_items
from courses.models import Enrollment, QuizAttempt

from .enrolments import EnrollmentReportView
from .package_results import PackageResultsView
from .question_stats import QuestionStatsView

PERMISSIONS = ("courses.view_enrollment", "courses.view_quizattempt")

REPORTS = {
    "enrolments": ("enrolments/", EnrollmentReportView),
    "question_stats": ("question-statistics/", QuestionStatsView),
    "package_results": ("package-results/", PackageResultsView),
}

# Included by the ``register_admin_urls`` hook under ``reports/courses/``, namespace ``courses_reports``.
urlpatterns = report_urlpatterns(REPORTS)


def report_menu_items():
    """The reports' entries in the admin's Reports menu, after the search reports (110 on)."""
    entries = [
        ("Courses: enrolments and completion", "enrolments", "list-ol", Enrollment),
        ("Quizzes: question statistics", "question_stats", "tasks", QuizAttempt),
        ("Courses: learning package results", "package_results", "folder-open-inverse", Enrollment),
    ]
    return view_permission_menu_items("courses_reports", entries, first_order=120)
