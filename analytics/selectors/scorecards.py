"""Partner scorecards: the partners ranked by score, the exceptions, and one partner's scorecard.

Everything is read from ``PartnerScore`` (one row per day and partner, written by the worker). The score
is computed when read (``score_expression``): the weighted average of the components that apply, with
the weights the channel team sets now (``ScorecardWeights``), as a database expression, so that
ranking, filtering, sorting and pagination happen in SQL and a change of weights moves the whole trend.
"""

import operator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, Rank
from django.utils.formats import date_format

from certifications.selectors import FORECAST_DAYS, partner_compliance

from ..models import PartnerScore, ScorecardWeights

#: The components of a score, in the order they are shown: (field of ``PartnerScore`` and weight, label).
COMPONENTS = (
    ("engagement", "Engagement"),
    ("learning", "Learning"),
    ("certification", "Certification"),
    ("bulletins", "Bulletins"),
)
#: The trend: a partner's score now against its score this many days before.
TREND_DAYS = 30
#: How far back a partner's scorecard draws its score (the rollups' own window).
SERIES_DAYS = 90


def score_expression(weights: dict[str, int]):
    """The score of a ``PartnerScore`` row: the weighted average of its components that are not empty
    (sum of weight * component, over the sum of their weights).

    Empty (``NULL``) when no weighted component applies. Components weighted 0 are left out altogether.
    """
    weighted = [(name, weights.get(name) or 0) for name, _label in COMPONENTS]
    weighted = [(name, weight) for name, weight in weighted if weight > 0]
    if not weighted:
        return Value(None, output_field=FloatField())
    total = reduce(operator.add, (Coalesce(F(name), Value(0.0)) * Value(float(weight)) for name, weight in weighted))
    counted = reduce(
        operator.add,
        (
            Case(When(**{f"{name}__isnull": False}, then=Value(weight)), default=Value(0), output_field=IntegerField())
            for name, weight in weighted
        ),
    )
    return ExpressionWrapper(total / NullIf(counted, Value(0)), output_field=FloatField())


def _weights(weights) -> ScorecardWeights:
    return weights if weights is not None else ScorecardWeights.load()


def latest_day() -> date | None:
    """The last day rolled up into scorecards (``None``: none yet); one query."""
    return PartnerScore.objects.order_by("-day").values_list("day", flat=True).first()


