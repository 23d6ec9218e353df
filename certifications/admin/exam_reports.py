"""Exam reports of the admin's Reports menu: how partners do at certifications' exams, and every attempt.

* ``exams``: finished attempts (graded or timed out) at each certification's exam, by
  certification and partner (or by certification: the "Group by" filter): attempts, learners,
  learners who passed, the pass rate (attempts passed / attempts), the average score and how
  many were taken on their own (stand-alone, without a course); filtered by certification,
  partner tier and type, and submission dates.
* ``exam_attempts``: the attempts themselves, newest first: learner, partner, certification,
  attempt number, score, pass or fail, late, and where it was taken (on its own, or the
  course); same filters, and a search by learner.

Attempts count per learner and quiz (``courses``): an exam quiz a course also uses shows its
attempts in both places, and a quiz two certifications use as their exam counts for both.
Both export CSV and XLSX and cost a fixed number of queries per page. Who sees them: users
with ``courses.view_quizattempt`` (as the question statistics report; superusers too).
"""

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from core.reports import (
    AbsoluteDateColumn,
    PercentColumn,
    ViewPermissionReportView,
    export_percent,
    percent_label,
    period_label,
)
from courses.models import QuizAttempt
from partners.admin.filters import partner_tier_filter, partner_type_filter
from partners.models import Partner

from ..exam_selectors import exam_attempt_rows, exam_stats
from ..models import Certification

DEFAULT_GROUP_BY = "certification_partner"
GROUP_BY_CHOICES = [("certification_partner", "Certification and partner"), ("certification", "Certification")]
NO_PARTNER = "No partner"


def certifications_with_exams():
    return Certification.objects.filter(exam__isnull=False).order_by("title", "pk")


class ExamFilterSet(WagtailFilterSet):
    """Which exam attempts the reports count (filters on the rows' own certification, hence methods)."""

    certification = django_filters.ModelChoiceFilter(
        label="Certification", queryset=certifications_with_exams(), empty_label="All", method="filter_certification"
    )
    tier = partner_tier_filter()
    partner_type = partner_type_filter()
    submitted_at = django_filters.DateFromToRangeFilter(label="Submitted between", widget=DateRangePickerWidget)

    class Meta:
        model = QuizAttempt
        fields = []

    def filter_certification(self, queryset, name, value):
        return queryset.filter(certification_id=value.pk) if value else queryset

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Evaluated per request: certifications gain exams after the module is loaded.
        self.filters["certification"].queryset = certifications_with_exams()


class ExamStatsFilterSet(ExamFilterSet):
    group_by = django_filters.ChoiceFilter(
        label="Group by",
        choices=GROUP_BY_CHOICES,
        empty_label=None,
        initial=DEFAULT_GROUP_BY,
        widget=forms.RadioSelect,
        method="filter_group_by",  # how the view groups the rows: it counts the same attempts
    )

    class Meta(ExamFilterSet.Meta):
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("group_by"):
            data = data.copy()
            data["group_by"] = DEFAULT_GROUP_BY
        super().__init__(data, *args, **kwargs)

    def filter_group_by(self, queryset, name, value):
        return queryset


class ExamReportBase(ViewPermissionReportView):
    results_template_name = "cms/reports/results.html"  # the report's description above the table
    model = QuizAttempt
    permission_model = QuizAttempt  # courses.view_quizattempt

    def get_base_queryset(self):
        return exam_attempt_rows()

    @cached_property
    def certification_edit_url_name(self):
        return Certification.snippet_viewset.get_url_name("edit") if self.may_edit(Certification) else None

    def certification_url(self, row):
        name = self.certification_edit_url_name
        return reverse(name, args=[_get(row, "certification_id")]) if name else None

    @cached_property
    def may_edit_partners(self) -> bool:
        return self.may_edit(Partner)

    def partner_url(self, row):
        partner_id = _get(row, "partner_id")
        return reverse("partners:edit", args=[partner_id]) if partner_id and self.may_edit_partners else None

    def filters_description(self) -> str:
        certification, tier, partner_type = (
            self.cleaned_filters.get(name) for name in ("certification", "tier", "partner_type")
        )
        audience = ""
        if tier or partner_type:
            audience = f" by {partner_type.name} partners" if partner_type else " by partners"
            audience += f" of the {tier.name} tier" if tier else ""
        exam = f"the exam of “{certification}”" if certification else "certifications' exams"
        return f"Attempts at {exam}{audience} submitted {period_label(self.cleaned_filters.get('submitted_at'))}"


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


