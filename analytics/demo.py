"""``load_demo``'s step of analytics: 90 days of what the demo's partner users did, then rolled up as the worker does.

The other apps' demos leave courses taken and certificates earned over months; what partners do
every day (signing in, reading, acknowledging, downloading, searching) is made here,
seeded, so every chart and scorecard has something to show on the first visit:

* each partner gets an engagement level of its own (some busy, most middling, a few quiet), and
  its users (but about a third who never came back) sign in on that share of days, read one to
  three items they may see, acknowledge required bulletins, sometimes download an asset and
  search the library (the searches' results are items they may see; a few texts find nothing,
  a few results are never opened);
* Coho Networks has done nothing for 45 days and Bellows Group for 35, and Wide World Networks has
  an assigned course ten days overdue (exceptions in the scorecards);
* then every day of the 90 is rolled up (``roll_up_day``), as the hourly job would have done.

A re-run on a database that already has the records rolls up again and adds nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import SignInEvent, SignInEventType, SignInMethod
from cms.models import Asset, Bulletin, BulletinAcknowledgement, ContentView, Download, Program
from core.demo import DemoRun
from courses.models import Course, CourseAssignment
from courses.services.assignments import course_assignment_apply
from partners.demo import DEMO_PARTNER_ADMIN, DEMO_PARTNER_USER
from partners.models import Partner, PartnerMembership
from search.models import SearchClick, SearchQuery

from .services import roll_up_day

DAYS = 90
#: Partners quiet for a while: key -> days since anyone of theirs did anything.
DORMANT = {"coho-networks": 45, "bellows-group": 35}
#: A partner with an assigned course past its due date (an exception in the scorecards).
OVERDUE_PARTNER = "wide-world-networks"
FINDING = ["edge firewall", "pricing", "sd-wan", "battlecard", "case study", "renewal", "secure access", "deck"]
#: The demo's own sign-ins (``partners.demo``) are regulars: what the README's walkthroughs show has history.
ALWAYS = {DEMO_PARTNER_ADMIN, DEMO_PARTNER_USER}
NOTHING = ["firewal 9 launch kit", "mdf claim form", "quantum vpn", "kubernetes operator"]


def demo_activity(run: DemoRun) -> None:
    overdue = _overdue_assignment(today=run.today)
    if overdue:
        run.summary.append(f"analytics: {overdue}")
    if not ContentView.objects.exists():
        made = _make_activity(rng=random.Random(20), today=run.today)
        run.summary.append(f"analytics: {made} records of partner activity over {DAYS} days")
    for offset in range(DAYS - 1, -1, -1):
        roll_up_day(day=run.today - timedelta(days=offset))
    run.summary.append(f"analytics: {DAYS} days rolled up (Reports: Engagement, Partner scorecards, Content)")


def _make_activity(*, rng: random.Random, today) -> int:
    memberships = list(
        PartnerMembership.objects.filter(user__is_active=True, partner__is_active=True).select_related(
            "user", "partner"
        )
    )
    levels = {m.partner_id: rng.choice((0.03, 0.08, 0.08, 0.15, 0.15, 0.3)) for m in memberships}
    # Some users never come back after their first visit: a partner's engagement is the share who do.
    never = {m.user_id for m in memberships if rng.random() < 0.3 and m.user.username not in ALWAYS}
    visible = {m.user_id: _visible_items(m.user) for m in memberships}
    required = set(Bulletin.objects.filter(requires_acknowledgement=True).values_list("pk", flat=True))
    sign_ins, views, downloads, searches, clicks = [], [], [], [], []
    acknowledged: dict[tuple[int, int], BulletinAcknowledgement] = {}
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset - 1)
        for membership in memberships:
            user, partner = membership.user, membership.partner
            if user.pk in never or DORMANT.get(partner.key, 0) >= offset or rng.random() > levels[partner.pk]:
                continue
            items = visible[user.pk]
            moment = timezone.make_aware(datetime.combine(day, time(8))) + timedelta(minutes=rng.randrange(600))
            sign_ins.append(
                SignInEvent(
                    at=moment,
                    event=SignInEventType.SIGN_IN_SUCCEEDED,
                    user=user,
                    identifier=user.email,
                    partner=partner,
                    method=SignInMethod.PASSWORD,
                    ip_address="198.51.100.20",
                    user_agent="Mozilla/5.0 (demo)",
                )
            )
            for kind, item_id in rng.sample(items, min(len(items), rng.randint(1, 3))):
                views.append(ContentView(kind=kind, item_id=item_id, user=user, partner=partner, viewed_at=moment))
            for kind, item_id in items:
                due = kind == "bulletin" and item_id in required and (user.pk, item_id) not in acknowledged
                if due and rng.random() < 0.5:
                    acknowledged[(user.pk, item_id)] = BulletinAcknowledgement(
                        bulletin_id=item_id, user=user, partner=partner, acknowledged_at=moment
                    )
            assets = [item_id for kind, item_id in items if kind == "asset"]
            if assets and rng.random() < 0.4:
                downloads.append(
                    Download(asset_id=rng.choice(assets), user=user, partner=partner, downloaded_at=moment)
                )
            if rng.random() < 0.35:
                text = rng.choice(NOTHING) if rng.random() < 0.15 else rng.choice(FINDING)
                shown = [] if text in NOTHING else rng.sample(assets, min(len(assets), 5))
                query = SearchQuery(
                    text=text,
                    normalized=text,
                    result_count=len(shown),
                    backend="database",
                    user=user,
                    partner=partner,
                    tier_id=partner.tier_id,
                    created_at=moment,
                    results=[["asset", item_id] for item_id in shown],
                )
                searches.append(query)
                if shown and rng.random() < 0.6:
                    clicks.append((query, shown[0] if rng.random() < 0.7 else rng.choice(shown)))
    SignInEvent.objects.bulk_create(sign_ins, batch_size=500)
    ContentView.objects.bulk_create(views, batch_size=500)
    Download.objects.bulk_create(downloads, batch_size=500)
    SearchQuery.objects.bulk_create(searches, batch_size=500)
    BulletinAcknowledgement.objects.bulk_create(acknowledged.values(), batch_size=500, ignore_conflicts=True)
    SearchClick.objects.bulk_create(
        [
            SearchClick(query=query, kind="asset", item_id=item_id, position=1, created_at=query.created_at)
            for query, item_id in clicks
        ],
        batch_size=500,
    )
    return len(sign_ins) + len(views) + len(downloads) + len(searches) + len(clicks) + len(acknowledged)


def _overdue_assignment(*, today) -> str:
    """Wide World Networks was assigned a course six weeks ago, due ten days ago, and nobody finished it."""
    partner = Partner.objects.filter(key=OVERDUE_PARTNER).first()
    member = PartnerMembership.objects.filter(partner=partner, user__is_active=True).select_related("user").first()
    if partner is None or member is None or CourseAssignment.objects.filter(partner=partner).exists():
        return ""
    course = Course.objects.visible_to(member.user).order_by("-pk").first()
    if course is None:
        return ""
    assignment = CourseAssignment(course=course, partner=partner, due_date=today - timedelta(days=10))
    assignment.full_clean()
    assignment.save()
    enrolled = course_assignment_apply(
        assignment=assignment, now=timezone.make_aware(datetime.combine(today - timedelta(days=42), time(9)))
    )
    return f"“{course}” assigned to {partner}, due {assignment.due_date}, {enrolled} enrolled, none finished"


def _visible_items(user) -> list[tuple[str, int]]:
    """What ``user`` may open: a handful of each kind, popular ones first (lower ids), so some items stand out."""
    found = []
    for kind, model, limit in (
        ("asset", Asset, 40),
        ("program", Program, 5),
        ("bulletin", Bulletin, 5),
        ("course", Course, 5),
    ):
        ids = model.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:limit]
        found += [(kind, pk) for pk in ids]
    return found
