"""Reads of "Content performance": per item totals, one item's breakdown, and what partners did not find.

Everything reads the daily rollups (``DailyContentActivity``, ``DailySearchTerm``) of a period, through
``ContentFilters``; nothing reads the raw views, downloads or searches. The listings are grouped in SQL and
left unsliced, so that the report's paginator asks the database for one page (``LIMIT``/``OFFSET``) and its
count; titles are then attached to the rows of that page only (``with_titles``: one query per kind).
Test partners (``Partner.is_test``) are left out unless ``include_test_partners``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, When, Window
from django.db.models.functions import Cast

from cms.models import Asset, Bulletin, Program
from courses.models import Course

from ..models import ContentPeriodActivity, DailyContentActivity, DailySearchTerm
from ..services import PERIODS

#: The kinds of item the rollups count, and the models their titles come from.
KIND_MODELS = {"asset": Asset, "program": Program, "bulletin": Bulletin, "course": Course}
#: The preset periods, in days up to today (today included), and the default one.
PERIOD_PRESETS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
#: The figures of an item (or of a tier, a region, a day), and what a listing can be sorted by.
METRICS = ("views", "downloads", "partners", "impressions", "clicks", "click_through_rate")


@dataclass(frozen=True)
class ContentFilters:
    """Which rollup rows count: the days from ``start`` to ``end`` (both included), a kind, a tier and a region
    (the partner's when the activity happened), and whether test partners count."""

    start: date
    end: date
    kind: str | None = None
    tier_id: int | None = None
    region_id: int | None = None
    include_test_partners: bool = False

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, *, today: date, **filters) -> "ContentFilters":
        """The ``days`` days up to ``today``, today included."""
        return cls(start=today - timedelta(days=days - 1), end=today, **filters)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def content_activity(filters: ContentFilters) -> QuerySet:
    """The rollup rows of ``filters``: their days, kind, tier and region, and real partners only unless asked."""
    rows = DailyContentActivity.objects.between(filters.start, filters.end)
    if not filters.include_test_partners:
        rows = rows.of_real_partners()
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.tier_id:
        rows = rows.filter(tier_id=filters.tier_id)
    if filters.region_id:
        rows = rows.filter(region_id=filters.region_id)
    return rows.order_by()


def _click_through_rate():
    """Clicks over impressions (0 to 1); empty when the item was never shown in search results."""
    return Case(
        When(impressions=0, then=None),
        default=Cast(F("clicks"), FloatField()) / Cast(F("impressions"), FloatField()),
        output_field=FloatField(),
    )


def _totals(rows: QuerySet, *group_by: str) -> QuerySet:
    """``rows`` grouped by ``group_by``, each group with its totals, distinct partners and click-through rate."""
    return (
        rows.values(*group_by)
        .annotate(
            views=Sum("views"),
            downloads=Sum("downloads"),
            partners=Count("partner_id", distinct=True),
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
        )
        .annotate(click_through_rate=_click_through_rate())
    )


def with_row_count(rows: QuerySet) -> QuerySet:
    """Grouped ``rows`` with ``row_count`` on each, the number of rows in all, counted in the same query (a window
    over the groups): one query answers a page and the number of pages (``analytics.admin.paging``)."""
    return rows.annotate(row_count=Window(Count("*")))


def _ordered(totals: QuerySet, ordering: str, ties: tuple[str, ...]) -> QuerySet:
    """``totals`` by the metric ``ordering`` names (``-`` for descending; empty rates last), then the most viewed
    first, then by ``ties``."""
    field = ordering.lstrip("-")
    if field not in METRICS:
        raise ValueError(f"Cannot sort content performance by {ordering!r}: one of {', '.join(METRICS)}.")
    primary = F(field).desc(nulls_last=True) if ordering.startswith("-") else F(field).asc(nulls_last=True)
    most_viewed = [] if field == "views" else [F("views").desc()]
    return totals.order_by(primary, *most_viewed, *ties)


