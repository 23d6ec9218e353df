"""The engagement dashboard's figures: totals of a period against the period before it, and its charts' series.

Reads the rollups only (``DailyPartnerActivity``, ``DailyUserActivity``, ``RollupRun``), never the raw
records, in a fixed number of queries whatever the period's length or the number of partners.

* Active partners: distinct partners with at least one active user in the period; active users:
  distinct users with a ``DailyUserActivity`` row (in a chart: per day, or per week).
* Downloads, searches, searches without results, acknowledgements, enrolments, completions and
  certificates issued: sums of the days.
* Certificates expiring: held on the period's last rolled-up day and expiring within 30 days
  after it (a stock, not a sum: in a weekly chart, the week's last rolled-up day).

A period longer than ``WEEKLY_AFTER_DAYS`` is charted by week (weeks begin on Monday; the first
one begins with the period). Every day or week of the period is on the axis; one without rows is zero.
Test partners (``Partner.is_test``) are left out unless the scope includes them; tier, type and
region are the partner's now.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek

from analytics.charts import Chart, Series
from analytics.models import DailyPartnerActivity, DailyUserActivity, PartnerWindowActivity, RollupRun
from analytics.services import WINDOWS

PRESET_DAYS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
WEEKLY_AFTER_DAYS = 90
MAX_DAYS = 3 * 365 + 1  # three years

#: The sums of ``DailyPartnerActivity`` the dashboard shows, with their labels.
SUMMED = {
    "downloads": "Downloads",
    "searches": "Searches",
    "searches_without_results": "Searches without results",
    "acknowledgements": "Bulletin acknowledgements",
    "enrolments": "Enrolments",
    "completions": "Completions",
    "certificates_issued": "Certificates issued",
}
LABELS = {
    "active_partners": "Active partners",
    "active_users": "Active users",
    **SUMMED,
    "certificates_expiring": "Certificates expiring within 30 days",
}


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @classmethod
    def last(cls, days: int, *, today: date) -> "Period":
        """The last ``days`` days, ``today`` included."""
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weekly(self) -> bool:
        return self.days > WEEKLY_AFTER_DAYS

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def bucket(self, day: date) -> date:
        """The first day of the chart's bucket of ``day``: the day, or its week's Monday (not before ``start``)."""
        return max(day - timedelta(days=day.weekday()), self.start) if self.weekly else day

    def buckets(self) -> list[date]:
        """The first day of each of the chart's buckets, in order: every day, or every week."""
        days = [self.start + timedelta(days=n) for n in range(self.days)]
        return sorted({self.bucket(day) for day in days})


@dataclass(frozen=True)
class Scope:
    """Whose activity counts: partners of one tier, type or region (any when empty), test partners or not."""

    tier: object = None
    partner_type: object = None
    region: object = None
    include_test: bool = False

    def apply(self, rows):
        if not self.include_test:
            rows = rows.of_real_partners()
        for name in ("tier", "partner_type", "region"):
            if getattr(self, name) is not None:
                rows = rows.filter(**{f"partner__{name}": getattr(self, name)})
        return rows


@dataclass
class Total:
    """One figure of the period, and the same figure of the period before."""

    key: str
    label: str
    value: int
    previous: int

    @property
    def change(self) -> float | None:
        """The change on the previous period, in percent (``None`` when the previous period had none)."""
        return None if not self.previous else round(100.0 * (self.value - self.previous) / self.previous, 1)


@dataclass
class Engagement:
    """The dashboard's figures: ``totals`` by key, and each metric's ``series`` along the chart's ``buckets``."""

    period: Period
    scope: Scope
    totals: dict[str, Total]
    buckets: list[date]
    series: dict[str, list[int]] = field(default_factory=dict)

    @property
    def previous_period(self) -> Period:
        return self.period.previous()


