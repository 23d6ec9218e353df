"""The daily rollups: one day's raw records become the rows every analytics screen reads, and again on demand."""

from datetime import date, datetime, timedelta
from io import StringIO

from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

import pytest

from accounts.factories import SignInEventFactory
from analytics.models import (
    ContentPeriodActivity,
    DailyContentActivity,
    DailyPartnerActivity,
    DailySearchTerm,
    DailyUserActivity,
    PartnerScore,
    PartnerWindowActivity,
    RollupRun,
)
from analytics.selectors.content import ContentFilters, item_totals
from analytics.selectors.engagement import Period, engagement
from analytics.services import roll_up_day, roll_up_due
from analytics.tasks import roll_up_analytics
from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from cms.factories import AssetFactory, BulletinFactory, ContentViewFactory
from cms.models import BulletinAcknowledgement, Download
from courses.factories import CourseFactory, EnrollmentFactory
from courses.models import Enrollment
from partners.factories import (
    PartnerFactory,
    RegionFactory,
    RoleFactory,
    StaffUserFactory,
    TierFactory,
    partner_user,
)
from search.factories import SearchClickFactory, SearchQueryFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 10)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


@pytest.fixture
def world():
    """Acme (Gold, EMEA) with Ann and Bob; Zeta (Silver) with Zoe; a staff member; an asset and a course."""
    gold, silver = TierFactory(key="gold", rank=30), TierFactory(key="silver", rank=20)
    emea = RegionFactory(key="emea")
    acme = PartnerFactory(name="Acme", tier=gold, region=emea, created_at=at(DAY, 0) - timedelta(days=400))
    zeta = PartnerFactory(name="Zeta", tier=silver, created_at=at(DAY, 0) - timedelta(days=400))
    long_ago = at(DAY, 0) - timedelta(days=365)
    ann = partner_user(partner=acme, created_at=long_ago)
    bob = partner_user(partner=acme, created_at=long_ago)
    zoe = partner_user(partner=zeta, created_at=long_ago)
    return {
        "acme": acme,
        "zeta": zeta,
        "ann": ann,
        "bob": bob,
        "zoe": zoe,
        "staff": StaffUserFactory(),
        "asset": AssetFactory(title="Price list"),
        "course": CourseFactory(title="Onboarding"),
    }


def test_a_days_activity_is_counted_per_user_partner_item_and_search_text(world):
    ann, bob, zoe, asset, acme = world["ann"], world["bob"], world["zoe"], world["asset"], world["acme"]
    SignInEventFactory.create_batch(2, user=ann, at=at(DAY, 9))
    ContentViewFactory(user=ann, item=asset, viewed_at=at(DAY, 10))
    for _ in range(2):
        Download.objects.create(asset=asset, user=ann, partner=acme, downloaded_at=at(DAY, 11))
    found = SearchQueryFactory(
        text="price list", user=ann, partner=acme, result_count=1, results=[["asset", asset.pk]], created_at=at(DAY)
    )
    SearchClickFactory(query=found, kind="asset", item_id=asset.pk, created_at=at(DAY, 13))
    SearchQueryFactory(text="sd wan", user=ann, partner=acme, result_count=0, results=[], created_at=at(DAY))
    EnrollmentFactory(user=bob, course=world["course"], enrolled_at=at(DAY, 8), completed_at=at(DAY, 15))
    Download.objects.create(asset=asset, user=world["staff"], downloaded_at=at(DAY))  # staff: not counted
    Download.objects.create(asset=asset, user=zoe, partner=world["zeta"], downloaded_at=at(DAY + timedelta(days=1)))

    done = roll_up_day(day=DAY, now=at(DAY + timedelta(days=1), 1))

    assert (done.users, done.partners) == (2, 1)
    by_user = {row.user_id: row for row in DailyUserActivity.objects.filter(day=DAY)}
    assert set(by_user) == {ann.pk, bob.pk}
    assert (by_user[ann.pk].sign_ins, by_user[ann.pk].views, by_user[ann.pk].downloads) == (2, 1, 2)
    assert by_user[ann.pk].searches == 2
    assert by_user[bob.pk].learning == 1  # the enrolment
    acme_day = DailyPartnerActivity.objects.get(day=DAY, partner=acme)
    assert (acme_day.active_users, acme_day.downloads, acme_day.searches) == (2, 2, 2)
    assert (acme_day.searches_without_results, acme_day.enrolments, acme_day.completions) == (1, 1, 1)
    assert not DailyPartnerActivity.objects.filter(day=DAY, partner=world["zeta"]).exists()
    item = DailyContentActivity.objects.get(day=DAY, kind="asset", item_id=asset.pk, partner=acme)
    assert (item.views, item.downloads, item.impressions, item.clicks) == (1, 2, 1, 1)
    assert (item.tier, item.region) == (acme.tier, acme.region)
    terms = {row.normalized: row for row in DailySearchTerm.objects.filter(day=DAY)}
    assert (terms["price list"].searches, terms["price list"].clicks, terms["price list"].without_results) == (1, 1, 0)
    assert terms["sd wan"].without_results == 1