class ExamReportView(ExamReportBase):
    page_title = "Certifications: exams"
    header_icon = "tasks"
    index_url_name = "certifications_reports:exams"
    index_results_url_name = "certifications_reports:exams_results"
    export_filename = "certification-exams"
    filterset_class = ExamStatsFilterSet
    verbose_name = "row"
    verbose_name_plural = "rows"
    nothing_yet_message = "No one has taken a certification's exam yet."
    default_ordering = "certification"
    sort_fields = {
        "certification": ("certification_title",),
        "partner": ("partner_name",),
        **{
            number: (number,)
            for number in ("attempts", "learners", "learners_passed", "pass_rate", "average_score", "standalone")
        },
    }
    export_headings = {
        "certification_title": "Certification",
        "partner_label": "Partner",
        "attempts": "Attempts",
        "learners": "Learners",
        "learners_passed": "Learners passed",
        "pass_rate": "Pass rate (%)",
        "average_score": "Average score (%)",
        "standalone": "Taken on their own",
    }
    custom_field_preprocess = {
        "pass_rate": {ReportView.FORMAT_CSV: export_percent, ReportView.FORMAT_XLSX: export_percent},
        "average_score": {
            ReportView.FORMAT_CSV: lambda v: None if v is None else round(float(v), 1),
            ReportView.FORMAT_XLSX: lambda v: None if v is None else round(float(v), 1),
        },
    }

    @cached_property
    def by_partner(self) -> bool:
        return (self.cleaned_filters.get("group_by") or DEFAULT_GROUP_BY) == "certification_partner"

    def get_ties(self):
        partner = ("partner_name", "partner_id") if self.by_partner else ()
        return ("certification_title", "certification_id", *partner)

    def get_filtered_queryset(self):
        rows = self.filter_queryset(self.get_base_queryset())
        return self.order_queryset(exam_stats(rows, by_partner=self.by_partner))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            if self.by_partner:
                row["partner_label"] = row["partner_name"] or NO_PARTNER
        return rows

    @cached_property
    def columns(self):
        columns = [
            TitleColumn(
                "certification",
                label="Certification",
                accessor="certification_title",
                get_url=self.certification_url,
                sort_key="certification",
            )
        ]
        if self.by_partner:
            columns.append(
                TitleColumn(
                    "partner", label="Partner", accessor="partner_label", get_url=self.partner_url, sort_key="partner"
                )
            )
        return [
            *columns,
            Column("attempts", label="Attempts", sort_key="attempts"),
            Column("learners", label="Learners", sort_key="learners"),
            Column("learners_passed", label="Learners passed", sort_key="learners_passed"),
            PercentColumn("pass_rate", label="Pass rate"),
            Column(
                "average_score",
                label="Average score",
                accessor=lambda row: "" if row["average_score"] is None else f"{row['average_score']:.1f}%",
                sort_key="average_score",
            ),
            Column("standalone", label="Taken on their own", sort_key="standalone"),
        ]

    @property
    def list_export(self):
        fields = ["certification_title", *(["partner_label"] if self.by_partner else [])]
        return [*fields, "attempts", "learners", "learners_passed", "pass_rate", "average_score", "standalone"]

    @property
    def description(self):
        grouping = dict(GROUP_BY_CHOICES)["certification_partner" if self.by_partner else "certification"].lower()
        return (
            f"{self.filters_description()}, by {grouping}: graded attempts and those whose time ran out. Pass rate: "
            "the share of attempts passed; taken on their own: attempts at an exam taken without a course. A quiz "
            "that is also a course's quiz counts its attempts in the course too (one attempt limit per learner)."
        )


