"""Certification reports of the admin's Reports menu: tier compliance with its forecast, and the alerts raised.

* ``compliance``: every active partner whose tier has certification requirements, against
  its own tier: each requirement's holders today, the total gap, whether the tier is met
  today and in 30/60/90 days (certificates expire unless renewed; certified staff leave
  on their last day), and how many holders are at risk within 90 days. Filtered by tier,
  channel manager and state ("below its tier", "falls below within 90 days", "meets"),
  searchable by partner name; the partners below their tier first, then those about to be.
* ``alerts``: the exceptions of the daily check (``certifications.services.compliance_check``),
  open ones by default, with who was told and how each was resolved;
* ``exams`` and ``exam_attempts`` (``certifications.admin.exam_reports``): how partners do at
  certifications' exams, and every attempt;
* ``transcripts`` (``certifications.admin.transcripts``): a learner's transcript, PDF or CSV.

URL names are in the ``certifications_reports`` namespace (``…:compliance``, ``…:alerts``,
each with a ``…_results`` twin), under ``/admin/reports/certifications/``; both export CSV
and XLSX with their filters. The compliance report costs a fixed number of queries whatever
the number of partners (``certifications.selectors.partners_compliance``).

Who sees them: users with ``certifications.view_tierrequirement`` see the compliance report,
with ``certifications.view_compliancealert`` the alerts (superusers both).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.utils import get_user_display_name

import django_filters

from certifications.models import Certificate, ComplianceAlert, TierRequirement
from certifications.selectors import FORECAST_DAYS, compliance_alert_recipients, partners_compliance
from core.reports import ViewPermissionReportView, report_urlpatterns, view_permission_menu_items
from partners.models import Partner, Tier

from .exam_reports import MENU_ENTRIES as EXAM_MENU_ENTRIES
from .exam_reports import REPORTS as EXAM_REPORTS
from .transcripts import TranscriptReportView, transcript_download

PERMISSIONS = (
    "certifications.view_tierrequirement",
    "certifications.view_compliancealert",
    "certifications.view_certificate",
)


class ComplianceState:
    BELOW = "below"
    AT_RISK = "at_risk"
    MET = "met"
    CHOICES = [
        (BELOW, "Below its tier today"),
        (AT_RISK, "Falls below within 90 days"),
        (MET, "Meets its tier for the next 90 days"),
    ]
    SEVERITY = {BELOW: 0, AT_RISK: 1, MET: 2}


def _state(status: dict) -> str:
    if not status["met"]:
        return ComplianceState.BELOW
    return ComplianceState.AT_RISK if status["falls_below_within"] else ComplianceState.MET


def _state_label(row) -> str:
    if row["state"] == ComplianceState.BELOW:
        return "Below its tier"
    if row["state"] == ComplianceState.AT_RISK:
        return f"Falls below within {row['falls_below_within']} days"
    return "Meets its tier"


def channel_managers():
    """Staff users who manage at least one partner: the channel manager filter's choices."""
    return (
        get_user_model().objects.filter(managed_partners__isnull=False).distinct().order_by("first_name", "username")
    )


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# --- filters -------------------------------------------------------------------------------------


class ComplianceReportFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label="State",
        choices=ComplianceState.CHOICES,
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_state",  # known only once the compliance is computed: the view applies it
    )
    tier = django_filters.ModelChoiceFilter(
        label="Tier", queryset=Tier.objects.filter(certification_requirements__isnull=False).distinct()
    )
    channel_manager = django_filters.ModelChoiceFilter(label="Channel manager", queryset=channel_managers())

    class Meta:
        model = Partner
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset


class ComplianceAlertFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("open", "Open"), ("resolved", "Resolved")],
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_status",
    )
    tier = django_filters.ModelChoiceFilter(label="Tier", queryset=Tier.objects.all())
    channel_manager = django_filters.ModelChoiceFilter(
        label="Channel manager", field_name="partner__channel_manager", queryset=channel_managers()
    )
    raised_at = django_filters.DateFromToRangeFilter(label="Raised between", widget=DateRangePickerWidget)

    class Meta:
        model = ComplianceAlert
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = "open"  # open alerts unless asked otherwise
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=value == "open") if value else queryset


# --- the reports ---------------------------------------------------------------------------------


class CertificationReportView(ViewPermissionReportView):
    """A certification report: rows link to their partner for those who may edit partners."""

    results_template_name = "cms/reports/results.html"  # the report's description above the table

    @cached_property
    def may_edit_partners(self) -> bool:
        return self.may_edit(Partner)

    def partner_url(self, partner_id: int) -> str | None:
        return reverse("partners:edit", args=[partner_id]) if self.may_edit_partners else None


def _requirements_list(row) -> str:
    """One line per required certification: "SD-WAN Pro 1/2"."""
    items = format_html_join("", "<li>{} {}/{}</li>", row["requirements"])
    return format_html('<ul class="partnerhub-cell-list">{}</ul>', items)


def _forecast_text(row) -> str:
    return " / ".join(row[f"met_in_{days}"] for days in FORECAST_DAYS)


