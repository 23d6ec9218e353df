"""Report "Courses: learning package results": each learner's results in the learning packages of lessons."""

from django.db.models import F
from django.utils.functional import cached_property

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column

import django_filters

from core.reports import AbsoluteDateColumn, ViewPermissionReportView
from courses.models import Course, Enrollment, PackageResult
from elearning.models import Package


class PackageResultFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label="Course",
        field_name="lesson__module__course",
        queryset=Course.objects.order_by("title"),
        empty_label="All",
    )
    package = django_filters.ModelChoiceFilter(label="Package", queryset=Package.objects.all(), empty_label="All")
    rule_met = django_filters.BooleanFilter(
        label="Lesson done", field_name="rule_met_at", exclude=True, lookup_expr="isnull"
    )
    updated_at = django_filters.DateFromToRangeFilter(label="Last activity between", widget=DateRangePickerWidget)

    class Meta:
        model = PackageResult
        fields = []


class PackageResultsView(ViewPermissionReportView):
    page_title = "Courses: learning package results"
    header_icon = "folder-open-inverse"
    index_url_name = "courses_reports:package_results"
    index_results_url_name = "courses_reports:package_results_results"
    export_filename = "learning-package-results"
    model = PackageResult
    permission_model = Enrollment  # courses.view_enrollment: a learner's progress in their courses
    filterset_class = PackageResultFilterSet
    is_searchable = True
    search_fields = ["user__email", "user__first_name", "user__last_name", "lesson__title", "package__title"]
    search_backend_name = None
    nothing_yet_message = "No learner has launched a lesson's learning package yet."
    default_ordering = "-updated_at"
    sort_fields = {
        "learner": ("user__last_name", "user__first_name", "user__email"),
        "course": ("course_title",),
        "score": ("score",),
        "best_score": ("best_score",),
        "updated_at": ("updated_at",),
    }
    list_export = [
        "learner",
        "partner",
        "course_title",
        "lesson_title",
        "package_title",
        "completed",
        "passed",
        "score",
        "best_score",
        "rule_met_at",
        "updated_at",
    ]
    export_headings = {
        "learner": "Learner",
        "partner": "Partner",
        "course_title": "Course",
        "lesson_title": "Lesson",
        "package_title": "Package",
        "completed": "Completed",
        "passed": "Passed",
        "score": "Score (%)",
        "best_score": "Best score (%)",
        "rule_met_at": "Lesson done at",
        "updated_at": "Last activity",
    }

    def get_ties(self):
        return ("-pk",)

    def get_base_queryset(self):
        return PackageResult.objects.annotate(
            course_title=F("lesson__module__course__title"),
            lesson_title=F("lesson__title"),
            package_title=F("package__title"),
            partner_name=F("user__partner_membership__partner__name"),
        ).select_related("user")

    def get_filtered_queryset(self):
        return self.order_queryset(self.search_queryset(self.filter_queryset(self.get_base_queryset())))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.learner = row.user.get_full_name() or row.user.email or row.user.get_username()
            row.partner = row.partner_name or ""
        return rows

    @cached_property
    def columns(self):
        return [
            Column("learner", label="Learner", sort_key="learner"),
            Column("partner", label="Partner"),
            Column("course_title", label="Course", sort_key="course"),
            Column("lesson_title", label="Lesson"),
            Column("package_title", label="Package"),
            BooleanColumn("completed", label="Completed"),
            Column("passed", label="Passed", accessor=lambda r: {True: "Yes", False: "No"}.get(r.passed, "—")),
            Column("score", label="Score (%)", sort_key="score"),
            Column("best_score", label="Best score (%)", sort_key="best_score"),
            AbsoluteDateColumn("rule_met_at", label="Lesson done"),
            AbsoluteDateColumn("updated_at", label="Last activity", sort_key="updated_at"),
        ]