def period_activity(filters: ContentFilters) -> QuerySet | None:
    """The items' totals the worker keeps for ``filters``' period when it is a preset one (7, 30, 90 or 365 days)
    and they were rolled up for its last day (``ContentPeriodActivity``), filtered as ``content_activity``;
    ``None`` otherwise (the daily rows are read then)."""
    days = (filters.end - filters.start).days + 1
    if days not in PERIODS:
        return None
    rows = ContentPeriodActivity.objects.filter(day=filters.end, period_days=days)
    if not rows.exists():
        return None
    if not filters.include_test_partners:
        rows = rows.filter(test_partners=False)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.tier_id:
        rows = rows.filter(tier_id=filters.tier_id)
    if filters.region_id:
        rows = rows.filter(region_id=filters.region_id)
    return rows.order_by()


def item_totals(filters: ContentFilters, *, ordering: str = "-views") -> QuerySet:
    """Per item (``kind``, ``item_id``): views, downloads, distinct partners, search impressions and clicks, and
    the click-through rate, sorted by ``ordering`` (a metric of ``METRICS``, ``-`` for descending), ties the most
    viewed first, then by kind and id. Dicts with ``row_count`` (how many items in all), not yet sliced: a
    paginator asks for one page. A preset period reads the worker's totals of it (a row per item and group
    instead of per item, partner and day: a year answers as fast as a week)."""
    kept = period_activity(filters)
    if kept is not None:
        totals = (
            kept.values("kind", "item_id")
            .annotate(
                views=Sum("views"),
                downloads=Sum("downloads"),
                partners=Sum("partners"),
                impressions=Sum("impressions"),
                clicks=Sum("clicks"),
            )
            .annotate(click_through_rate=_click_through_rate())
        )
    else:
        totals = _totals(content_activity(filters), "kind", "item_id")
    return with_row_count(_ordered(totals, ordering, ("kind", "item_id")))


def deleted_title(item_id: int) -> str:
    return f"(deleted item #{item_id})"


def with_titles(rows) -> list[dict]:
    """``rows`` (dicts with ``kind`` and ``item_id``) with each item's ``title`` and whether it is ``deleted``:
    one query per kind among the rows. An item deleted since, or of an unknown kind, shows "(deleted item #id)"."""
    rows = list(rows)
    ids_by_kind = defaultdict(set)
    for row in rows:
        ids_by_kind[row["kind"]].add(row["item_id"])
    titles = {}
    for kind, ids in ids_by_kind.items():
        model = KIND_MODELS.get(kind)
        if model is not None:
            for pk, title in model._default_manager.filter(pk__in=ids).order_by().values_list("pk", "title"):
                titles[kind, pk] = title
    for row in rows:
        title = titles.get((row["kind"], row["item_id"]))
        row["deleted"] = title is None
        row["title"] = deleted_title(row["item_id"]) if title is None else title
    return rows


def item_title(kind: str, item_id: int) -> str | None:
    """The title of one item, or ``None`` when it is deleted (or the kind unknown)."""
    model = KIND_MODELS.get(kind)
    if model is None:
        return None
    return model._default_manager.filter(pk=item_id).values_list("title", flat=True).order_by().first()


# --- one item ------------------------------------------------------------------------------------


@dataclass
class ItemBreakdown:
    """One item's figures over a period: in all, by tier, by region (most viewed first) and by day (every day
    of the period, zeros included)."""

    totals: dict
    by_tier: list[dict]
    by_region: list[dict]
    by_day: list[dict]


def _empty_totals() -> dict:
    return {"views": 0, "downloads": 0, "partners": 0, "impressions": 0, "clicks": 0, "click_through_rate": None}


