"""Report "Quizzes: question statistics": graded answers by question, the most often fully failed first."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from core.reports import PercentColumn, ViewPermissionReportView, export_percent, period_label
from courses.models import QuestionBank, QuestionResult, Quiz, QuizAttempt
from courses.reports import question_key, question_stats, quizzes_by_question

QUESTION_SHOWN_CHARS = 120


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


class QuestionStatsView(ViewPermissionReportView):
    results_template_name = "cms/reports/results.html"  # the report's description above the table
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
        field: {ReportView.FORMAT_CSV: export_percent, ReportView.FORMAT_XLSX: export_percent}
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
            PercentColumn("failed_rate", label="Fully-failed rate"),
            PercentColumn("average_credit", label="Average credit"),
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
            f"Graded quiz answers{scope} given {period_label(self.cleaned_filters.get('answered_at'))}, by question, "
            "the most often fully failed first. Fully failed: no credit at all; average credit: the share of "
            "the answer's credit earned, partial for multiple choice. A question often failed may be unclear, "
            "or its lesson may need work."
        )
