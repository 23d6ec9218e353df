"""Learning reports of the admin's Reports menu: how partners take the courses, and which questions fail.

Two reports, each a grouped query over the learners' records (``courses.selectors``):

* ``enrolments``: enrolments by course and partner (or by course, by partner, or by
  partner tier: the "Group by" filter), with the enrolments, those completed, the completion
  rate, those overdue (due date passed, not completed) and the average progress (lessons done
  and required quizzes passed; a completed enrolment counts as 100%); filtered by course,
  partner tier, partner type and enrolment dates (the partner's current tier and type);
* ``question_stats``: the graded answers (``QuestionResult``) by question, most often fully
  failed (no credit at all) first, with the quizzes they were answered in, the question bank,
  the answers and the average credit; filtered by quiz, question bank and answer dates, and a
  search in the question texts.

Neither has a default date range: either date may be left open. URL names are in the
``courses_reports`` namespace (``courses_reports:enrolments``,
``courses_reports:question_stats``, each with a ``…_results`` twin for the listing's filter
refreshes), under ``/admin/reports/courses/``; both export CSV and XLSX with their filters.
A page costs a fixed number of queries whatever the rows: the filters' choices, the count,
the page's rows (one grouped query), and for the question statistics the page's quizzes.

Who sees them: users with ``courses.view_enrollment`` see the first, with
``courses.view_quizattempt`` the second (Django's "view" permissions, offered in the admin's
group editor; superusers have both).
"""

from django import forms
from django.db.models import F
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

import django_filters

from cms.reports import report_urlpatterns
from partners.models import PartnerType, Tier

from .models import Course, Enrollment, QuestionBank, QuestionResult, Quiz, QuizAttempt
from .selectors import ENROLLMENT_GROUPINGS, enrollment_stats, question_key, question_stats, quizzes_by_question

PERMISSIONS = ("courses.view_enrollment", "courses.view_quizattempt")
DEFAULT_GROUP_BY = "course_partner"
GROUP_BY_CHOICES = [
    ("course_partner", "Course and partner"),
    ("course", "Course"),
    ("partner", "Partner"),
    ("tier", "Partner tier"),
]
NO_PARTNER = "No partner"  # enrolments of users who belong to no partner (staff trying a course, say)
NO_TIER = "No tier"
QUESTION_SHOWN_CHARS = 120


def may_view_report(user, model) -> bool:
    """Whether ``user`` may see the report over ``model``: its "view" permission."""
    return policy_registry.get_by_type(model).user_has_permission(user, "view")


def _period(dates) -> str:
    """A date range of the filters (a slice of datetimes, or ``None``), in words."""
    start = date_format(timezone.localtime(dates.start)) if dates and dates.start else None
    end = date_format(timezone.localtime(dates.stop)) if dates and dates.stop else None
    if start and end:
        return f"from {start} to {end}"
    if start or end:
        return f"since {start}" if start else f"until {end}"
    return "at any time"


def _percent(value) -> str:
    return "" if value is None else f"{value:.0%}"


def _export_percent(value):
    return None if value is None else round(value * 100, 1)


def _ordered(queryset, ordering, sort_fields: dict, ties):
    """``queryset`` ordered by the column ``ordering`` names (empty values last), then by ``ties``.

    ``sort_fields`` maps a column's sort key to the fields it sorts by; ``ties`` are fields
    (``-`` for descending) that order the rows the column leaves tied.
    """
    ordering = ordering or ""
    descending = ordering.startswith("-")
    primary = sort_fields.get(ordering.lstrip("-"), ())
    expressions = [
        F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True) for field in primary
    ]
    for tie in ties:
        field = tie.lstrip("-")
        if field not in primary:
            expressions.append(
                F(field).desc(nulls_last=True) if tie.startswith("-") else F(field).asc(nulls_last=True)
            )
    return queryset.order_by(*expressions)


# --- filters -------------------------------------------------------------------------------------