class ComplianceReportView(CertificationReportView):
    page_title = "Certifications: tier compliance"
    header_icon = "success"
    index_url_name = "certifications_reports:compliance"
    index_results_url_name = "certifications_reports:compliance_results"
    export_filename = "tier-compliance"
    model = Partner
    permission_model = TierRequirement  # certifications.view_tierrequirement
    filterset_class = ComplianceReportFilterSet
    is_searchable = True
    search_fields = ["name", "key"]
    search_backend_name = None
    verbose_name = "partner"
    verbose_name_plural = "partners"
    nothing_yet_message = "No tier has certification requirements yet (Certifications → Tier requirements)."
    default_ordering = "state"
    sort_keys = {
        "partner": lambda row: (row["partner_name"].lower(), row["partner_id"]),
        "tier": lambda row: (row["tier_rank"], row["partner_name"].lower()),
        "gap": lambda row: (row["gap"], row["partner_name"].lower()),
        "at_risk": lambda row: (row["at_risk"], row["partner_name"].lower()),
        "state": lambda row: (
            ComplianceState.SEVERITY[row["state"]],
            row["falls_below_within"] or 0,
            -row["gap"],
            row["partner_name"].lower(),
        ),
    }
    list_export = [
        "partner_name",
        "tier_name",
        "channel_manager_name",
        "state_label",
        "requirements_text",
        "gap",
        *[f"met_in_{days}" for days in FORECAST_DAYS],
        "at_risk",
    ]
    export_headings = {
        "partner_name": "Partner",
        "tier_name": "Tier",
        "channel_manager_name": "Channel manager",
        "state_label": "State",
        "requirements_text": "Certified / required",
        "gap": "Gap today",
        **{f"met_in_{days}": f"Met in {days} days" for days in FORECAST_DAYS},
        "at_risk": "Holders at risk (90 days)",
    }

    def get_filtered_queryset(self):
        partners = self.search_queryset(self.filter_queryset(self.get_base_queryset()))
        rows = [self._row(status) for status in partners_compliance(partners=partners)]
        if state := self.cleaned_filters.get("state"):
            rows = [row for row in rows if row["state"] == state]
        ordering = self.ordering or self.default_ordering
        key = self.sort_keys.get(ordering.lstrip("-"), self.sort_keys["state"])
        return sorted(rows, key=key, reverse=ordering.startswith("-"))

    def _row(self, status: dict) -> dict:
        partner = status["partner"]
        requirements = status["requirements"]
        return {
            "partner_id": partner.pk,
            "partner_name": partner.name,
            "tier_name": status["tier"].name,
            "tier_rank": status["tier"].rank,
            "channel_manager_name": get_user_display_name(partner.channel_manager) if partner.channel_manager else "",
            "state": _state(status),
            "falls_below_within": status["falls_below_within"],
            "requirements_text": "; ".join(
                f"{r['certification'].title}: {r['holders']}/{r['required']}" for r in requirements
            ),
            "requirements": [(r["certification"].title, r["holders"], r["required"]) for r in requirements],
            # The spreadsheets' column per certification ("2 of 3": never "2/3", which spreadsheets read as a date).
            "certifications": {r["certification"]: f"{r['holders']} of {r['required']}" for r in requirements},
            "gap": sum(r["gap"] for r in requirements),
            **{f"met_in_{days}": _yes_no(status["met_in"][str(days)]) for days in FORECAST_DAYS},
            "at_risk": len({h.user_id for r in requirements for h in r["at_risk"]}),
        }

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row["state_label"] = _state_label(row)
        return rows

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """CSV and XLSX: a column per required certification ("certified of required", blank where the partner's
        tier does not require it) in place of the table's one "Certified / required" cell."""
        rows = self.decorate_paginated_queryset(queryset)
        certifications = sorted({c for row in rows for c in row["certifications"]}, key=lambda c: (c.title, c.pk))
        columns = {f"certification_{c.pk}": c for c in certifications}
        for row in rows:
            row.update({key: row["certifications"].get(c, "") for key, c in columns.items()})
        at = self.list_export.index("requirements_text")
        self.list_export = [*self.list_export[:at], *columns, *self.list_export[at + 1 :]]
        self.export_headings = {
            **self.export_headings,
            **{key: f"{c.title} (certified of required)" for key, c in columns.items()},
        }
        return super().as_spreadsheet(rows, spreadsheet_format)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "partner",
                label="Partner",
                accessor="partner_name",
                get_url=lambda row: self.partner_url(row["partner_id"]),
                sort_key="partner",
                classname="partnerhub-name",
            ),
            Column("tier", label="Tier", accessor="tier_name", sort_key="tier"),
            Column("channel_manager", label="Channel manager", accessor="channel_manager_name"),
            StatusTagColumn(
                "state",
                label="State",
                accessor="state_label",
                primary=lambda row: row["state"] == ComplianceState.MET,
                sort_key="state",
            ),
            Column("requirements", label="Certified / required", accessor=_requirements_list),
            Column("gap", label="Gap today", sort_key="gap"),
            # One column for the forecast (the export keeps one per horizon): the table fits a 1366 px screen.
            Column("met_in", label=f"Met in {' / '.join(map(str, FORECAST_DAYS))} days", accessor=_forecast_text),
            Column("at_risk", label="Holders at risk", sort_key="at_risk"),
        ]

    @property
    def description(self):
        return (
            "Active partners whose tier has certification requirements, against their own tier: the holders of each "
            "required certification today (active staff with a current, unrevoked certificate), the gap, and whether "
            "the tier is still met in 30, 60 and 90 days as certificates expire (unless renewed) and certified staff "
            "leave on their known last day. Holders at risk: those who stop counting within 90 days. Tiers are never "
            "changed automatically."
        )


