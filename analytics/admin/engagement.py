"""Reports → Engagement, and the admin home's "Engagement, last 30 days" panel.

The report (``analytics_engagement:index``, ``/admin/reports/engagement/``) shows, for a period
(the last 7, 30, 90 or 365 days, or dates chosen, up to three years) and partners of a tier,
type or region (test partners left out unless asked for): tiles with each figure against the
period before, then its charts (``analytics.selectors.engagement``), each with its table and CSV
(``?csv=<chart id>`` with the same filters; an unknown chart is 404). Bad filters are said on the
form, never a 500. Everything comes from the rollups, in a fixed number of queries.

Who sees them: users with ``analytics.view_engagement`` ("Can view the engagement dashboard",
offered in the group editor under "Daily partner activity"; superusers have it). Others are sent to
the dashboard (Wagtail's answer to ``PermissionDenied``) and get neither the menu entry nor the panel.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from analytics.charts import Chart, Series, chart_csv_response
from analytics.models import RollupRun
from analytics.selectors.engagement import (
    DEFAULT_DAYS,
    MAX_DAYS,
    PRESET_DAYS,
    Period,
    Scope,
    engagement,
    engagement_charts,
)
from partners.models import PartnerType, Region, Tier

from .charting import ChartMedia, chart_media

PERMISSION = "analytics.view_engagement"
CUSTOM = "custom"
MINUS = "\u2212"  # a minus sign, not a hyphen
#: The tiles of the report, and the fewer of the admin home's panel.
REPORT_TILES = (
    "active_partners",
    "active_users",
    "downloads",
    "searches",
    "searches_without_results",
    "acknowledgements",
    "enrolments",
    "completions",
    "certificates_issued",
    "certificates_expiring",
)
PANEL_TILES = ("active_partners", "active_users", "downloads", "searches", "completions", "certificates_expiring")
NOTHING_ROLLED_UP = (
    "Figures appear after the worker's first hourly rollup; `manage.py roll_up_analytics --days 90` fills them now."
)


def may_view_engagement(user) -> bool:
    return user.has_perm(PERMISSION)


# --- filters -----------------------------------------------------------------------------------------------


class EngagementFilterForm(forms.Form):
    """The period (a preset, or dates) and the partners counted; ``period()`` and ``scope()`` once valid."""

    period = forms.ChoiceField(
        label="Period",
        choices=[*((str(days), f"Last {days} days") for days in PRESET_DAYS), (CUSTOM, "Custom dates")],
        required=False,
    )
    start = forms.DateField(label="From", required=False, widget=AdminDateInput)
    end = forms.DateField(label="To", required=False, widget=AdminDateInput)
    tier = forms.ModelChoiceField(
        label="Tier", queryset=Tier.objects.order_by("rank"), required=False, empty_label="All"
    )
    partner_type = forms.ModelChoiceField(
        label="Partner type", queryset=PartnerType.objects.order_by("name"), required=False, empty_label="All"
    )
    region = forms.ModelChoiceField(
        label="Region", queryset=Region.objects.order_by("name"), required=False, empty_label="All"
    )
    include_test = forms.BooleanField(label="Include test partners", required=False)

    def __init__(self, data, *, today):
        data = data.copy()
        if not data.get("period"):  # dates alone choose them; nothing at all is the default period
            data["period"] = CUSTOM if data.get("start") or data.get("end") else str(DEFAULT_DAYS)
        if data["period"] != CUSTOM:  # a preset period: dates left in the form are not the period shown
            data.pop("start", None)
            data.pop("end", None)
        super().__init__(data)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") != CUSTOM:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if not start or not end:
            raise forms.ValidationError("Give both dates of the period (From and To), or choose a preset period.")
        if start > end:
            self.add_error("end", f"“To” ({date_format(end)}) is before “From” ({date_format(start)}).")
        elif end > self.today:
            self.add_error("end", f"Choose a day up to today ({date_format(self.today)}): later days have no figures.")
        elif (days := (end - start).days + 1) > MAX_DAYS:
            self.add_error(
                "start", f"Choose a period of at most three years ({MAX_DAYS:,} days): this one has {days:,}."
            )
        return cleaned

    def selected_period(self) -> Period:
        if self.cleaned_data["period"] == CUSTOM:
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return Period.last(int(self.cleaned_data["period"]), today=self.today)

    def scope(self) -> Scope:
        return Scope(
            tier=self.cleaned_data["tier"],
            partner_type=self.cleaned_data["partner_type"],
            region=self.cleaned_data["region"],
            include_test=self.cleaned_data["include_test"],
        )


# --- the figures as shown ----------------------------------------------------------------------------------


def _number(value) -> str:
    return f"{value:,}"


def tiles(report, keys) -> list[dict]:
    """The summary tiles of ``keys``: label, figure, and its change on the previous period in words."""
    shown = []
    for key in keys:
        total = report.totals[key]
        change = total.change
        if change is None:
            trend, arrow = ("none in the previous period" if total.value else "none in either period"), ""
        elif change == 0:
            trend, arrow = f"no change from {_number(total.previous)}", ""
        else:
            size = f"{abs(change):.0f}" if abs(change) >= 10 else f"{abs(change):.1f}".removesuffix(".0")
            sign, arrow = ("+", "▲") if change > 0 else (MINUS, "▼")
            trend = f"{sign}{size}% from {_number(total.previous)}"
        shown.append({"key": key, "label": total.label, "value": _number(total.value), "trend": trend, "arrow": arrow})
    return shown


def period_words(period: Period) -> str:
    if period.start == period.end:
        return date_format(period.start)
    return f"{date_format(period.start)} to {date_format(period.end)}"


def rollup_status() -> dict:
    """When the figures were last rolled up, in words, or what to do when they never were (one query)."""
    last = RollupRun.objects.order_by("-finished_at").first()
    if last is None:
        return {"rolled_up": False, "text": NOTHING_ROLLED_UP}
    moment = date_format(timezone.localtime(last.finished_at), "DATETIME_FORMAT")
    return {"rolled_up": True, "text": f"Figures as of the last rollup, {moment} (the worker rolls up each hour)."}


# --- the report --------------------------------------------------------------------------------------------


class EngagementView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "analytics/admin/engagement.html"
    page_title = "Engagement"
    header_icon = "group"
    csv_prefix = "partner-hub-engagement"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not may_view_engagement(request.user):
            raise PermissionDenied  # Wagtail sends the user to the dashboard with a message
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = EngagementFilterForm(request.GET, today=timezone.localdate())
        self.report = self.charts = None
        if self.form.is_valid():
            self.report = engagement(period=self.form.selected_period(), scope=self.form.scope())
            self.charts = engagement_charts(self.report)
            if "csv" in request.GET:
                chart = next((chart for chart in self.charts if chart.id == request.GET["csv"]), None)
                if chart is None:
                    raise Http404("No such chart.")
                return chart_csv_response(chart, prefix=self.csv_prefix)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, media=chart_media() + self.form.media, rollup=rollup_status())
        if self.report:
            period, previous = self.report.period, self.report.previous_period
            context.update(
                report=self.report,
                charts=self.charts,
                tiles=tiles(self.report, REPORT_TILES),
                period_words=period_words(period),
                previous_words=period_words(previous),
                by_week=period.weekly,
            )
        return context


class EngagementMenuItem(MenuItem):
    """Reports → Engagement, for the users who may see it."""

    def is_shown(self, request):
        return may_view_engagement(request.user)


def engagement_menu_item() -> MenuItem:
    return EngagementMenuItem(
        "Engagement", reverse("analytics_engagement:index"), name="engagement", icon_name="group", order=90
    )


urlpatterns = [path("", EngagementView.as_view(), name="index")]


# --- the admin home's panel --------------------------------------------------------------------------------


class EngagementPanel(Component):
    """The admin home's "Engagement, last 30 days": key tiles and active users by day, with a link to the report.

    Shown to the users who may see the report; the same fixed number of queries as the report.
    """

    name = "engagement"
    template_name = "analytics/admin/engagement_panel.html"
    order = 140  # before the content health panel (150) and Wagtail's workflow panels

    Media = ChartMedia

    def __init__(self, request):
        self.request = request

    def is_shown(self) -> bool:
        return may_view_engagement(self.request.user)

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.is_shown() else ""

    def get_context_data(self, parent_context=None):
        report = engagement(period=Period.last(DEFAULT_DAYS, today=timezone.localdate()))
        chart = Chart(
            id="active",  # the report's "Active partners and users": its CSV has this column and more
            title="Active users",
            labels=report.buckets,
            series=[Series("Active users", report.series["active_users"])],
            description="Users who did anything, each day.",
            extra={"label_heading": "Day"},
        )
        report_url = reverse("analytics_engagement:index")
        return {
            "tiles": tiles(report, PANEL_TILES),
            "chart": chart,
            "report_url": report_url,
            "csv_base": f"{report_url}?period={DEFAULT_DAYS}",
            "period_words": period_words(report.period),
            "rollup": rollup_status(),
        }