class ExamAttemptReportView(ExamReportBase):
    page_title = "Certifications: exam attempts"
    header_icon = "list-ul"
    index_url_name = "certifications_reports:exam_attempts"
    index_results_url_name = "certifications_reports:exam_attempts_results"
    export_filename = "certification-exam-attempts"
    filterset_class = ExamFilterSet
    is_searchable = True
    search_fields = ["user__first_name", "user__last_name", "user__email", "user__username"]
    search_backend_name = None
    verbose_name = "attempt"
    verbose_name_plural = "attempts"
    nothing_yet_message = "No one has taken a certification's exam yet."
    default_ordering = "-submitted_at"
    sort_fields = {
        "learner": ("user__last_name", "user__first_name"),
        "certification": ("certification_title",),
        "partner": ("partner_name",),
        "submitted_at": ("submitted_at",),
        "score": ("score",),
    }
    list_export = [
        "learner_name",
        "user.email",
        "partner_label",
        "certification_title",
        "number",
        "submitted_at",
        "score",
        "result",
        "late",
        "taken_in",
    ]
    export_headings = {
        "learner_name": "Learner",
        "user.email": "E-mail",
        "partner_label": "Partner",
        "certification_title": "Certification",
        "number": "Attempt",
        "submitted_at": "Submitted",
        "score": "Score (%)",
        "result": "Result",
        "late": "Late",
        "taken_in": "Taken",
    }

    def get_ties(self):
        return ("-submitted_at", "-pk", "certification_id")

    def get_filtered_queryset(self):
        return self.order_queryset(self.search_queryset(self.filter_queryset(self.get_base_queryset())))

    def decorate_paginated_queryset(self, object_list):
        attempts = list(object_list)
        for attempt in attempts:
            attempt.learner_name = attempt.user.get_full_name() or attempt.user.get_username()
            attempt.partner_label = attempt.partner_name or NO_PARTNER
            if attempt.status == QuizAttempt.Status.TIMED_OUT:
                attempt.result = "Time ran out"
            else:
                attempt.result = "Passed" if attempt.passed else "Not passed"
            attempt.taken_in = f"In “{attempt.course.title}”" if attempt.course_id else "On its own"
        return attempts

    @cached_property
    def columns(self):
        return [
            Column("learner", label="Learner", accessor="learner_name", sort_key="learner"),
            TitleColumn(
                "partner", label="Partner", accessor="partner_label", get_url=self.partner_url, sort_key="partner"
            ),
            TitleColumn(
                "certification",
                label="Certification",
                accessor="certification_title",
                get_url=self.certification_url,
                sort_key="certification",
            ),
            Column("number", label="Attempt"),
            AbsoluteDateColumn("submitted_at", label="Submitted", date_format="N j, Y H:i", sort_key="submitted_at"),
            Column(
                "score",
                label="Score",
                accessor=lambda a: "" if a.score is None else percent_label(float(a.score) / 100),
                sort_key="score",
            ),
            StatusTagColumn("result", label="Result", accessor="result", primary=lambda a: bool(a.passed)),
            Column("late", label="Late", accessor=lambda a: "Late" if a.late else ""),
            Column("taken_in", label="Taken", accessor="taken_in"),
        ]

    @property
    def description(self):
        return (
            f"{self.filters_description()}, newest first: graded attempts and those whose time ran out. An exam "
            "taken on its own shows no answers to the learner; their answers are kept with the attempt."
        )


REPORTS = {
    "exams": ("exams/", ExamReportView),
    "exam_attempts": ("exam-attempts/", ExamAttemptReportView),
}

MENU_ENTRIES = [
    ("Certifications: exams", "exams", "tasks", QuizAttempt),
    ("Certifications: exam attempts", "exam_attempts", "list-ul", QuizAttempt),
]
