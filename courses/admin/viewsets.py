"""The "Learning" menu group: courses, question banks, quizzes, assignments and learning packages (elearning's).

Courses get the content lifecycle of the library (review workflow, scheduling, archive
and restore, owner reminders) from ``cms.gating``; this module only declares their screens.
"""

from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.gating.admin import GatedContentIndexView, GatedContentViewSet, gated_content_columns
from cms.gating.filters import GatedContentFilterSet
from courses.models import Course, CourseAssignment, QuestionBank, Quiz
from elearning.admin.viewsets import PackageViewSet


class CourseFilterSet(GatedContentFilterSet):
    class Meta:
        model = Course
        fields = ["level"]


class CourseIndexView(GatedContentIndexView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.request.user.has_perm("courses.add_course"):
            url = reverse("courses_from_package")
            buttons.append(Button("Create a course from a learning package", url=url, icon_name="folder-open-inverse"))
        return buttons


class CourseViewSet(GatedContentViewSet):
    """Courses get the listing, filters, export and archive / restore of all gated content."""

    model = Course
    index_view_class = CourseIndexView
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
    items = (CourseViewSet, QuestionBankViewSet, QuizViewSet, CourseAssignmentViewSet, PackageViewSet)