def test_rolling_up_a_day_again_replaces_its_rows(world):
    ann, asset, acme = world["ann"], world["asset"], world["acme"]
    first = Download.objects.create(asset=asset, user=ann, partner=acme, downloaded_at=at(DAY))
    roll_up_day(day=DAY, now=at(DAY, 18))
    assert DailyPartnerActivity.objects.get(day=DAY, partner=acme).downloads == 1
    assert RollupRun.objects.get(day=DAY).complete is False  # the day was not over

    Download.objects.create(asset=asset, user=ann, partner=acme, downloaded_at=at(DAY, 20))
    first.delete()
    Download.objects.create(asset=asset, user=ann, partner=acme, downloaded_at=at(DAY, 21))
    roll_up_day(day=DAY, now=at(DAY + timedelta(days=1), 2))

    assert DailyPartnerActivity.objects.get(day=DAY, partner=acme).downloads == 2
    assert DailyUserActivity.objects.filter(day=DAY).count() == 1
    assert DailyContentActivity.objects.get(day=DAY, item_id=asset.pk).downloads == 2
    assert RollupRun.objects.get(day=DAY).complete is True


def test_a_day_not_begun_cannot_be_rolled_up(world):
    with pytest.raises(ValueError, match="has not begun"):
        roll_up_day(day=DAY + timedelta(days=1), now=at(DAY))
    assert not RollupRun.objects.exists()


def test_the_scorecard_of_a_day_weighs_engagement_learning_certification_and_bulletins(world):
    acme, ann, bob = world["acme"], world["ann"], world["bob"]
    SignInEventFactory(user=ann, at=at(DAY - timedelta(days=40)))
    roll_up_day(day=DAY - timedelta(days=40), now=at(DAY, 1))  # Ann was active 40 days ago, inside the window
    seller = CertificationFactory(title="Seller")
    TierRequirementFactory(tier=acme.tier, certification=seller, minimum_holders=2)
    CertificateFactory(user=ann, certification=seller, issued_at=at(DAY - timedelta(days=100)))
    late = CourseFactory(title="Compliance")
    EnrollmentFactory(  # long before the window: Bob did nothing in it
        user=bob,
        course=late,
        source=Enrollment.Source.ASSIGNED,
        due_date=DAY - timedelta(days=3),
        enrolled_at=at(DAY - timedelta(days=200)),
    )
    EnrollmentFactory(user=ann, course=late, enrolled_at=at(DAY - timedelta(days=5)), completed_at=at(DAY, 9))
    notice = BulletinFactory(title="Price change", requires_acknowledgement=True)
    BulletinAcknowledgement.objects.create(bulletin=notice, user=ann, partner=acme, acknowledged_at=at(DAY, 8))

    roll_up_day(day=DAY, now=at(DAY + timedelta(days=1), 1))

    score = PartnerScore.objects.get(day=DAY, partner=acme)
    assert (score.members, score.active_users, score.last_active_on) == (2, 1, DAY)
    assert score.engagement == 50.0
    assert (score.enrolments, score.completions, score.overdue, score.learning) == (2, 1, 1, 50.0)
    assert (score.tier_met, score.certifications_held, score.certifications_required) == (False, 1, 2)
    assert score.certification == 50.0
    # The bulletin reaches both of Acme's users; Ann acknowledged it.
    assert (score.bulletins_required, score.bulletins_acknowledged, score.bulletins) == (2, 1, 50.0)
    zeta = PartnerScore.objects.get(day=DAY, partner=world["zeta"])
    assert (zeta.engagement, zeta.learning, zeta.certification, zeta.tier_met) == (0.0, None, None, None)
    assert zeta.last_active_on is None


def test_a_certificate_expiring_within_30_days_is_counted_on_each_day_it_is_held(world):
    ann, acme = world["ann"], world["acme"]
    CertificateFactory(user=ann, issued_at=at(DAY - timedelta(days=700)), expires_at=at(DAY + timedelta(days=20)))
    CertificateFactory(user=ann, issued_at=at(DAY - timedelta(days=10)), expires_at=at(DAY + timedelta(days=300)))
    CertificateFactory(user=ann, issued_at=at(DAY, 9), expires_at=at(DAY + timedelta(days=700)))

    roll_up_day(day=DAY, now=at(DAY + timedelta(days=1), 1))

    acme_day = DailyPartnerActivity.objects.get(day=DAY, partner=acme)
    assert (acme_day.certificates_issued, acme_day.certificates_expiring) == (1, 1)


