"""Reports → "Partner scorecards": partners ranked by score, the exceptions, and one partner's scorecard.

* ``ranking``: the partners of the last day rolled up, ranked by score, with each component, the trend
  against 30 days before and the last activity; filtered by tier, type, region, channel manager ("Mine":
  the partners I look after) and test partners, searchable by name; a channel manager's own partners
  come first. Sortable, paginated, exported as CSV and XLSX with the facts behind each score.
* ``exceptions``: partners with no activity for the weights' ``inactive_days``, below their tier's
  certification requirements or with assigned courses overdue (and, as a warning, falling below their
  tier within 90 days), each with its reasons and channel manager.
* ``partner`` (``<partner id>/``): one partner's scorecard: each component's facts, score and weight, the
  score over 90 days, the certification forecast per requirement, bulletins and overdue courses.

URL names are in the ``analytics_scorecards`` namespace, under ``/admin/reports/scorecards/``. They read
``PartnerScore`` only (``analytics.selectors.scorecards``), the partner page also its live compliance.

Who sees them: users with ``analytics.view_partnerscore`` (migration 0005 creates it and gives it to the
Editors, the channel managers' group); superusers.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

import django_filters

from core.reports import (
    AbsoluteDateColumn,
    ViewPermissionReportView,
    ordered_queryset,
    report_urlpatterns,
    view_permission_menu_items,
)
from partners.models import Partner, PartnerType, Region, Tier

from ..charts import Chart, Series, chart_csv_response
from ..models import PartnerScore, ScorecardWeights
from ..selectors.scorecards import (
    TREND_DAYS,
    exception_reasons,
    exceptions,
    forecast_rows,
    latest_day,
    partner_scorecard,
    scorecards,
)
from .charting import chart_media

PERMISSION = "analytics.view_partnerscore"
MINE = "mine"
NOTHING_YET = (
    "No scorecards yet: the worker rolls up each day's activity every hour. To fill the last 90 days now, run "
    "manage.py roll_up_analytics --days 90."
)


def points(value) -> str:
    """A score (0 to 100) as shown: one decimal at most ("72.5", "80"), or a dash when it does not apply."""
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


def export_points(value):
    return None if value is None else round(value, 1)


def trend_cell(value, *, days: int = TREND_DAYS) -> str:
    """The change of score as an arrow and a number, said in words to screen readers."""
    if value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="w-sr-only">No score {} days before</span>', days
        )
    if round(value, 1) == 0:
        return format_html(
            '<span aria-hidden="true">→ 0</span><span class="w-sr-only">Unchanged in {} days</span>', days
        )
    arrow, word = ("↑", "Up") if value > 0 else ("↓", "Down")
    number = points(abs(value))
    return format_html(
        '<span class="partnerhub-trend partnerhub-trend--{}" aria-hidden="true">{} {}</span>'
        '<span class="w-sr-only">{} {} points in {} days</span>',
        word.lower(),
        arrow,
        number,
        word,
        number,
        days,
    )


def classification_cell(row) -> str:
    """The partner's tier, and below it its type and region."""
    partner = row.partner
    return format_html(
        '{}<br><span class="partnerhub-meta">{} · {}</span>',
        partner.tier.name,
        partner.partner_type.name,
        partner.region.name,
    )


def channel_manager_choices():
    managers = get_user_model().objects.filter(managed_partners__isnull=False).distinct()
    return [
        (MINE, "Mine (the partners I look after)"),
        *((str(user.pk), get_user_display_name(user)) for user in managers.order_by("first_name", "username")),
    ]


# --- filters -------------------------------------------------------------------------------------