def _rows(*, day, weights, tier, partner_type, region, channel_manager, include_test, viewer):
    """The rows of ``day`` with ``score``, ``score_before`` (``TREND_DAYS`` before), ``trend`` and ``mine``."""
    score = score_expression(weights.as_dict())
    before = (
        PartnerScore.objects.filter(partner_id=OuterRef("partner_id"), day=day - timedelta(days=TREND_DAYS))
        .annotate(score=score)
        .values("score")[:1]
    )
    rows = PartnerScore.objects.filter(day=day)
    if not include_test:
        rows = rows.of_real_partners()
    for field_name, value in (
        ("partner__tier", tier),
        ("partner__partner_type", partner_type),
        ("partner__region", region),
        ("partner__channel_manager", channel_manager),
    ):
        if value is not None and value != "":
            rows = rows.filter(**{field_name: value})
    viewer_id = getattr(viewer, "pk", None)
    return rows.select_related(
        "partner__tier", "partner__partner_type", "partner__region", "partner__channel_manager"
    ).annotate(
        score=score,
        score_before=Subquery(before, output_field=FloatField()),
        trend=ExpressionWrapper(F("score") - F("score_before"), output_field=FloatField()),
        mine=Case(
            When(partner__channel_manager_id=viewer_id, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def scorecards(
    *,
    day=None,
    tier=None,
    partner_type=None,
    region=None,
    channel_manager=None,
    include_test=False,
    viewer=None,
    weights=None,
):
    """The partners' scorecards of ``day`` (the last day rolled up), ranked by score: a queryset of ``PartnerScore``.

    Each row has ``score``, ``rank`` (1 for the best among the rows listed; ties share a rank),
    ``trend`` (score now minus ``TREND_DAYS`` days before, from that day's row; empty without one),
    ``score_before`` and ``mine`` (the ``viewer`` is its channel manager). The viewer's own partners
    come first, then the rest, each by score (empty scores last), then by name. Test partners are
    left out unless ``include_test``. Filters take an instance or a primary key. One query (and one
    for the last day when ``day`` is not given, one for the weights when not given).
    """
    day = day or latest_day()
    if day is None:
        return PartnerScore.objects.none()
    rows = _rows(
        day=day,
        weights=_weights(weights),
        tier=tier,
        partner_type=partner_type,
        region=region,
        channel_manager=channel_manager,
        include_test=include_test,
        viewer=viewer,
    )
    return rows.annotate(rank=Window(Rank(), order_by=F("score").desc(nulls_last=True))).order_by(
        F("mine").desc(), F("score").desc(nulls_last=True), "partner__name", "partner_id"
    )


# --- exceptions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    kind: str  # "inactive", "below_tier", "falls_below", "overdue"
    text: str
    warning: bool = False  # a warning (falls below soon) rather than an exception today


def exceptions(
    *,
    day=None,
    tier=None,
    partner_type=None,
    region=None,
    channel_manager=None,
    include_test=False,
    viewer=None,
    weights=None,
):
    """The partners of ``day``'s scorecards that need a look, most reasons first: no activity in the weights'
    ``inactive_days`` (or none recorded), below their tier's certification requirements, or assigned courses
    overdue; and, as a warning, those that fall below their tier within 30, 60 or 90 days.

    Rows as ``scorecards`` gives them (without ``rank``), with ``inactive`` and ``alerts`` (how many of the
    three exceptions hold); ``exception_reasons(row)`` says why in words. One query.
    """
    day = day or latest_day()
    if day is None:
        return PartnerScore.objects.none()
    weights = _weights(weights)
    quiet_since = day - timedelta(days=weights.inactive_days)
    inactive = Q(last_active_on__isnull=True) | Q(last_active_on__lte=quiet_since)
    below = Q(tier_met=False)
    overdue = Q(overdue__gt=0)
    falls_below = Q(tier_met=True, tier_falls_below_within__isnull=False)
    rows = _rows(
        day=day,
        weights=weights,
        tier=tier,
        partner_type=partner_type,
        region=region,
        channel_manager=channel_manager,
        include_test=include_test,
        viewer=viewer,
    )

    def flag(condition):
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    return (
        rows.filter(inactive | below | overdue | falls_below)
        .annotate(
            inactive=Case(When(inactive, then=Value(True)), default=Value(False), output_field=BooleanField()),
            alerts=flag(inactive) + flag(below) + flag(overdue),
        )
        .order_by(F("mine").desc(), F("alerts").desc(), F("score").asc(nulls_first=True), "partner__name", "pk")
    )


def exception_reasons(row) -> list[Reason]:
    """Why a row of ``exceptions`` is listed, in words (no query)."""
    reasons = []
    if row.inactive:
        if row.last_active_on is None:
            reasons.append(Reason("inactive", "No activity recorded"))
        else:
            days = (row.day - row.last_active_on).days
            reasons.append(
                Reason("inactive", f"No activity for {days} days (last active {date_format(row.last_active_on)})")
            )
    if row.tier_met is False:
        reasons.append(
            Reason(
                "below_tier",
                f"Below its tier's certification requirements ({row.certifications_held} of "
                f"{row.certifications_required} certified)",
            )
        )
    if row.overdue:
        courses = "course" if row.overdue == 1 else "courses"
        reasons.append(Reason("overdue", f"{row.overdue} assigned {courses} overdue"))
    if row.tier_met and row.tier_falls_below_within:  # a warning, after the exceptions
        reasons.append(
            Reason("falls_below", f"Falls below its tier within {row.tier_falls_below_within} days", warning=True)
        )
    return reasons


# --- one partner's scorecard ------------------------------------------------------------------------------


@dataclass
class Component:
    key: str
    label: str
    score: float | None  # 0 to 100; empty when nothing applies
    weight: int  # as set in ScorecardWeights
    share: float | None  # the part of the score it makes up now (0 to 1), empty when it does not count


@dataclass
class Scorecard:
    partner: object
    row: PartnerScore | None  # the latest row (``None``: never rolled up)
    weights: ScorecardWeights
    components: list[Component]
    series: list[tuple[date, float | None]]  # the daily score up to ``row.day``, oldest first
    compliance: dict | None  # the partner against its own tier, live (``certifications.selectors``)

    @property
    def day(self) -> date | None:
        return self.row.day if self.row else None

    @property
    def score(self) -> float | None:
        return self.row.score if self.row else None

    @property
    def score_before(self) -> float | None:
        if not self.row:
            return None
        before = self.row.day - timedelta(days=TREND_DAYS)
        return next((score for day, score in self.series if day == before), None)

    @property
    def trend(self) -> float | None:
        if self.score is None or self.score_before is None:
            return None
        return self.score - self.score_before

    @property
    def bulletins_missing(self) -> int:
        return max(0, self.row.bulletins_required - self.row.bulletins_acknowledged) if self.row else 0

    @property
    def idle_members(self) -> int:
        """Members not active in the 90 days."""
        return max(0, self.row.members - self.row.active_users) if self.row else 0

    def inactive_for(self) -> int | None:
        """Days since its last activity when that is at least ``inactive_days`` (``-1``: never active)."""
        if not self.row:
            return None
        if self.row.last_active_on is None:
            return -1
        days = (self.row.day - self.row.last_active_on).days
        return days if days >= self.weights.inactive_days else None


def partner_scorecard(*, partner, day=None, days: int = SERIES_DAYS, weights=None) -> Scorecard:
    """``partner``'s scorecard on ``day`` (its last row rolled up): each component's facts, score and weight, the
    daily score over ``days`` days up to it, and its tier's certification forecast (30/60/90 days).

    Three queries for the rollups (the weights, the row, the series), and the compliance's own.
    """
    weights = _weights(weights)
    score = score_expression(weights.as_dict())
    rows = PartnerScore.objects.filter(partner=partner).annotate(score=score)
    row = (rows.filter(day__lte=day) if day else rows).order_by("-day").first()
    series = []
    if row:
        first = row.day - timedelta(days=days - 1)
        found = dict(rows.filter(day__gte=first, day__lte=row.day).values_list("day", "score"))
        series = [(first + timedelta(days=n), found.get(first + timedelta(days=n))) for n in range(days)]
    # A live read of the certificates (not a rollup): acceptable for one partner's page, and it gives the forecast
    # per requirement and the holders at risk, which ``PartnerScore`` keeps only as totals.
    compliance = next((t for t in partner_compliance(partner=partner) if t["tier"].pk == partner.tier_id), None)
    return Scorecard(
        partner=partner,
        row=row,
        weights=weights,
        components=_components(row, weights.as_dict()),
        series=series,
        compliance=compliance,
    )


def _components(row, weights: dict[str, int]) -> list[Component]:
    applies = [key for key, _label in COMPONENTS if row is not None and getattr(row, key) is not None]
    counted = sum(weights[key] for key in applies)
    return [
        Component(
            key=key,
            label=label,
            score=getattr(row, key) if row is not None else None,
            weight=weights[key],
            share=weights[key] / counted if counted and key in applies else None,
        )
        for key, label in COMPONENTS
    ]


def forecast_rows(compliance: dict | None) -> list[dict]:
    """Each requirement of the partner's tier: the certification, required, holders today and in 30/60/90 days."""
    if not compliance:
        return []
    return [
        {
            "certification": status["certification"],
            "required": status["required"],
            "holders": status["holders"],
            "gap": status["gap"],
            "forecast": [(days, status["forecast"][str(days)]) for days in FORECAST_DAYS],
            "at_risk": status["at_risk"],
        }
        for status in compliance["requirements"]
    ]