def test_the_hourly_job_rolls_up_yesterday_until_final_and_today_so_far(world):
    now = at(DAY, 10)
    first = roll_up_due(now=now)
    assert [done.day for done in first] == [DAY - timedelta(days=1), DAY]
    assert RollupRun.objects.get(day=DAY - timedelta(days=1)).complete is True

    later = roll_up_due(now=now + timedelta(hours=1))
    assert [done.day for done in later] == [DAY]

    next_day = roll_up_due(now=at(DAY + timedelta(days=1), 0) + timedelta(minutes=30))
    assert [done.day for done in next_day] == [DAY, DAY + timedelta(days=1)]
    assert RollupRun.objects.get(day=DAY).complete is True


def test_beat_rolls_up_every_hour_through_the_task(world):
    entry = settings.CELERY_BEAT_SCHEDULE["roll-up-analytics"]
    assert entry["task"] == "analytics.tasks.roll_up_analytics"
    assert entry["schedule"] == 3600
    assert roll_up_analytics.delay().get() == 2  # yesterday and today


def test_the_command_backfills_days_and_refuses_bad_ranges(world):
    today = timezone.localdate()
    out = StringIO()
    call_command("roll_up_analytics", "--days", "3", "--no-progress", stdout=out)
    assert "Rolled up 3 days" in out.getvalue()
    assert set(RollupRun.objects.values_list("day", flat=True)) == {today - timedelta(days=n) for n in range(3)}

    with pytest.raises(CommandError, match="in the future"):
        call_command("roll_up_analytics", "--to", str(today + timedelta(days=1)))
    with pytest.raises(CommandError, match="is after --to"):
        call_command("roll_up_analytics", "--from", str(today), "--to", str(today - timedelta(days=1)))
    with pytest.raises(CommandError, match="either --days or --from"):
        call_command("roll_up_analytics", "--days", "2", "--from", str(today))
    with pytest.raises(CommandError, match="between 1 and 3660"):
        call_command("roll_up_analytics", "--days", "0")
    assert RollupRun.objects.count() == 3


def test_a_role_limited_bulletin_asks_only_the_users_it_reaches(world):
    acme, ann = world["acme"], world["ann"]
    sales = RoleFactory(key="sales")
    ann.partner_membership.roles.set([sales])
    BulletinFactory(title="For sales", requires_acknowledgement=True, roles=[sales])

    roll_up_day(day=timezone.localdate())

    score = PartnerScore.objects.get(day=timezone.localdate(), partner=acme)
    assert (score.bulletins_required, score.bulletins_acknowledged, score.bulletins) == (1, 0, 0.0)


def test_each_days_rollup_keeps_partners_active_users_of_the_last_7_30_90_and_365_days(world):
    ann, bob, acme = world["ann"], world["bob"], world["acme"]
    for user, days_before in ((bob, 40), (bob, 10), (ann, 0)):
        SignInEventFactory(user=user, at=at(DAY - timedelta(days=days_before)))
    for days_before in (40, 30, 10, 0):
        roll_up_day(day=DAY - timedelta(days=days_before), now=at(DAY, 23))

    windows = PartnerWindowActivity.objects.filter(day=DAY, partner=acme)
    assert {row.window_days: row.active_users for row in windows} == {7: 1, 30: 2, 90: 2, 365: 2}
    # The dashboard reads a 30-day period from the windows and a 31-day one from the days: the same people.
    from_windows = engagement(period=Period.last(30, today=DAY)).totals
    from_days = engagement(period=Period.last(31, today=DAY)).totals
    assert from_windows["active_users"].value == from_days["active_users"].value == 2
    assert (from_windows["active_users"].previous, from_windows["active_partners"].previous) == (1, 1)


def test_each_days_rollup_keeps_the_items_totals_of_the_preset_periods_ending_on_it(world):
    ann, bob, zoe, asset = world["ann"], world["bob"], world["zoe"], world["asset"]
    for user, days_before in ((ann, 20), (bob, 3), (ann, 0), (zoe, 0)):
        ContentViewFactory(user=user, item=asset, viewed_at=at(DAY - timedelta(days=days_before)))
    for days_before in (20, 3, 0):
        roll_up_day(day=DAY - timedelta(days=days_before), now=at(DAY, 23))

    kept = ContentPeriodActivity.objects.filter(day=DAY, kind="asset", item_id=asset.pk)
    assert {row.period_days: row.views for row in kept if row.tier_id == world["acme"].tier_id} == {
        7: 2,
        30: 3,
        90: 3,
        365: 3,
    }
    # Content performance reads a 30-day period from them and a 31-day one from the days: the same figures.
    kept_totals = list(item_totals(ContentFilters.last_days(30, today=DAY)))
    daily_totals = list(item_totals(ContentFilters.last_days(31, today=DAY)))
    assert [(row["item_id"], row["views"], row["partners"]) for row in kept_totals] == [(asset.pk, 4, 2)]
    assert [(row["item_id"], row["views"], row["partners"]) for row in daily_totals] == [(asset.pk, 4, 2)]