class ScorecardFilterSet(WagtailFilterSet):
    """Which partners' scorecards are listed: the selector applies the choices (``analytics.selectors``)."""

    tier = django_filters.ModelChoiceFilter(label="Tier", queryset=Tier.objects.all(), method="chosen")
    partner_type = django_filters.ModelChoiceFilter(
        label="Partner type", queryset=PartnerType.objects.order_by("name"), method="chosen"
    )
    region = django_filters.ModelChoiceFilter(
        label="Region", queryset=Region.objects.order_by("name"), method="chosen"
    )
    channel_manager = django_filters.ChoiceFilter(
        label="Channel manager", choices=channel_manager_choices, empty_label="Any", method="chosen"
    )
    partners = django_filters.ChoiceFilter(
        label="Partners",
        choices=[("real", "Real partners (no test partners)"), ("all", "Test partners included")],
        empty_label=None,
        method="chosen",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PartnerScore
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("partners"):
            data = data.copy()
            data["partners"] = "real"
        super().__init__(data, *args, **kwargs)
        self.filters["partners"].extra["initial"] = "real"  # the default is no filter of the user's

    def chosen(self, queryset, name, value):
        return queryset


# --- the reports ---------------------------------------------------------------------------------


class PartnerPaginator(WagtailPaginator):
    """Counts the rows as partners ("12 partners"), not as the model's "partner scores"."""

    verbose_name = "partner"
    verbose_name_plural = "partners"


def weights_button(user) -> list:
    """A header button to the weights (Settings → Scorecard weights), for those who may change them."""
    if not user.has_perm("analytics.change_scorecardweights"):
        return []
    url = reverse("wagtailsettings:edit", args=["analytics", "scorecardweights"])
    return [HeaderButton("Weights", url=url, icon_name="cog", priority=30)]


class ScorecardReportView(ViewPermissionReportView):
    template_name = "analytics/admin/scorecards_report.html"  # the scorecards' stylesheet
    results_template_name = "cms/reports/results.html"  # the report's description above the table
    model = PartnerScore
    permission_model = PartnerScore  # analytics.view_partnerscore
    filterset_class = ScorecardFilterSet
    is_searchable = True
    search_fields = ["partner__name", "partner__key"]
    search_backend_name = None
    verbose_name = "partner"
    verbose_name_plural = "partners"
    paginator_class = PartnerPaginator
    nothing_yet_message = NOTHING_YET
    sort_fields = {
        "partner": ("partner__name",),
        "tier": ("partner__tier__rank",),
        "score": ("score",),
        "trend": ("trend",),
        "engagement": ("engagement",),
        "learning": ("learning",),
        "certification": ("certification",),
        "bulletins": ("bulletins",),
        "last_active_on": ("last_active_on",),
        "overdue": ("overdue",),
    }
    custom_field_preprocess = {
        name: {ReportView.FORMAT_CSV: export_points, ReportView.FORMAT_XLSX: export_points}
        for name in ("score", "trend", "engagement", "learning", "certification", "bulletins")
    }

    @cached_property
    def weights(self) -> ScorecardWeights:
        return ScorecardWeights.load(request_or_site=self.request)

    @cached_property
    def day(self):
        return latest_day()

    def selector_filters(self) -> dict:
        chosen = self.cleaned_filters
        manager = chosen.get("channel_manager")
        return {
            "day": self.day,
            "tier": chosen.get("tier"),
            "partner_type": chosen.get("partner_type"),
            "region": chosen.get("region"),
            "channel_manager": self.request.user.pk if manager == MINE else (int(manager) if manager else None),
            "include_test": chosen.get("partners") == "all",
            "viewer": self.request.user,
            "weights": self.weights,
        }

    def get_ties(self):
        return ("-score", "partner__name", "pk")

    def order_queryset(self, queryset):
        if not self.ordering:
            return queryset  # the selector's order
        return ordered_queryset(queryset, self.ordering, self.sort_fields, self.get_ties())

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            manager = row.partner.channel_manager
            row.channel_manager_name = get_user_display_name(manager) if manager else ""
        return rows

    def scorecard_url(self, row) -> str:
        return reverse("analytics_scorecards:partner", args=[row.partner_id])

    @cached_property
    def day_label(self) -> str:
        return f"{self.day:%B} {self.day.day}, {self.day.year}" if self.day else ""


class RankingView(ScorecardReportView):
    page_title = "Partner scorecards"
    header_icon = "list-ol"
    index_url_name = "analytics_scorecards:ranking"
    index_results_url_name = "analytics_scorecards:ranking_results"
    export_filename = "partner-scorecards"
    default_ordering = "-score"
    table_classname = "listing partnerhub-scorecards"  # closer cells: twelve columns fit a 1366 px screen
    list_export = [
        "rank",
        "partner.name",
        "partner.tier.name",
        "partner.partner_type.name",
        "partner.region.name",
        "channel_manager_name",
        "score",
        "trend",
        "engagement",
        "learning",
        "certification",
        "bulletins",
        "last_active_on",
        "members",
        "active_users",
        "sign_ins",
        "downloads",
        "searches",
        "enrolments",
        "completions",
        "overdue",
        "certifications_held",
        "certifications_required",
        "bulletins_acknowledged",
        "bulletins_required",
    ]
    export_headings = {
        "rank": "Rank",
        "partner.name": "Partner",
        "partner.tier.name": "Tier",
        "partner.partner_type.name": "Type",
        "partner.region.name": "Region",
        "channel_manager_name": "Channel manager",
        "score": "Score",
        "trend": f"Trend ({TREND_DAYS} days)",
        "engagement": "Engagement",
        "learning": "Learning",
        "certification": "Certification",
        "bulletins": "Bulletins",
        "last_active_on": "Last active",
        "members": "Members",
        "active_users": "Active users (90 days)",
        "sign_ins": "Sign-ins (90 days)",
        "downloads": "Downloads (90 days)",
        "searches": "Searches (90 days)",
        "enrolments": "Current enrolments",
        "completions": "Completions (90 days)",
        "overdue": "Assigned courses overdue",
        "certifications_held": "Certified",
        "certifications_required": "Certifications required",
        "bulletins_acknowledged": "Bulletin acknowledgements",
        "bulletins_required": "Bulletin acknowledgements required",
    }

    @cached_property
    def header_buttons(self):
        button = HeaderButton(
            "Exceptions", url=reverse("analytics_scorecards:exceptions"), icon_name="warning", priority=10
        )
        return [button, *weights_button(self.request.user)]

    def get_filtered_queryset(self):
        ranked = scorecards(**self.selector_filters())
        return self.order_queryset(self.search_queryset(ranked))

    def order_queryset(self, queryset):
        if self.ordering == "-score":
            return queryset  # the selector's order: the viewer's own partners first, each by score
        return super().order_queryset(queryset)

    def decorate_paginated_queryset(self, object_list):
        rows = super().decorate_paginated_queryset(object_list)
        if self.is_searching and rows:
            # A search narrows the rows after ranking: each keeps its rank among all the partners filtered.
            # One more query, of two numbers per partner listed without the search.
            ranks = dict(scorecards(**self.selector_filters()).order_by().values_list("partner_id", "rank"))
            for row in rows:
                row.rank = ranks.get(row.partner_id, row.rank)
        return rows

    @cached_property
    def columns(self):
        return [
            Column("rank", label="Rank", accessor=lambda row: row.rank if row.score is not None else "—"),
            TitleColumn(
                "partner",
                label="Partner",
                accessor="partner.name",
                get_url=self.scorecard_url,
                sort_key="partner",
                classname="partnerhub-name",
            ),
            # Tier, type and region in one column (the export has one each): the table fits a 1366 px screen.
            Column("tier", label="Tier, type, region", accessor=classification_cell, sort_key="tier"),
            Column("channel_manager", label="Channel manager", accessor="channel_manager_name"),
            Column("score", label="Score", accessor=lambda row: points(row.score), sort_key="score"),
            Column("trend", label="Trend", accessor=lambda row: trend_cell(row.trend), sort_key="trend"),
            *(
                Column(name, label=label, accessor=lambda row, name=name: points(getattr(row, name)), sort_key=name)
                for name, label in (
                    ("engagement", "Engagement"),
                    ("learning", "Learning"),
                    ("certification", "Certification"),
                    ("bulletins", "Bulletins"),
                )
            ),
            AbsoluteDateColumn("last_active_on", "M j, Y", label="Last active", sort_key="last_active_on"),
        ]

    @property
    def description(self):
        if not self.day:
            return ""
        weights = self.weights
        return (
            f"Scores of {self.day_label}, over the 90 days up to it: the weighted average of engagement "
            f"({weights.engagement}), learning ({weights.learning}), certification ({weights.certification}) "
            f"and bulletins ({weights.bulletins}), each 0 to 100, leaving out the parts that do not apply to a "
            f"partner (Settings → Scorecard weights). Rank: among the partners listed. Trend: the change of score "
            f"since {TREND_DAYS} days before. Your own partners first."
        )


class ExceptionsView(ScorecardReportView):
    page_title = "Partner scorecards: exceptions"
    header_icon = "warning"
    index_url_name = "analytics_scorecards:exceptions"
    index_results_url_name = "analytics_scorecards:exceptions_results"
    export_filename = "partner-scorecard-exceptions"
    default_ordering = None  # the selector's: the viewer's own first, most reasons first, lowest score first
    list_export = [
        "partner.name",
        "partner.tier.name",
        "partner.partner_type.name",
        "partner.region.name",
        "channel_manager_name",
        "reasons_text",
        "score",
        "last_active_on",
        "overdue",
        "certifications_held",
        "certifications_required",
        "tier_falls_below_within",
    ]
    export_headings = {
        "partner.name": "Partner",
        "partner.tier.name": "Tier",
        "partner.partner_type.name": "Type",
        "partner.region.name": "Region",
        "channel_manager_name": "Channel manager",
        "reasons_text": "Reasons",
        "score": "Score",
        "last_active_on": "Last active",
        "overdue": "Assigned courses overdue",
        "certifications_held": "Certified",
        "certifications_required": "Certifications required",
        "tier_falls_below_within": "Falls below its tier within (days)",
    }

    @cached_property
    def nothing_yet_message(self):
        return "No partner needs a look: all active, meeting their tier, nothing overdue." if self.day else NOTHING_YET

    @cached_property
    def header_buttons(self):
        ranking = HeaderButton(
            "All partners", url=reverse("analytics_scorecards:ranking"), icon_name="list-ol", priority=10
        )
        return [ranking, *weights_button(self.request.user)]

    def get_filtered_queryset(self):
        return self.order_queryset(self.search_queryset(exceptions(**self.selector_filters())))

    def decorate_paginated_queryset(self, object_list):
        rows = super().decorate_paginated_queryset(object_list)
        for row in rows:
            row.reasons = exception_reasons(row)
            row.reasons_text = "; ".join(reason.text for reason in row.reasons)
        return rows

    @cached_property
    def columns(self):
        def reasons(row):
            items = format_html_join(
                "",
                "<li{}>{}{}</li>",
                (
                    (
                        format_html(' class="{}"', "partnerhub-warning") if reason.warning else "",
                        "Warning: " if reason.warning else "",
                        reason.text,
                    )
                    for reason in row.reasons
                ),
            )
            return format_html('<ul class="partnerhub-cell-list">{}</ul>', items)

        return [
            TitleColumn(
                "partner",
                label="Partner",
                accessor="partner.name",
                get_url=self.scorecard_url,
                sort_key="partner",
                classname="partnerhub-name",
            ),
            Column("tier", label="Tier", accessor="partner.tier.name", sort_key="tier"),
            Column("channel_manager", label="Channel manager", accessor="channel_manager_name"),
            Column("reasons", label="Reasons", accessor=reasons),
            Column("score", label="Score", accessor=lambda row: points(row.score), sort_key="score"),
            AbsoluteDateColumn("last_active_on", label="Last active", sort_key="last_active_on"),
        ]

    @property
    def description(self):
        if not self.day:
            return ""
        return (
            f"Partners that need a look on {self.day_label}: no activity for {self.weights.inactive_days} days or "
            "more (Settings → Scorecard weights), below their tier's certification requirements, or with assigned "
            "courses overdue; and, as a warning, partners that fall below their tier within 90 days as "
            "certificates expire. Your own partners first."
        )


# --- one partner's scorecard ------------------------------------------------------------------------------


def component_facts(row) -> dict[str, list[tuple[str, object]]]:
    """What each component's score is made of, as label and value."""
    if row is None:
        return {}
    return {
        "engagement": [
            ("Members", row.members),
            ("Active users (90 days)", row.active_users),
            ("Sign-ins (90 days)", row.sign_ins),
            ("Downloads (90 days)", row.downloads),
            ("Searches (90 days)", row.searches),
        ],
        "learning": [
            ("Current enrolments", row.enrolments),
            ("Completions (90 days)", row.completions),
            ("Assigned courses overdue", row.overdue),
        ],
        "certification": [
            ("Certified for the tier", f"{row.certifications_held} of {row.certifications_required}"),
            ("Meets its tier", {True: "Yes", False: "No", None: "No requirements"}[row.tier_met]),
            ("Falls below within", f"{row.tier_falls_below_within} days" if row.tier_falls_below_within else "—"),
        ],
        "bulletins": [
            ("Required bulletins acknowledged", f"{row.bulletins_acknowledged} of {row.bulletins_required}"),
        ],
    }


def trend_chart(scorecard) -> Chart:
    """The partner's daily score over the series' days, as a chart (and its table)."""
    return Chart(
        id="score-trend",
        title=f"{scorecard.partner.name}: score, last {len(scorecard.series)} days",
        labels=[day for day, _score in scorecard.series],
        series=[Series("Score", [None if score is None else round(score, 1) for _day, score in scorecard.series])],
        unit="points",
        description="The score of each day, with today's weights (0 to 100).",
    )


class PartnerScorecardView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One partner's scorecard; users without the permission are sent back to the dashboard."""

    template_name = "analytics/admin/scorecard.html"
    model = PartnerScore
    permission_required = "view"  # analytics.view_partnerscore
    page_title = "Partner scorecard"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.partner = get_object_or_404(
            Partner.objects.select_related("tier", "partner_type", "region", "channel_manager"),
            pk=kwargs["partner_id"],
        )

    def get_page_subtitle(self):
        return self.partner.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("analytics_scorecards:ranking"), "label": "Partner scorecards"},
            {"url": "", "label": self.partner.name},
        ]

    @cached_property
    def header_buttons(self):
        buttons = []
        if policy_registry.get_by_type(Partner).user_has_permission(self.request.user, "change"):
            edit_url = reverse("partners:edit", args=[self.partner.pk])
            buttons.append(HeaderButton("Edit partner", url=edit_url, icon_name="edit", priority=10))
        exceptions_url = reverse("analytics_scorecards:exceptions")
        buttons.append(HeaderButton("Exceptions", url=exceptions_url, icon_name="warning", priority=20))
        return buttons + weights_button(self.request.user)

    def get(self, request, *args, **kwargs):
        weights = ScorecardWeights.load(request_or_site=request)
        self.scorecard = partner_scorecard(partner=self.partner, weights=weights)
        self.chart = trend_chart(self.scorecard)
        if "csv" in request.GET:  # the chart's CSV link
            if request.GET["csv"] != self.chart.id:
                raise Http404
            return chart_csv_response(self.chart, prefix="partner-hub-scorecard")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scorecard = self.scorecard
        facts = component_facts(scorecard.row)
        return super().get_context_data(
            scorecard=scorecard,
            components=[(component, facts.get(component.key, [])) for component in scorecard.components],
            chart=self.chart,
            media=chart_media(),
            forecast=forecast_rows(scorecard.compliance),
            trend=trend_cell(scorecard.trend),
            score=points(scorecard.score),
            reasons=exception_reasons(_as_exception(scorecard)) if scorecard.row else [],
            **kwargs,
        )


def _as_exception(scorecard):
    """The scorecard's row with what ``exception_reasons`` reads (``inactive``), computed from its weights."""
    row = scorecard.row
    row.inactive = scorecard.inactive_for() is not None
    return row


REPORTS = {"ranking": ("", RankingView), "exceptions": ("exceptions/", ExceptionsView)}

# Included by the ``register_admin_urls`` hook under ``reports/scorecards/``, namespace ``analytics_scorecards``.
urlpatterns = [
    *report_urlpatterns(REPORTS),
    path("<int:partner_id>/", PartnerScorecardView.as_view(), name="partner"),
]


def report_menu_items():
    """The reports' entries in the admin's Reports menu, after the engagement dashboard (95 on)."""
    entries = [
        ("Partner scorecards", "ranking", "list-ol", PartnerScore),
        ("Partner scorecards: exceptions", "exceptions", "warning", PartnerScore),
    ]
    return view_permission_menu_items("analytics_scorecards", entries, first_order=95)
