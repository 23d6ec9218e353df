"""Report "Learning packages: attempts and results": how learners do in each package, and at each partner.

Per package (or per package and partner: the "Group by" filter), over the attempts that match the filters
(package, partner, last activity between two dates): attempts, learners, attempts completed and passed, the
completion rate (completed / attempts), the success rate (passed / attempts), the average score of the
attempts that report one, the average time spent and the last activity. A learner with no partner counts
under "No partner". Exports CSV and XLSX; a fixed number of queries per page (one aggregate query).

URL names are in the ``elearning_reports`` namespace (``…:packages`` with its ``…_results`` twin), under
``/admin/reports/packages/``. Who sees it: users with ``elearning.view_packageattempt`` (superusers too).
"""

from django import forms
from django.db.models import Avg, Count, F, FloatField, Max, Q
from django.db.models.functions import Cast, NullIf
from django.utils.functional import cached_property

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

import django_filters

from core.reports import (
    AbsoluteDateColumn,
    PercentColumn,
    ViewPermissionReportView,
    export_percent,
    period_label,
    report_urlpatterns,
    view_permission_menu_items,
)
from partners.models import Partner

from ..models import CompletionStatus, Package, PackageAttempt, SuccessStatus

PERMISSIONS = ("elearning.view_packageattempt",)
GROUP_BY_CHOICES = [("package_partner", "Package and partner"), ("package", "Package")]
DEFAULT_GROUP_BY = "package_partner"
NO_PARTNER = "No partner"
PARTNER = "user__partner_membership__partner"


def package_stats(attempts, *, by_partner: bool):
    """``attempts`` aggregated per package (and partner): counts, rates, averages, last activity (one query)."""
    keys = ["package_id", "package__title"] + ([f"{PARTNER}_id", f"{PARTNER}__name"] if by_partner else [])
    completed = Count("pk", filter=Q(completion_status=CompletionStatus.COMPLETED))
    passed = Count("pk", filter=Q(success_status=SuccessStatus.PASSED))
    return (
        attempts.order_by()
        .values(*keys)
        .annotate(
            package_title=F("package__title"),
            **({"partner_id": F(f"{PARTNER}_id"), "partner_name": F(f"{PARTNER}__name")} if by_partner else {}),
            attempts=Count("pk"),
            learners=Count("user", distinct=True),
            completed=completed,
            passed=passed,
            completion_rate=Cast(completed, FloatField()) / NullIf(Cast(Count("pk"), FloatField()), 0.0),
            success_rate=Cast(passed, FloatField()) / NullIf(Cast(Count("pk"), FloatField()), 0.0),
            average_score=Avg("score_percent"),
            average_seconds=Avg("total_seconds"),
            last_activity=Max("last_activity_at"),
        )
    )


class PackageFilterSet(WagtailFilterSet):
    package = django_filters.ModelChoiceFilter(label="Package", queryset=Package.objects.all(), empty_label="All")
    partner = django_filters.ModelChoiceFilter(
        label="Partner", field_name=PARTNER, queryset=Partner.objects.order_by("name"), empty_label="All"
    )
    last_activity_at = django_filters.DateFromToRangeFilter(
        label="Last activity between", widget=DateRangePickerWidget
    )
    group_by = django_filters.ChoiceFilter(
        label="Group by",
        choices=GROUP_BY_CHOICES,
        empty_label=None,
        initial=DEFAULT_GROUP_BY,
        widget=forms.RadioSelect,
        method="filter_group_by",  # how the view groups the rows: it counts the same attempts
    )

    class Meta:
        model = PackageAttempt
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("group_by"):
            data = data.copy()
            data["group_by"] = DEFAULT_GROUP_BY
        super().__init__(data, *args, **kwargs)
        self.filters["package"].queryset = Package.objects.order_by("title", "pk")

    def filter_group_by(self, queryset, name, value):
        return queryset


def _one_decimal(value):
    return None if value is None else round(float(value), 1)


def _minutes(seconds):
    return None if seconds is None else round(float(seconds) / 60, 1)