def item_breakdown(filters: ContentFilters, *, kind: str, item_id: int) -> ItemBreakdown:
    """One item's figures (four queries on the rollup's (kind, item, day) index, whatever the period).

    ``filters``' kind, tier and region do not apply: the breakdown is by tier and by region."""
    rows = content_activity(
        ContentFilters(filters.start, filters.end, include_test_partners=filters.include_test_partners)
    ).filter(kind=kind, item_id=item_id)
    totals = rows.aggregate(
        views=Sum("views", default=0),
        downloads=Sum("downloads", default=0),
        partners=Count("partner_id", distinct=True),
        impressions=Sum("impressions", default=0),
        clicks=Sum("clicks", default=0),
    )
    totals["click_through_rate"] = totals["clicks"] / totals["impressions"] if totals["impressions"] else None
    by_tier = _ordered(_totals(rows, "tier_id", "tier__name", "tier__rank"), "-views", ("-tier__rank", "tier_id"))
    by_region = _ordered(_totals(rows, "region_id", "region__name"), "-views", ("region__name", "region_id"))
    daily = {row["day"]: row for row in rows.values("day").annotate(views=Sum("views"), downloads=Sum("downloads"))}
    by_day = [
        {"day": day, "views": daily.get(day, {}).get("views", 0), "downloads": daily.get(day, {}).get("downloads", 0)}
        for day in filters.days
    ]
    return ItemBreakdown(totals=totals, by_tier=list(by_tier), by_region=list(by_region), by_day=by_day)


# --- what partners did not find ------------------------------------------------------------------


def unfound_assets(filters: ContentFilters) -> QuerySet:
    """Assets shown in search results in the period and never opened from them (impressions, no clicks), most
    impressions first: ``item_id``, ``impressions``, ``partners`` (distinct partners shown it) and ``views``
    (opened another way), and ``row_count`` (how many in all). ``filters``' kind does not apply. Dicts with
    ``kind``, not yet sliced."""
    assets = ContentFilters(
        filters.start,
        filters.end,
        kind="asset",
        tier_id=filters.tier_id,
        region_id=filters.region_id,
        include_test_partners=filters.include_test_partners,
    )
    kept = period_activity(assets)
    if kept is not None:
        unfound = (
            kept.values("kind", "item_id")
            .annotate(
                partners=Sum("partners_shown"),
                impressions=Sum("impressions"),
                clicks=Sum("clicks"),
                views=Sum("views"),
            )
            .filter(impressions__gt=0, clicks=0)
            .order_by("-impressions", "item_id")
        )
        return with_row_count(unfound)
    rows = content_activity(assets)
    unfound = (
        rows.values("kind", "item_id")
        .annotate(
            # First: its condition is on the rows' impressions, before the total of that name is annotated.
            partners=Count("partner_id", distinct=True, filter=Q(impressions__gt=0)),
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
            views=Sum("views"),
        )
        .filter(impressions__gt=0, clicks=0)
        .order_by("-impressions", "item_id")
    )
    return with_row_count(unfound)


def searches_without_results(filters: ContentFilters) -> QuerySet:
    """What partners searched for in the period and found nothing, by text, most often first: ``normalized``,
    ``without_results`` (searches that found nothing), ``searches`` (all searches of the text) and ``partners``
    (distinct partners whose search of it found nothing), and ``row_count`` (how many texts in all).
    ``filters``' tier and region are the partner's now (search terms are rolled up by partner only); its kind does
    not apply. Dicts, not yet sliced."""
    terms = DailySearchTerm.objects.between(filters.start, filters.end)
    if not filters.include_test_partners:
        terms = terms.of_real_partners()
    if filters.tier_id:
        terms = terms.filter(partner__tier_id=filters.tier_id)
    if filters.region_id:
        terms = terms.filter(partner__region_id=filters.region_id)
    terms = (
        terms.order_by()
        .values("normalized")
        .annotate(
            # First: its condition is on the rows' searches, before the total of that name is annotated.
            partners=Count("partner_id", distinct=True, filter=Q(without_results__gt=0)),
            without_results=Sum("without_results"),
            searches=Sum("searches"),
        )
        .filter(without_results__gt=0)
        .order_by("-without_results", "normalized")
    )
    return with_row_count(terms)
