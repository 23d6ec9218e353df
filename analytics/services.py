"""What writes analytics: rolling up one day (``roll_up_day``), what the worker rolls up each hour (``roll_up_due``).

Rolling up a day reads the raw records of that day (in ``TIME_ZONE``) and replaces every rollup
row of the day in one transaction, so a day can be rolled up again at any time (the worker does,
each hour, for today and until yesterday is final) and a failure leaves the day as it was.
Only partner users count: staff and users without a partner leave no rows.
"""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from accounts.models import SignInEvent, SignInEventType
from certifications.models import Certificate
from certifications.selectors import partners_compliance
from cms.models import Bulletin, BulletinAcknowledgement, ContentView, Download
from courses.models import Enrollment, LessonCompletion, QuizAttempt
from partners.models import Partner, PartnerMembership
from search.models import SearchClick, SearchQuery

from .models import (
    ContentPeriodActivity,
    DailyContentActivity,
    DailyPartnerActivity,
    DailySearchTerm,
    DailyUserActivity,
    PartnerScore,
    PartnerWindowActivity,
    RollupRun,
)

#: The scorecards' window: a day's score looks at the 90 days up to it.
SCORE_WINDOW_DAYS = 90
#: A certificate counts as "expiring" on a day when it ends within this many days after it.
EXPIRING_WITHIN_DAYS = 30
#: The windows whose distinct active users are kept per partner and day (``PartnerWindowActivity``).
WINDOWS = (7, 30, 90, 365)
#: The preset periods of Content performance whose totals per item are kept (``ContentPeriodActivity``).
PERIODS = (7, 30, 90, 365)
USER_METRICS = ("sign_ins", "views", "downloads", "searches", "acknowledgements", "learning")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of ``day`` and of the day after, in the hub's time zone."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


@dataclass
class RolledUp:
    day: date
    users: int
    partners: int
    items: int
    terms: int
    scores: int
    seconds: float


def roll_up_day(*, day: date, now: datetime | None = None) -> RolledUp:
    """Replace every rollup row of ``day`` with what the raw records say now (one transaction)."""
    now = now or timezone.now()
    started = time.monotonic()
    start, end = day_bounds(day)
    if start > now:
        raise ValueError(f"{day} has not begun yet: only days up to today can be rolled up.")
    members = _members_by_user(start=start, end=end)
    users = _user_activity(start=start, end=end, members=members)
    partners = _partner_activity(start=start, end=end, users=users, members=members)
    items = _content_activity(start=start, end=end)
    terms = _search_terms(start=start, end=end)
    with transaction.atomic():
        for model in (
            DailyUserActivity,
            DailyPartnerActivity,
            PartnerWindowActivity,
            ContentPeriodActivity,
            DailyContentActivity,
            DailySearchTerm,
            PartnerScore,
        ):
            model.objects.filter(day=day).delete()
        DailyUserActivity.objects.bulk_create(
            [
                DailyUserActivity(day=day, user_id=user_id, partner_id=partner_id, **counts)
                for (user_id, partner_id), counts in users.items()
            ],
            batch_size=2000,
        )
        DailyPartnerActivity.objects.bulk_create(
            [DailyPartnerActivity(day=day, partner_id=pk, **counts) for pk, counts in partners.items()],
            batch_size=2000,
        )
        roll_up_windows(day=day)
        DailyContentActivity.objects.bulk_create(items, batch_size=2000)
        roll_up_periods(day=day)
        DailySearchTerm.objects.bulk_create([DailySearchTerm(day=day, **term) for term in terms], batch_size=2000)
        scores = _partner_scores(day=day, end=min(end, now))
        PartnerScore.objects.bulk_create(scores, batch_size=2000)
        seconds = time.monotonic() - started
        RollupRun.objects.update_or_create(
            day=day, defaults={"finished_at": now, "seconds": seconds, "complete": now >= end}
        )
    return RolledUp(day, len(users), len(partners), len(items), len(terms), len(scores), seconds)