def engagement(*, period: Period, scope: Scope | None = None) -> Engagement:
    """Totals of ``period`` and the period before it, and the series of its charts (at most five queries, seven by
    week)."""
    scope = scope or Scope()
    previous = period.previous()
    partner_rows = scope.apply(DailyPartnerActivity.objects.all()).order_by()
    user_rows = scope.apply(DailyUserActivity.objects.all()).order_by()
    current_q = Q(day__gte=period.start, day__lte=period.end)
    previous_q = Q(day__gte=previous.start, day__lte=previous.end)

    # 1. Each day's sums, both periods: the period totals, the daily series, certificates expiring on a day.
    by_day = {
        row.pop("day"): row
        for row in partner_rows.between(previous.start, period.end)
        .values("day")
        .annotate(
            **{key: Sum(key) for key in (*SUMMED, "certificates_expiring")},
            active_partners=Count("pk", filter=Q(active_users__gt=0)),
        )
    }
    # 2. The days rolled up: a day rolled up with no rows counts (as zero) for certificates expiring.
    rolled_up = RollupRun.objects.filter(day__gte=previous.start, day__lte=period.end)
    run_days = set(rolled_up.values_list("day", flat=True))
    known_days = run_days | set(by_day)
    # 3 and 4. Distinct partners and users of each period: from the windows the worker keeps when the period is
    # one of their lengths (a sum over partners), else counted over every day's rows of both periods.
    windows = _window_totals(scope, window=period.days, days=[period.end, previous.end], rolled_up=run_days)
    if windows is not None:
        partners = {"current": windows[period.end][0], "previous": windows[previous.end][0]}
        users = {"current": windows[period.end][1], "previous": windows[previous.end][1]}
    else:
        partners = (
            partner_rows.between(previous.start, period.end)
            .filter(active_users__gt=0)
            .aggregate(
                current=Count("partner", distinct=True, filter=current_q),
                previous=Count("partner", distinct=True, filter=previous_q),
            )
        )
        users = user_rows.between(previous.start, period.end).aggregate(
            current=Count("user", distinct=True, filter=current_q),
            previous=Count("user", distinct=True, filter=previous_q),
        )

    def summed(key, days: Period) -> int:
        return sum(row[key] or 0 for day, row in by_day.items() if day in days)

    def expiring_on_last_day(days: Period) -> int:
        last = max((day for day in known_days if day in days), default=None)
        return (by_day.get(last, {}).get("certificates_expiring") or 0) if last else 0

    totals = {
        "active_partners": Total(
            "active_partners", LABELS["active_partners"], partners["current"], partners["previous"]
        ),
        "active_users": Total("active_users", LABELS["active_users"], users["current"], users["previous"]),
        **{key: Total(key, label, summed(key, period), summed(key, previous)) for key, label in SUMMED.items()},
        "certificates_expiring": Total(
            "certificates_expiring",
            LABELS["certificates_expiring"],
            expiring_on_last_day(period),
            expiring_on_last_day(previous),
        ),
    }
    return Engagement(
        period=period,
        scope=scope,
        totals=totals,
        buckets=period.buckets(),
        series=_series(period, by_day, known_days, partner_rows, user_rows, scope),
    )


def _window_totals(scope: Scope, *, window: int, days: list[date], rolled_up) -> dict[date, tuple[int, int]] | None:
    """``{day: (active partners, active users)}`` in the ``window`` days ending on each of ``days``, from
    ``PartnerWindowActivity`` (one query); ``None`` when it keeps no such window or a day was not rolled up."""
    if window not in WINDOWS or not set(days) <= set(rolled_up):
        return None
    rows = scope.apply(PartnerWindowActivity.objects.filter(window_days=window, day__in=days)).order_by()
    found = {
        row["day"]: (row["partners"], row["users"])
        for row in rows.values("day").annotate(partners=Count("pk"), users=Sum("active_users"))
    }
    return {day: found.get(day, (0, 0)) for day in days}


def _weekly_active(period, buckets, found, partner_rows, user_rows, scope) -> None:
    """Active partners and users of each week: a whole week's are its Sunday's 7-day window (one query); only a
    part week at either end of the period is counted from its days' rows (two more)."""
    whole_weeks = {
        bucket + timedelta(days=6): bucket
        for bucket in buckets
        if bucket.weekday() == 0 and bucket + timedelta(days=6) <= period.end
    }
    windows = scope.apply(PartnerWindowActivity.objects.filter(window_days=7, day__in=list(whole_weeks))).order_by()
    for row in windows.values("day").annotate(partners=Count("pk"), users=Sum("active_users")):
        found["active_partners"][whole_weeks[row["day"]]] = row["partners"]
        found["active_users"][whole_weeks[row["day"]]] = row["users"]
    part_weeks = Q(pk__in=[])
    for bucket in buckets:
        if bucket not in whole_weeks.values():
            part_weeks |= Q(day__gte=bucket, day__lte=min(bucket + timedelta(days=6 - bucket.weekday()), period.end))
    week = TruncWeek("day")
    for row in (
        partner_rows.filter(part_weeks, active_users__gt=0)
        .values(bucket=week)
        .annotate(count=Count("partner", distinct=True))
    ):
        found["active_partners"][period.bucket(row["bucket"])] = row["count"]
    for row in user_rows.filter(part_weeks).values(bucket=week).annotate(count=Count("user", distinct=True)):
        found["active_users"][period.bucket(row["bucket"])] = row["count"]