class EnrollmentReportFilterSet(WagtailFilterSet):
    """How the enrolment report groups, and which enrolments it counts."""

    group_by = django_filters.ChoiceFilter(
        label="Group by",
        choices=GROUP_BY_CHOICES,
        empty_label=None,
        initial=DEFAULT_GROUP_BY,
        widget=forms.RadioSelect,
        method="filter_group_by",  # how the view groups the rows: it counts the same enrolments
    )
    course = django_filters.ModelChoiceFilter(
        label="Course", queryset=Course.objects.order_by("title", "pk"), empty_label="All"
    )
    tier = django_filters.ModelChoiceFilter(
        label="Partner tier",
        field_name="user__partner_membership__partner__tier",
        queryset=Tier.objects.all(),
        empty_label="All",
        widget=forms.RadioSelect,
    )
    partner_type = django_filters.ModelChoiceFilter(
        label="Partner type",
        field_name="user__partner_membership__partner__partner_type",
        queryset=PartnerType.objects.all(),
        empty_label="All",
        widget=forms.RadioSelect,
    )
    enrolled_at = django_filters.DateFromToRangeFilter(label="Enrolled between", widget=DateRangePickerWidget)

    class Meta:
        model = Enrollment
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("group_by"):
            data = data.copy()
            data["group_by"] = DEFAULT_GROUP_BY
        super().__init__(data, *args, **kwargs)

    def filter_group_by(self, queryset, name, value):
        return queryset


class QuestionStatsFilterSet(WagtailFilterSet):
    """Which graded answers the question statistics count."""

    quiz = django_filters.ModelChoiceFilter(
        label="Quiz", field_name="attempt__quiz", queryset=Quiz.objects.order_by("title", "pk"), empty_label="All"
    )
    bank = django_filters.ModelChoiceFilter(
        label="Question bank", field_name="question__bank", queryset=QuestionBank.objects.all(), empty_label="All"
    )
    answered_at = django_filters.DateFromToRangeFilter(
        label="Answered between", field_name="attempt__submitted_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = QuestionResult
        fields = []


# --- the reports ---------------------------------------------------------------------------------


class LearningReportView(ReportView):
    """A grouped report over learners' records, with filters, sorting, and CSV and XLSX export."""

    results_template_name = "cms/reports/results.html"  # the report's description above the table
    permission_required = "view"  # of ``permission_model``; Wagtail redirects the others to the dashboard
    permission_model = None
    sort_fields = {}  # a column's sort key -> the fields of the rows it sorts by
    nothing_yet_message = "Nothing to report yet."  # when nothing is counted, filters aside

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(self.permission_model)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def get_filename(self):
        return f"{self.export_filename}-{self.today:%Y-%m-%d}"

    @cached_property
    def cleaned_filters(self) -> dict:
        return self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}

    def get_ties(self):
        """The fields ordering the rows the chosen column leaves tied."""
        return ()

    def order_queryset(self, queryset):
        return _ordered(queryset, self.ordering, self.sort_fields, self.get_ties())

    def may_edit(self, model) -> bool:
        return policy_registry.get_by_type(model).user_has_permission(self.request.user, "change")

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return "Nothing matches your filters."
        return self.nothing_yet_message