def roll_up_due(*, now: datetime | None = None, on_day=None) -> list[RolledUp]:
    """What the worker rolls up each hour: every day since the last final one (at most ``SCORE_WINDOW_DAYS``
    back, the first time only yesterday), yesterday until it is final, and today so far."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_final = RollupRun.objects.filter(complete=True, day__lt=today).aggregate(day=Max("day"))["day"]
    first = today - timedelta(days=1) if last_final is None else last_final + timedelta(days=1)
    first = max(first, today - timedelta(days=SCORE_WINDOW_DAYS))
    done = []
    day = first
    while day <= today:
        done.append(roll_up_day(day=day, now=now))
        if on_day:
            on_day(done[-1])
        day += timedelta(days=1)
    return done


# --- reading one day's raw records ---------------------------------------------------------------


def _members_by_user(*, start, end) -> dict[int, int]:
    """Each partner user's partner on the day: memberships not ended before it. (When a membership began is not
    asked: a rollup runs on the day itself, and a backfill of imported users should count their history.)"""
    return dict(PartnerMembership.objects.exclude(leaves_on__lt=start.date()).values_list("user_id", "partner_id"))


def _user_activity(*, start, end, members) -> dict[tuple[int, int], dict]:
    """``{(user id, partner id): counts}`` of the users who did anything on the day."""
    found: dict[tuple[int, int], Counter] = defaultdict(Counter)

    def add(metric, rows):
        for user_id, partner_id, count in rows:
            partner_id = partner_id or members.get(user_id)
            if user_id is not None and partner_id is not None:
                found[(user_id, partner_id)][metric] += count

    def counted(queryset, user="user_id", partner="partner_id"):
        fields = (user, partner) if partner else (user,)
        rows = queryset.order_by().values_list(*fields).annotate(count=Count("pk"))
        return rows if partner else ((user_id, None, count) for user_id, count in rows)

    add(
        "sign_ins",
        counted(SignInEvent.objects.filter(event=SignInEventType.SIGN_IN_SUCCEEDED, at__gte=start, at__lt=end)),
    )
    add("views", counted(ContentView.objects.filter(viewed_at__gte=start, viewed_at__lt=end)))
    add("downloads", counted(Download.objects.filter(downloaded_at__gte=start, downloaded_at__lt=end)))
    add("searches", counted(SearchQuery.objects.filter(created_at__gte=start, created_at__lt=end)))
    add(
        "acknowledgements",
        counted(BulletinAcknowledgement.objects.filter(acknowledged_at__gte=start, acknowledged_at__lt=end)),
    )
    add("learning", counted(Enrollment.objects.filter(enrolled_at__gte=start, enrolled_at__lt=end), partner=None))
    add(
        "learning",
        counted(LessonCompletion.objects.filter(completed_at__gte=start, completed_at__lt=end), partner=None),
    )
    add("learning", counted(QuizAttempt.objects.filter(started_at__gte=start, started_at__lt=end), partner=None))
    return {key: {metric: counts[metric] for metric in USER_METRICS} for key, counts in found.items()}


def _partner_activity(*, start, end, users, members) -> dict[int, dict]:
    """``{partner id: counts}`` of the partners with anything to count on the day."""
    partners: dict[int, Counter] = defaultdict(Counter)
    for (_user_id, partner_id), counts in users.items():
        partners[partner_id]["active_users"] += 1
        for metric in ("sign_ins", "views", "downloads", "searches", "acknowledgements"):
            partners[partner_id][metric] += counts[metric]
    for partner_id, count in (
        SearchQuery.objects.filter(created_at__gte=start, created_at__lt=end, result_count=0, partner__isnull=False)
        .order_by()
        .values_list("partner_id")
        .annotate(count=Count("pk"))
    ):
        partners[partner_id]["searches_without_results"] += count
    for field, metric in (("enrolled_at", "enrolments"), ("completed_at", "completions")):
        for user_id, count in (
            Enrollment.objects.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .order_by()
            .values_list("user_id")
            .annotate(count=Count("pk"))
        ):
            if user_id in members:
                partners[members[user_id]][metric] += count
    certificates = Certificate.objects.filter(partner__isnull=False)
    for partner_id, count in (
        certificates.filter(issued_at__gte=start, issued_at__lt=end)
        .order_by()
        .values_list("partner_id")
        .annotate(count=Count("pk"))
    ):
        partners[partner_id]["certificates_issued"] += count
    for partner_id, count in (
        _held_at(certificates, end)
        .filter(expires_at__lte=end + timedelta(days=EXPIRING_WITHIN_DAYS))
        .order_by()
        .values_list("partner_id")
        .annotate(count=Count("pk"))
    ):
        partners[partner_id]["certificates_expiring"] += count
    return {partner_id: dict(counts) for partner_id, counts in partners.items()}


@transaction.atomic
def roll_up_windows(*, day: date, windows=WINDOWS) -> int:
    """Replace each partner's distinct active users in the ``windows`` ending on ``day``, from the users' daily
    rows (``roll_up_day`` does it for the day it rolls up). Answers the rows written."""
    PartnerWindowActivity.objects.filter(day=day, window_days__in=windows).delete()
    rows = [
        PartnerWindowActivity(day=day, window_days=window, partner_id=partner_id, active_users=users)
        for window in windows
        for partner_id, users in DailyUserActivity.objects.between(day - timedelta(days=window - 1), day)
        .order_by()
        .values_list("partner_id")
        .annotate(users=Count("user_id", distinct=True))
    ]
    PartnerWindowActivity.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def roll_up_periods(*, day: date, periods=PERIODS) -> None:
    """Replace the items' totals of the ``periods`` ending on ``day`` from the daily content rows (``roll_up_day``
    does it for the day it rolls up): one ``INSERT … SELECT`` per period, grouped in the database."""
    ContentPeriodActivity.objects.filter(day=day, period_days__in=periods).delete()
    target, source = ContentPeriodActivity._meta.db_table, DailyContentActivity._meta.db_table
    partner = Partner._meta.db_table
    with connection.cursor() as cursor:
        for period in periods:
            cursor.execute(
                f"""
                INSERT INTO {target} (day, period_days, kind, item_id, tier_id, region_id, test_partners, views,
                                      downloads, impressions, clicks, partners, partners_shown)
                SELECT %s, %s, activity.kind, activity.item_id, activity.tier_id, activity.region_id,
                       partner.is_test, SUM(activity.views), SUM(activity.downloads), SUM(activity.impressions),
                       SUM(activity.clicks), COUNT(DISTINCT activity.partner_id),
                       COUNT(DISTINCT CASE WHEN activity.impressions > 0 THEN activity.partner_id END)
                FROM {source} activity JOIN {partner} partner ON partner.id = activity.partner_id
                WHERE activity.day >= %s AND activity.day <= %s
                GROUP BY activity.kind, activity.item_id, activity.tier_id, activity.region_id, partner.is_test
                """,  # noqa: S608 - table names from the models' own metadata, values as parameters
                [day, period, day - timedelta(days=period - 1), day],
            )


def _held_at(certificates, moment):
    """Certificates held at ``moment``: issued, not yet expired, revoked or replaced by a renewal."""
    return certificates.filter(issued_at__lt=moment, expires_at__gt=moment).exclude(
        Q(revoked_at__lte=moment) | Q(superseded_at__lte=moment)
    )


def _content_activity(*, start, end) -> list[DailyContentActivity]:
    """One row per item and partner with views, downloads, search impressions or clicks on the day."""
    found: dict[tuple[str, int, int], Counter] = defaultdict(Counter)
    for kind, item_id, partner_id, count in (
        ContentView.objects.filter(viewed_at__gte=start, viewed_at__lt=end, partner__isnull=False)
        .order_by()
        .values_list("kind", "item_id", "partner_id")
        .annotate(count=Count("pk"))
    ):
        found[(kind, item_id, partner_id)]["views"] += count
    for item_id, partner_id, count in (
        Download.objects.filter(downloaded_at__gte=start, downloaded_at__lt=end, partner__isnull=False)
        .order_by()
        .values_list("asset_id", "partner_id")
        .annotate(count=Count("pk"))
    ):
        found[("asset", item_id, partner_id)]["downloads"] += count
    for partner_id, results in (
        SearchQuery.objects.filter(created_at__gte=start, created_at__lt=end, partner__isnull=False)
        .exclude(results=[])
        .values_list("partner_id", "results")
        .iterator(chunk_size=5000)
    ):
        for kind, item_id in {tuple(result) for result in results or ()}:
            found[(kind, item_id, partner_id)]["impressions"] += 1
    for kind, item_id, partner_id, count in (
        SearchClick.objects.filter(created_at__gte=start, created_at__lt=end, query__partner__isnull=False)
        .order_by()
        .values_list("kind", "item_id", "query__partner_id")
        .annotate(count=Count("pk"))
    ):
        found[(kind, item_id, partner_id)]["clicks"] += count
    partners = Partner.objects.filter(pk__in={key[2] for key in found})
    places = {pk: (tier, region) for pk, tier, region in partners.values_list("pk", "tier_id", "region_id")}
    day = timezone.localdate(start)
    return [
        DailyContentActivity(
            day=day,
            kind=kind,
            item_id=item_id,
            partner_id=partner_id,
            tier_id=places[partner_id][0],
            region_id=places[partner_id][1],
            **counts,
        )
        for (kind, item_id, partner_id), counts in found.items()
        if partner_id in places
    ]


def _search_terms(*, start, end) -> list[dict]:
    """What partners' users searched for on the day, per text and partner: searches, without results, clicks."""
    queries = SearchQuery.objects.filter(created_at__gte=start, created_at__lt=end, partner__isnull=False).exclude(
        normalized=""
    )
    return [
        {
            "normalized": normalized[:200],
            "partner_id": partner_id,
            "searches": searches,
            "without_results": without_results,
            "clicks": clicks or 0,
        }
        for normalized, partner_id, searches, without_results, clicks in queries.order_by()
        .values_list("normalized", "partner_id")
        .annotate(
            searches=Count("pk", distinct=True),
            without_results=Count("pk", filter=Q(result_count=0), distinct=True),
            clicks=Count("clicks", distinct=True),
        )
    ]


