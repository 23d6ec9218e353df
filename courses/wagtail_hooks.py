"""Admin of courses: a "Learning" menu with courses, question banks, quizzes and assignments.

Courses get the content lifecycle of the library (review workflow, scheduling, archive
and restore, owner reminders) from ``cms``; this module only declares their screens.
"""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Course, CourseAssignment, QuestionBank, Quiz


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "list-ol"
    menu_label = "Courses"
    list_display = [
        "title",
        "level",
        Column("lifecycle_state", label="State"),
        Column("library_change_note", label="Library changes"),
        "updated_at",
    ]
    list_filter = ["level", "live"]
    search_fields = ["title", "summary"]
    ordering = ["title"]


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