class EnrollmentReportView(LearningReportView):
    page_title = "Courses: enrolments and completion"
    header_icon = "list-ol"
    index_url_name = "courses_reports:enrolments"
    index_results_url_name = "courses_reports:enrolments_results"
    export_filename = "course-enrolments"
    model = Enrollment
    permission_model = Enrollment  # courses.view_enrollment
    filterset_class = EnrollmentReportFilterSet
    verbose_name = "row"
    verbose_name_plural = "rows"
    nothing_yet_message = "No enrolments yet."
    sort_fields = {
        "course": ("course_title",),
        "partner": ("partner_name",),
        "partner_type": ("partner_type_name",),
        "tier": ("tier_rank",),
        **{
            number: (number,) for number in ("enrolled", "completed", "completion_rate", "overdue", "average_progress")
        },
    }
    export_headings = {
        "course_title": "Course",
        "partner_label": "Partner",
        "partner_type_name": "Partner type",
        "tier_label": "Tier",
        "enrolled": "Enrolled",
        "completed": "Completed",
        "completion_rate": "Completion rate (%)",
        "overdue": "Overdue",
        "average_progress": "Average progress (%)",
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: _export_percent, ReportView.FORMAT_XLSX: _export_percent}
        for field in ("completion_rate", "average_progress")
    }

    @cached_property
    def group_by(self) -> str:
        return self.cleaned_filters.get("group_by") or DEFAULT_GROUP_BY

    @cached_property
    def grouping(self) -> tuple:
        """The parts of the grouping: ``course``, ``partner`` or ``tier``."""
        return ENROLLMENT_GROUPINGS[self.group_by]

    @property
    def default_ordering(self):
        return self.grouping[0]  # the course, the partner or the tier, then the other part

    def get_ties(self):
        fields = {
            "course": ("course_title", "course_id"),
            "partner": ("partner_name", "partner_id"),
            "tier": ("tier_rank", "tier_id"),
        }
        return [field for part in self.grouping for field in fields[part]]

    @cached_property
    def course_edit_url_name(self):
        return Course.snippet_viewset.get_url_name("edit") if self.may_edit(Course) else None

    def course_url(self, row):
        return reverse(self.course_edit_url_name, args=[row["course_id"]]) if self.course_edit_url_name else None

    @cached_property
    def columns(self):
        columns = []
        if "course" in self.grouping:
            columns.append(
                TitleColumn(
                    "course", label="Course", accessor="course_title", get_url=self.course_url, sort_key="course"
                )
            )
        if "partner" in self.grouping:
            columns += [
                Column("partner", label="Partner", accessor="partner_label", sort_key="partner"),
                Column("partner_type", label="Partner type", accessor="partner_type_name", sort_key="partner_type"),
            ]
        if "partner" in self.grouping or "tier" in self.grouping:
            columns.append(Column("tier", label="Tier", accessor="tier_label", sort_key="tier"))
        return [
            *columns,
            Column("enrolled", label="Enrolled", sort_key="enrolled"),
            Column("completed", label="Completed", sort_key="completed"),
            Column(
                "completion_rate",
                label="Completion rate",
                accessor=lambda row: _percent(row["completion_rate"]),
                sort_key="completion_rate",
            ),
            Column("overdue", label="Overdue", sort_key="overdue"),
            Column(
                "average_progress",
                label="Average progress",
                accessor=lambda row: _percent(row["average_progress"]),
                sort_key="average_progress",
            ),
        ]

    @property
    def list_export(self):
        fields = []
        if "course" in self.grouping:
            fields.append("course_title")
        if "partner" in self.grouping:
            fields += ["partner_label", "partner_type_name"]
        if "partner" in self.grouping or "tier" in self.grouping:
            fields.append("tier_label")
        return [*fields, "enrolled", "completed", "completion_rate", "overdue", "average_progress"]

    def get_filtered_queryset(self):
        enrollments = self.filter_queryset(self.get_base_queryset())
        return self.order_queryset(enrollment_stats(enrollments, group_by=self.group_by, today=self.today))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            if "partner_name" in row:
                row["partner_label"] = row["partner_name"] or NO_PARTNER
                row["partner_type_name"] = row["partner_type_name"] or ""
            if "tier_name" in row:
                row["tier_label"] = row["tier_name"] or (NO_TIER if self.group_by == "tier" else "")
        return rows

    @property
    def description(self):
        course, tier, partner_type = (self.cleaned_filters.get(name) for name in ("course", "tier", "partner_type"))
        audience = ""
        if tier or partner_type:
            audience = f" of {partner_type.name} partners" if partner_type else " of partners"
            audience += f" of the {tier.name} tier" if tier else ""
        course = f" in “{course}”" if course else ""
        grouping = dict(GROUP_BY_CHOICES)[self.group_by].lower()
        return (
            f"Enrolments{audience}{course} made {_period(self.cleaned_filters.get('enrolled_at'))}, "
            f"by {grouping}. Completion rate: the share of enrolments completed; overdue: past their due date "
            "and not completed; average progress: the lessons done and required quizzes passed "
            "(a completed enrolment counts as 100%)."
        )