# --- the scorecards ----------------------------------------------------------------------------------


def _partner_scores(*, day: date, end: datetime) -> list[PartnerScore]:
    """Every active partner's scorecard facts and component scores on ``day``, over the window up to it."""
    window_start = day - timedelta(days=SCORE_WINDOW_DAYS - 1)
    start_of_window, _ = day_bounds(window_start)
    partners = list(Partner.objects.filter(is_active=True).values_list("pk", flat=True))
    memberships = PartnerMembership.objects.filter(user__is_active=True).exclude(leaves_on__lt=day).order_by()
    members = dict(memberships.values_list("partner_id").annotate(count=Count("pk")))
    active = dict(
        DailyUserActivity.objects.between(window_start, day)
        .order_by()
        .values_list("partner_id")
        .annotate(count=Count("user_id", distinct=True))
    )
    totals = {
        row["partner_id"]: row
        for row in DailyPartnerActivity.objects.between(window_start, day)
        .order_by()
        .values("partner_id")
        .annotate(sign_ins=Sum("sign_ins"), downloads=Sum("downloads"), searches=Sum("searches"))
    }
    last_active = dict(
        DailyPartnerActivity.objects.filter(day__lte=day, active_users__gt=0)
        .order_by()
        .values_list("partner_id")
        .annotate(last=Max("day"))
    )
    learning = _learning_by_partner(day=day, end=end, start_of_window=start_of_window)
    compliance = {row["partner"].pk: row for row in partners_compliance(now=end)}
    bulletins = _bulletins_by_partner(end=end, memberships=memberships)
    scores = []
    for partner_id in partners:
        member_count = members.get(partner_id, 0)
        active_users = active.get(partner_id, 0)
        total = totals.get(partner_id, {})
        enrolments, on_track, completions, overdue = learning.get(partner_id, (0, 0, 0, 0))
        status = compliance.get(partner_id)
        held = required = 0
        if status:
            for requirement in status["requirements"]:
                held += min(requirement["holders"], requirement["required"])
                required += requirement["required"]
        to_acknowledge, acknowledged = bulletins.get(partner_id, (0, 0))
        scores.append(
            PartnerScore(
                day=day,
                partner_id=partner_id,
                members=member_count,
                active_users=active_users,
                sign_ins=total.get("sign_ins") or 0,
                downloads=total.get("downloads") or 0,
                searches=total.get("searches") or 0,
                last_active_on=last_active.get(partner_id),
                enrolments=enrolments,
                completions=completions,
                overdue=overdue,
                tier_met=status["met"] if status else None,
                tier_falls_below_within=status["falls_below_within"] if status else None,
                certifications_held=held,
                certifications_required=required,
                bulletins_required=to_acknowledge,
                bulletins_acknowledged=acknowledged,
                engagement=_percent(min(active_users, member_count), member_count),
                learning=_percent(on_track, enrolments),
                certification=_percent(held, required),
                bulletins=_percent(acknowledged, to_acknowledge),
            )
        )
    return scores