def _series(period, by_day, known_days, partner_rows, user_rows, scope) -> dict[str, list[int]]:
    """Each metric's value per bucket of ``period`` (zero where nothing was rolled up)."""
    buckets = period.buckets()
    found: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    last_known: dict[date, date] = {}
    for day in sorted(day for day in known_days if day in period):
        last_known[period.bucket(day)] = day  # the bucket's last rolled-up day, for a stock figure
    for day, row in by_day.items():
        if day in period:
            for key in SUMMED:
                found[key][period.bucket(day)] += row[key] or 0
    for bucket, day in last_known.items():
        found["certificates_expiring"][bucket] = by_day.get(day, {}).get("certificates_expiring") or 0
    # 5 and 6. Distinct partners and users of each bucket.
    if period.weekly:
        _weekly_active(period, buckets, found, partner_rows, user_rows, scope)
    else:
        for day, row in by_day.items():
            if day in period:
                found["active_partners"][day] = row["active_partners"]
        for row in (
            user_rows.between(period.start, period.end).values("day").annotate(count=Count("user", distinct=True))
        ):
            found["active_users"][row["day"]] = row["count"]
    return {key: [found[key].get(day, 0) for day in buckets] for key in LABELS}


# --- the charts ------------------------------------------------------------------------------------------


@dataclass
class BarsAndLinesChart(Chart):
    """A bar chart whose ``line_series`` (their names) are drawn as lines over the bars (``charts.js``)."""

    line_series: tuple = ()

    def config(self) -> dict:
        config = super().config()
        for dataset in config["datasets"]:
            if dataset["label"] in self.line_series:
                dataset["type"] = "line"
        return config


def engagement_charts(report: Engagement) -> list[Chart]:
    """The dashboard's charts, in order, each with its table's and CSV's figures."""
    each = "week" if report.period.weekly else "day"
    extra = {"label_heading": "Week beginning" if report.period.weekly else "Day"}

    def series(*keys, names=None):
        return [Series((names or {}).get(key, LABELS[key]), report.series[key]) for key in keys]

    def chart(id, title, kind, keys, description, names=None, line_series=()):
        return BarsAndLinesChart(
            id=id,
            title=title,
            labels=report.buckets,
            series=series(*keys, names=names),
            kind=kind,
            description=description,
            extra=extra,
            line_series=line_series,
        )

    return [
        chart(
            "active",
            "Active partners and users",
            "line",
            ("active_partners", "active_users"),
            f"Partners with at least one active user, and users who did anything, each {each}.",
        ),
        chart(
            "downloads-searches",
            "Downloads and searches",
            "line",
            ("downloads", "searches", "searches_without_results"),
            f"Downloads of assets, searches, and searches that found nothing, each {each}.",
        ),
        chart(
            "learning",
            "Learning",
            "bar",
            ("enrolments", "completions"),
            f"Course enrolments and completions, each {each}.",
        ),
        chart(
            "certificates",
            "Certificates",
            "bar",
            ("certificates_issued", "certificates_expiring"),
            f"Certificates issued each {each}, and certificates held that expire within the next 30 days "
            f"(on the {each}'s last day).",
            names={"certificates_issued": "Issued", "certificates_expiring": "Expiring within 30 days"},
            line_series=("Expiring within 30 days",),  # a stock, not a count of the day's events
        ),
        chart(
            "acknowledgements",
            "Bulletin acknowledgements",
            "bar",
            ("acknowledgements",),
            f"Bulletins acknowledged by partner users, each {each}.",
            names={"acknowledgements": "Acknowledgements"},
        ),
    ]