class QuestionStatsView(LearningReportView):
    page_title = "Quizzes: question statistics"
    header_icon = "tasks"
    index_url_name = "courses_reports:question_stats"
    index_results_url_name = "courses_reports:question_stats_results"
    export_filename = "quiz-question-statistics"
    model = QuestionResult
    permission_model = QuizAttempt  # courses.view_quizattempt: answers are part of the attempts
    filterset_class = QuestionStatsFilterSet
    is_searchable = True
    search_fields = ["question_text", "question__text"]
    search_backend_name = None
    verbose_name = "question"
    verbose_name_plural = "questions"
    nothing_yet_message = "No graded answers yet."
    default_ordering = "-failed_rate"
    sort_fields = {
        "text": ("text",),
        "bank": ("bank_name",),
        **{number: (number,) for number in ("answered", "failed", "failed_rate", "average_credit")},
    }
    list_export = ["question_label", "quiz_titles", "bank_name", "answered", "failed", "failed_rate", "average_credit"]
    export_headings = {
        "question_label": "Question",
        "quiz_titles": "Quizzes",
        "bank_name": "Question bank",
        "answered": "Answered",
        "failed": "Fully failed",
        "failed_rate": "Fully-failed rate (%)",
        "average_credit": "Average credit (%)",
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: _export_percent, ReportView.FORMAT_XLSX: _export_percent}
        for field in ("failed_rate", "average_credit")
    }

    def get_ties(self):
        return ("-failed_rate", "-answered", "text", "question_id")

    @cached_property
    def bank_edit_url_name(self):
        return QuestionBank.snippet_viewset.get_url_name("edit") if self.may_edit(QuestionBank) else None

    def bank_url(self, row):
        """Questions are edited in their bank."""
        if self.bank_edit_url_name and row["bank_id"]:
            return reverse(self.bank_edit_url_name, args=[row["bank_id"]])
        return None

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "text",
                label="Question",
                accessor=lambda row: Truncator(row["question_label"]).chars(QUESTION_SHOWN_CHARS),
                get_url=self.bank_url,
                sort_key="text",
            ),
            Column("quizzes", label="Quizzes", accessor="quiz_titles"),
            Column("bank", label="Question bank", accessor="bank_name", sort_key="bank"),
            Column("answered", label="Answered", sort_key="answered"),
            Column("failed", label="Fully failed", sort_key="failed"),
            Column(
                "failed_rate",
                label="Fully-failed rate",
                accessor=lambda row: _percent(row["failed_rate"]),
                sort_key="failed_rate",
            ),
            Column(
                "average_credit",
                label="Average credit",
                accessor=lambda row: _percent(row["average_credit"]),
                sort_key="average_credit",
            ),
        ]

    @cached_property
    def answers(self):
        """The graded answers counted: the filters' and the search's."""
        return self.search_queryset(self.filter_queryset(self.get_base_queryset()))

    def get_filtered_queryset(self):
        return self.order_queryset(question_stats(self.answers))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        # An export has every row: the quizzes of every question answered, rather than a long list of them.
        quizzes = quizzes_by_question(self.answers, None if self.is_export else rows)
        for row in rows:
            row["question_label"] = row["text"] if row["question_id"] is not None else f"{row['text']} (deleted)"
            row["quiz_titles"] = ", ".join(quizzes.get(question_key(row), []))
            row["bank_name"] = row["bank_name"] or ""
        return rows

    @property
    def description(self):
        quiz, bank = self.cleaned_filters.get("quiz"), self.cleaned_filters.get("bank")
        scope = f" in “{quiz}”" if quiz else ""
        scope += f" to questions of the “{bank}” bank" if bank else ""
        return (
            f"Graded quiz answers{scope} given {_period(self.cleaned_filters.get('answered_at'))}, by question, "
            "the most often fully failed first. Fully failed: no credit at all; average credit: the share of "
            "the answer's credit earned, partial for multiple choice. A question often failed may be unclear, "
            "or its lesson may need work."
        )


REPORTS = {
    "enrolments": ("enrolments/", EnrollmentReportView),
    "question_stats": ("question-statistics/", QuestionStatsView),
}

# Included by the ``register_admin_urls`` hook under ``reports/courses/``, namespace ``courses_reports``.
urlpatterns = report_urlpatterns(REPORTS)


class LearningReportMenuItem(MenuItem):
    def __init__(self, *args, permission_model, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission_model = permission_model

    def is_shown(self, request):
        return may_view_report(request.user, self.permission_model)


def view_permission_menu_items(namespace: str, entries, *, first_order: int) -> list:
    """Reports menu entries of the ``(label, url name, icon, model)`` reports in ``namespace`` (``courses_reports``):
    each shown to the users with the "view" permission of its model, in order from ``first_order``."""
    prefix = namespace.removesuffix("_reports")
    return [
        LearningReportMenuItem(
            label,
            reverse_lazy(f"{namespace}:{url_name}"),
            name=f"{prefix}-{url_name.replace('_', '-')}",
            icon_name=icon,
            order=first_order + index,
            permission_model=model,
        )
        for index, (label, url_name, icon, model) in enumerate(entries)
    ]


def report_menu_items():
    """The reports' entries in the admin's Reports menu, after the search reports (110 on)."""
    entries = [
        ("Courses: enrolments and completion", "enrolments", "list-ol", Enrollment),
        ("Quizzes: question statistics", "question_stats", "tasks", QuizAttempt),
    ]
    return view_permission_menu_items("courses_reports", entries, first_order=120)