class ComplianceAlertReportView(CertificationReportView):
    page_title = "Certifications: partners below their tier"
    header_icon = "warning"
    index_url_name = "certifications_reports:alerts"
    index_results_url_name = "certifications_reports:alerts_results"
    export_filename = "tier-compliance-alerts"
    model = ComplianceAlert
    permission_model = ComplianceAlert  # certifications.view_compliancealert
    filterset_class = ComplianceAlertFilterSet
    is_searchable = True
    search_fields = ["partner__name", "partner__key"]
    search_backend_name = None
    verbose_name = "alert"
    verbose_name_plural = "alerts"
    nothing_yet_message = "No partner has fallen below its tier."
    default_ordering = "-raised_at"
    sort_fields = {"partner": ("partner__name",), "tier": ("tier__rank",), "raised_at": ("raised_at",)}
    list_export = [
        "partner.name",
        "tier.name",
        "raised_at",
        "gaps_text",
        "notified_text",
        "checked_at",
        "resolved_at",
        "resolution",
    ]
    export_headings = {
        "partner.name": "Partner",
        "tier.name": "Tier",
        "raised_at": "Raised",
        "gaps_text": "Gaps (holders of required)",
        "notified_text": "Told",
        "checked_at": "Last checked",
        "resolved_at": "Resolved",
        "resolution": "Resolution",
    }

    def get_base_queryset(self):
        return ComplianceAlert.objects.select_related("partner", "tier", "partner__channel_manager")

    def get_ties(self):
        return ("-raised_at", "-pk")

    def decorate_paginated_queryset(self, object_list):
        alerts = list(object_list)
        for alert in alerts:
            alert.notified_text = ", ".join(alert.notified_to) or self.why_no_one_was_told(alert)
        return alerts

    @staticmethod
    def why_no_one_was_told(alert) -> str:
        recipients = compliance_alert_recipients(partner=alert.partner)
        if alert.resolved_at is None and recipients:  # the e-mail failed, or the check ran without e-mailing
            return f"No one yet: the next daily check e-mails {', '.join(recipients)}"
        if alert.partner.channel_manager_id is None:
            return "No one: the partner has no channel manager, and no fallback address is set"
        return "No one: its channel manager has no e-mail address or is inactive, and no fallback address is set"

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "partner",
                label="Partner",
                accessor="partner.name",
                get_url=lambda alert: self.partner_url(alert.partner_id),
                sort_key="partner",
            ),
            Column("tier", label="Below tier", accessor="tier.name", sort_key="tier"),
            DateColumn("raised_at", label="Raised", sort_key="raised_at"),
            Column("gaps", label="Gaps (holders of required)", accessor="gaps_text"),
            Column("notified", label="Told", accessor="notified_text"),
            StatusTagColumn(
                "resolved",
                label="Status",
                accessor=lambda alert: f"Resolved: {alert.resolution}" if alert.resolved_at else "Open",
                primary=lambda alert: alert.resolved_at is not None,
            ),
        ]

    @property
    def description(self):
        return (
            "Partners the daily check found below their tier's certification requirements. The channel manager is "
            "e-mailed once when a partner falls below; the alert stays open while it does, with the gaps as last "
            "checked, and is resolved when the partner meets its tier again, changes tier or is deactivated. "
            "The check never changes a tier."
        )


REPORTS = {
    "compliance": ("compliance/", ComplianceReportView),
    "alerts": ("alerts/", ComplianceAlertReportView),
    **EXAM_REPORTS,
    "transcripts": ("transcripts/", TranscriptReportView),
}

# Included by the ``register_admin_urls`` hook under ``reports/certifications/``, namespace ``certifications_reports``.
urlpatterns = [
    *report_urlpatterns(REPORTS),
    path("transcripts/<int:user_id>/<str:file_format>/", transcript_download, name="transcript"),
]


def report_menu_items():
    """The reports' entries in the admin's Reports menu, after the learning reports (130 on)."""
    entries = [
        ("Certifications: tier compliance", "compliance", "success", TierRequirement),
        ("Certifications: partners below their tier", "alerts", "warning", ComplianceAlert),
        *EXAM_MENU_ENTRIES,
        ("Learners: transcripts", "transcripts", "doc-full", Certificate),
    ]
    return view_permission_menu_items("certifications_reports", entries, first_order=130)
