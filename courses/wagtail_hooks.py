"""Admin of courses: a "Learning" menu with courses, question banks, quizzes and assignments.

Courses get the content lifecycle of the library (review workflow, scheduling, archive
and restore, owner reminders) from ``cms``; this module only declares their screens.
"""

from django.contrib import messages
from django.urls import include, path

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.gating.filters import GatedContentFilterSet
from cms.reports import permissions_named
from cms.wagtail_hooks import GatedContentViewSet, gated_content_columns

from .models import Course, CourseAssignment, QuestionBank, Quiz
from .reports import PERMISSIONS, report_menu_items
from .reports import urlpatterns as report_urlpatterns
from .services.assignments import course_assignment_apply


class CourseFilterSet(GatedContentFilterSet):
    class Meta:
        model = Course
        fields = ["level"]


class CourseViewSet(GatedContentViewSet):
    """Courses get the listing, filters, export and archive / restore of all gated content."""

    model = Course
    icon = "list-ol"
    menu_label = "Courses"
    filterset_class = CourseFilterSet
    list_display = [
        "title",
        "level",
        *gated_content_columns(),
        Column("library_change_note", label="Library changes"),
    ]
    list_export = [*GatedContentViewSet.list_export, "library_change_note"]
    export_filename = "courses"


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "help"
    menu_label = "Question banks"
    list_display = ["name", "description"]
    search_fields = ["name", "description"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = "Quizzes"
    list_display = ["title", "bank", "pass_mark", "attempt_limit", "time_limit_minutes"]
    list_filter = ["bank"]
    search_fields = ["title"]


class CourseAssignmentViewSet(SnippetViewSet):
    model = CourseAssignment
    icon = "user"
    menu_label = "Assignments"
    list_display = ["course", Column("target", label="Assigned to"), "due_date", "created_at"]
    list_filter = ["course"]


class LearningViewSetGroup(SnippetViewSetGroup):
    menu_label = "Learning"
    menu_icon = "list-ol"
    menu_order = 210
    items = (CourseViewSet, QuestionBankViewSet, QuizViewSet, CourseAssignmentViewSet)


register_snippet(LearningViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def enrol_the_learners_of_an_assignment(request, instance):
    """Saving an assignment enrols the learners in scope at once (and nightly for those who join later)."""
    if not isinstance(instance, CourseAssignment):
        return
    if instance.created_by_id is None:
        CourseAssignment.objects.filter(pk=instance.pk).update(created_by=request.user)
    enrolled = course_assignment_apply(assignment=instance)
    messages.success(request, f"{enrolled} learner(s) newly enrolled in “{instance.course}”.")


# --- learning reports (``courses.reports``), under Reports ---------------------------------------


@hooks.register("register_admin_urls")
def register_learning_report_urls():
    # /admin/reports/courses/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/courses/", include((report_urlpatterns, "courses_reports"), namespace="courses_reports"))]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_learning_report_permissions():
    # Django's "view" permissions of enrolments and quiz attempts, so that the group editor offers them.
    return permissions_named(PERMISSIONS)
