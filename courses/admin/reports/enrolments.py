"""Report "Courses: enrolments and completion": enrolments by course and partner, course, course and round,
partner or tier.

Each enrolment is a round (a retake is a new round): by default the report counts each learner's
current round, so a learner counts once; "every round" counts retakes as enrolments of their own, and
"course and round" shows the completions of each round.
"""

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from core.reports import PercentColumn, ViewPermissionReportView, export_percent, period_label
from courses.models import Course, Enrollment
from courses.reports import ENROLLMENT_GROUPINGS, enrollment_stats
from partners.admin.filters import partner_tier_filter, partner_type_filter

DEFAULT_GROUP_BY = "course_partner"
GROUP_BY_CHOICES = [
    ("course_partner", "Course and partner"),
    ("course", "Course"),
    ("course_round", "Course and round"),
    ("partner", "Partner"),
    ("tier", "Partner tier"),
]
NO_PARTNER = "No partner"  # enrolments of users who belong to no partner (staff trying a course, say)
NO_TIER = "No tier"
ROUNDS_CHOICES = [
    ("current", "Each learner's current round"),
    ("all", "Every round"),
    ("first", "First rounds"),
    ("retakes", "Retakes only"),
]


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
    tier = partner_tier_filter()
    partner_type = partner_type_filter()
    rounds = django_filters.ChoiceFilter(
        label="Rounds",
        choices=ROUNDS_CHOICES,
        empty_label=None,
        initial="current",
        widget=forms.RadioSelect,
        method="filter_rounds",
        help_text="A retake is a new round. Default: the current round; grouped by round, every round.",
    )
    enrolled_at = django_filters.DateFromToRangeFilter(label="Enrolled between", widget=DateRangePickerWidget)

    class Meta:
        model = Enrollment
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not (data.get("group_by") and data.get("rounds")):
            data = data.copy()
            data["group_by"] = data.get("group_by") or DEFAULT_GROUP_BY
            data["rounds"] = data.get("rounds") or ("all" if "round" in data["group_by"] else "current")
        super().__init__(data, *args, **kwargs)

    def filter_group_by(self, queryset, name, value):
        return queryset

    def filter_rounds(self, queryset, name, value):
        if value == "current":
            return queryset.current()
        if value == "first":
            return queryset.filter(round=1)
        if value == "retakes":
            return queryset.filter(round__gt=1)
        return queryset


class EnrollmentReportView(ViewPermissionReportView):
    results_template_name = "cms/reports/results.html"  # the report's description above the table
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
            number: (number,)
            for number in (
                "round",
                "enrolled",
                "completed",
                "completion_rate",
                "retakes",
                "overdue",
                "average_progress",
            )
        },
    }
    export_headings = {
        "course_title": "Course",
        "round": "Round",
        "partner_label": "Partner",
        "partner_type_name": "Partner type",
        "tier_label": "Tier",
        "enrolled": "Enrolled",
        "completed": "Completed",
        "completion_rate": "Completion rate (%)",
        "retakes": "Retakes",
        "overdue": "Overdue",
        "average_progress": "Average progress (%)",
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: export_percent, ReportView.FORMAT_XLSX: export_percent}
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
            "round": ("round",),
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
        if "round" in self.grouping:
            columns.append(Column("round", label="Round", sort_key="round"))
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
            PercentColumn("completion_rate", label="Completion rate"),
            Column("retakes", label="Retakes", sort_key="retakes"),
            Column("overdue", label="Overdue", sort_key="overdue"),
            PercentColumn("average_progress", label="Average progress"),
        ]

    @property
    def list_export(self):
        fields = []
        if "course" in self.grouping:
            fields.append("course_title")
        if "round" in self.grouping:
            fields.append("round")
        if "partner" in self.grouping:
            fields += ["partner_label", "partner_type_name"]
        if "partner" in self.grouping or "tier" in self.grouping:
            fields.append("tier_label")
        return [*fields, "enrolled", "completed", "completion_rate", "retakes", "overdue", "average_progress"]

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
        rounds = dict(ROUNDS_CHOICES)[self.cleaned_filters.get("rounds") or "current"].lower()
        return (
            f"Enrolments{audience}{course} made {period_label(self.cleaned_filters.get('enrolled_at'))}, "
            f"by {grouping}. Rounds counted: {rounds} (a retake of a completed course is a new round; retakes: "
            "the rounds after the first). Completion rate: the share of enrolments completed; overdue: past their "
            "due date and not completed; average progress: the lessons done and required quizzes passed in the "
            "round (a completed enrolment counts as 100%)."
        )