def _percent(part, whole) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _learning_by_partner(*, day, end, start_of_window) -> dict[int, tuple[int, int, int, int]]:
    """``{partner id: (current enrolments, on track, completed in the window, assigned and overdue)}`` on ``day``.

    An enrolment is on track when it is completed, or not past its due date (or has none).
    """
    enrolments = Enrollment.objects.filter(
        enrolled_at__lt=end, is_current=True, user__partner_membership__isnull=False
    ).order_by()
    done = Q(completed_at__lt=end)
    late = Q(due_date__lt=day) & ~done
    rows = enrolments.values_list("user__partner_membership__partner_id").annotate(
        total=Count("pk"),
        on_track=Count("pk", filter=~late),
        completions=Count("pk", filter=Q(completed_at__gte=start_of_window, completed_at__lt=end)),
        overdue=Count("pk", filter=late & (Q(source=Enrollment.Source.ASSIGNED) | Q(assignment__isnull=False))),
    )
    return {partner_id: (total, on_track, done_, overdue) for partner_id, total, on_track, done_, overdue in rows}


def _bulletins_by_partner(*, end, memberships) -> dict[int, tuple[int, int]]:
    """``{partner id: (bulletins times users asked to acknowledge them, acknowledgements)}``: live bulletins that
    require acknowledgement, each against the partner users its audience reaches (tier, type, region, roles)."""
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    bulletins = Bulletin.objects.live_for_partners(now=end).filter(requires_acknowledgement=True)
    for bulletin in bulletins.select_related("min_tier"):
        audience = bulletin.get_audience()
        reached = memberships.filter(partner__is_active=True)
        if audience.min_tier_rank is not None:
            reached = reached.filter(partner__tier__rank__gte=audience.min_tier_rank)
        if audience.partner_type_ids:
            reached = reached.filter(partner__partner_type_id__in=audience.partner_type_ids)
        if audience.region_ids:
            reached = reached.filter(partner__region_id__in=audience.region_ids)
        if audience.role_ids:
            reached = reached.filter(roles__in=audience.role_ids)
        for partner_id, users, acknowledged in (
            reached.values_list("partner_id")
            .annotate(
                users=Count("user_id", distinct=True),
                acknowledged=Count(
                    "user_id",
                    distinct=True,
                    filter=Q(
                        user_id__in=BulletinAcknowledgement.objects.filter(
                            bulletin=bulletin, acknowledged_at__lt=end
                        ).values("user_id")
                    ),
                ),
            )
            .order_by()
        ):
            found[partner_id][0] += users
            found[partner_id][1] += acknowledged
    return {partner_id: tuple(counts) for partner_id, counts in found.items()}