class PackageReportView(ViewPermissionReportView):
    results_template_name = "cms/reports/results.html"  # the description above the table
    page_title = "Learning packages: attempts and results"
    header_icon = "folder-open-inverse"
    index_url_name = "elearning_reports:packages"
    index_results_url_name = "elearning_reports:packages_results"
    export_filename = "learning-packages"
    model = PackageAttempt
    permission_model = PackageAttempt  # elearning.view_packageattempt
    filterset_class = PackageFilterSet
    verbose_name = "row"
    verbose_name_plural = "rows"
    nothing_yet_message = "No one has launched a learning package yet."
    default_ordering = "package"
    sort_fields = {
        "package": ("package_title",),
        "partner": ("partner_name",),
        **{
            name: (name,)
            for name in (
                *("attempts", "learners", "completed", "passed", "completion_rate", "success_rate"),
                *("average_score", "average_seconds", "last_activity"),
            )
        },
    }
    export_headings = {
        "package_title": "Package",
        "partner_label": "Partner",
        "attempts": "Attempts",
        "learners": "Learners",
        "completed": "Completed",
        "passed": "Passed",
        "completion_rate": "Completion rate (%)",
        "success_rate": "Success rate (%)",
        "average_score": "Average score (%)",
        "average_seconds": "Average time (minutes)",
        "last_activity": "Last activity",
    }
    custom_field_preprocess = {
        name: {ReportView.FORMAT_CSV: function, ReportView.FORMAT_XLSX: function}
        for name, function in (
            ("completion_rate", export_percent),
            ("success_rate", export_percent),
            ("average_score", _one_decimal),
            ("average_seconds", _minutes),
        )
    }

    def get_base_queryset(self):
        return PackageAttempt.objects.all()

    @cached_property
    def by_partner(self) -> bool:
        return (self.cleaned_filters.get("group_by") or DEFAULT_GROUP_BY) == "package_partner"

    def get_ties(self):
        return ("package_title", "package_id", *(("partner_name", "partner_id") if self.by_partner else ()))

    def get_filtered_queryset(self):
        attempts = self.filter_queryset(self.get_base_queryset())
        return self.order_queryset(package_stats(attempts, by_partner=self.by_partner))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            if self.by_partner:
                row["partner_label"] = row["partner_name"] or NO_PARTNER
        return rows

    @cached_property
    def columns(self):
        partner = [Column("partner", label="Partner", accessor="partner_label", sort_key="partner")]
        return [
            Column("package", label="Package", accessor="package_title", sort_key="package"),
            *(partner if self.by_partner else []),
            *(Column(name, label=name.capitalize(), sort_key=name) for name in ("attempts", "learners")),
            Column("completed", label="Completed", sort_key="completed"),
            Column("passed", label="Passed", sort_key="passed"),
            PercentColumn("completion_rate", label="Completion rate"),
            PercentColumn("success_rate", label="Success rate"),
            Column(
                "average_score",
                label="Average score",
                accessor=lambda row: "" if row["average_score"] is None else f"{row['average_score']:.1f}%",
                sort_key="average_score",
            ),
            Column(
                "average_seconds",
                label="Average time",
                accessor=lambda row: (
                    "" if row["average_seconds"] is None else f"{_minutes(row['average_seconds'])} min"
                ),
                sort_key="average_seconds",
            ),
            AbsoluteDateColumn(
                "last_activity", label="Last activity", date_format="N j, Y H:i", sort_key="last_activity"
            ),
        ]

    @property
    def list_export(self):
        fields = ["package_title", *(["partner_label"] if self.by_partner else [])]
        return [*fields, *(name for name in self.export_headings if name not in ("package_title", "partner_label"))]

    @property
    def description(self):
        package, partner = self.cleaned_filters.get("package"), self.cleaned_filters.get("partner")
        scope = f"“{package}”" if package else "every learning package"
        scope += f" by {partner}'s learners" if partner else ""
        period = period_label(self.cleaned_filters.get("last_activity_at"))
        return (
            f"Attempts at {scope}, last active {period}. Completion rate: the share of attempts completed; success "
            "rate: the share passed (a package that reports no success counts as not passed); the average score "
            "counts the attempts that report a score. A retake of a course starts new attempts."
        )


REPORTS = {"packages": ("", PackageReportView)}
# Included by ``elearning.wagtail_hooks`` under ``reports/packages/``, namespace ``elearning_reports``.
urlpatterns = report_urlpatterns(REPORTS)


def report_menu_items():
    """The report's entry in the admin's Reports menu, after the learning reports' (120 on)."""
    entries = [("Learning packages: attempts and results", "packages", "folder-open-inverse", PackageAttempt)]
    return view_permission_menu_items("elearning_reports", entries, first_order=128)
