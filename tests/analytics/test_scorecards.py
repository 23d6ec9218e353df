"""Partner scorecards in the admin: partners ranked by a score the channel team weighs, the exceptions, and one
partner's scorecard, read from the daily rollups (``PartnerScore``)."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

import pytest

from analytics.factories import PartnerScoreFactory
from analytics.models import ScorecardWeights
from partners.factories import (
    PartnerFactory,
    PartnerTypeFactory,
    RegionFactory,
    StaffUserFactory,
    TierFactory,
    staff_user_with_permissions,
)

pytestmark = pytest.mark.django_db

PERMISSION = "analytics.view_partnerscore"


def url(name, *args, **params) -> str:
    address = reverse(f"analytics_scorecards:{name}", args=args)
    return f"{address}?{urlencode(params)}" if params else address


def listed(response) -> list[tuple]:
    """The rows of a report page as a user reads them: (rank, partner, score shown)."""
    assert response.status_code == 200
    return [(row.rank, row.partner.name, round(row.score, 1)) for row in response.context["object_list"]]


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row.partner.name for row in response.context["object_list"]]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def csv_rows_of(response) -> list[list[str]]:
    """A CSV answered as a whole (a chart's), not streamed."""
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def set_weights(**weights):
    setting = ScorecardWeights.load()
    for name, value in weights.items():
        setattr(setting, name, value)
    setting.save()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(today):
    """Five partners scored today (and some 30 days ago): Gold and Silver, resellers and distributors, EMEA and
    AMER, looked after by Carla or Maria; Test Co is a test partner."""
    gold, silver = TierFactory(key="gold", name="Gold", rank=30), TierFactory(key="silver", name="Silver", rank=20)
    reseller = PartnerTypeFactory(key="reseller", name="Reseller")
    distributor = PartnerTypeFactory(key="distributor", name="Distributor")
    emea, amer = RegionFactory(key="emea", name="EMEA"), RegionFactory(key="amer", name="AMER")
    carla = StaffUserFactory(username="carla", first_name="Carla", last_name="Channel", is_superuser=False)
    maria = StaffUserFactory(username="maria", first_name="Maria", last_name="Manager", is_superuser=False)
    partners = {}
    for name, tier, kind, region, manager in (
        ("Acme", gold, reseller, emea, carla),
        ("Brick", gold, distributor, amer, maria),
        ("Crane", silver, reseller, amer, carla),
        ("Delta", silver, distributor, emea, maria),
        ("Test Co", gold, reseller, emea, carla),
    ):
        partners[name] = PartnerFactory(
            name=name,
            tier=tier,
            partner_type=kind,
            region=region,
            channel_manager=manager,
            is_test=name == "Test Co",
        )
    # Weights 40/25/25/10. Acme: (80*40 + 50*25 + 100*10) / 75 = 72.7 (no certification requirements);
    # Brick: (60*40 + 100*25 + 100*25) / 90 = 82.2 (no bulletins); Crane: 30; Delta: (90*40 + 0*25) / 65 = 55.4.
    components = {
        "Acme": {"engagement": 80, "learning": 50, "certification": None, "bulletins": 100},
        "Brick": {"engagement": 60, "learning": 100, "certification": 100, "bulletins": None},
        "Crane": {"engagement": 30, "learning": None, "certification": None, "bulletins": None},
        "Delta": {"engagement": 90, "learning": 0, "certification": None, "bulletins": None},
        "Test Co": {"engagement": 100, "learning": 100, "certification": 100, "bulletins": 100},
    }
    rows = {
        name: PartnerScoreFactory(partner=partners[name], day=today, last_active_on=today, **values)
        for name, values in components.items()
    }
    # 30 days ago Acme scored 60 (up 12.7 since) and Brick 90 (down 7.8); Crane and Delta have no row then.
    PartnerScoreFactory(partner=partners["Acme"], day=today - timedelta(days=30), engagement=60, learning=None)
    PartnerScoreFactory(
        partner=partners["Brick"], day=today - timedelta(days=30), engagement=90, learning=90, certification=90
    )
    return {
        "partners": partners,
        "rows": rows,
        "carla": carla,
        "maria": maria,
        "gold": gold,
        "silver": silver,
        "reseller": reseller,
        "distributor": distributor,
        "emea": emea,
        "amer": amer,
    }


def test_partners_are_ranked_by_the_weighted_average_of_the_parts_that_apply(admin_client, world):
    response = admin_client.get(url("ranking"))
    assert listed(response) == [(1, "Brick", 82.2), (2, "Acme", 72.7), (3, "Delta", 55.4), (4, "Crane", 30.0)]
    html = response.content.decode()
    assert "72.7" in html and "82.2" in html
    assert '<table class="listing partnerhub-scorecards"' in html  # Wagtail's table, with closer cells


def test_a_part_that_does_not_apply_is_left_out_and_a_weight_of_zero_leaves_a_part_out(admin_client, world):
    world["rows"]["Crane"].learning = 100  # Crane now has courses: (30*40 + 100*25) / 65 = 56.9
    world["rows"]["Crane"].save()
    assert (3, "Crane", 56.9) in listed(admin_client.get(url("ranking")))
    set_weights(learning=0)  # left out: Crane 30 again, Delta 90, Acme (80*40 + 100*10) / 50, Brick (2400 + 2500) / 65
    assert listed(admin_client.get(url("ranking"))) == [
        (1, "Delta", 90.0),
        (2, "Acme", 84.0),
        (3, "Brick", 75.4),
        (4, "Crane", 30.0),
    ]


def test_changing_the_weights_changes_the_ranking_and_the_whole_trend(admin_client, world):
    set_weights(engagement=100, learning=0, certification=0, bulletins=0)
    response = admin_client.get(url("ranking"))
    assert listed(response) == [(1, "Delta", 90.0), (2, "Acme", 80.0), (3, "Brick", 60.0), (4, "Crane", 30.0)]
    trends = {row.partner.name: row.trend for row in response.context["object_list"]}
    assert trends["Acme"] == pytest.approx(20.0)  # 80 now against 60 then, both with today's weights
    assert trends["Brick"] == pytest.approx(-30.0)


def test_the_trend_is_the_change_since_30_days_before(admin_client, world):
    response = admin_client.get(url("ranking"))
    trends = {row.partner.name: row.trend for row in response.context["object_list"]}
    assert trends["Acme"] == pytest.approx(72.67 - 60.0, abs=0.01)
    assert trends["Brick"] == pytest.approx(82.22 - 90.0, abs=0.01)
    assert trends["Crane"] is None  # no row 30 days before
    html = response.content.decode()
    assert '↑ 12.7</span><span class="w-sr-only">Up 12.7 points in 30 days</span>' in html
    assert '↓ 7.8</span><span class="w-sr-only">Down 7.8 points in 30 days</span>' in html


def test_the_ranking_filters_by_tier_type_region_and_channel_manager(admin_client, world):
    assert names(admin_client.get(url("ranking", tier=world["silver"].pk))) == ["Delta", "Crane"]
    assert names(admin_client.get(url("ranking", partner_type=world["reseller"].pk))) == ["Acme", "Crane"]
    assert names(admin_client.get(url("ranking", region=world["amer"].pk))) == ["Brick", "Crane"]
    by_maria = admin_client.get(url("ranking", channel_manager=world["maria"].pk))
    assert listed(by_maria) == [(1, "Brick", 82.2), (2, "Delta", 55.4)]  # ranked among those listed
    assert names(admin_client.get(url("ranking", q="cra"))) == ["Crane"]
    assert [row.rank for row in admin_client.get(url("ranking", q="cra")).context["object_list"]] == [4]


def test_test_partners_are_left_out_unless_asked_for(admin_client, world):
    assert "Test Co" not in names(admin_client.get(url("ranking")))
    assert names(admin_client.get(url("ranking", partners="all")))[0] == "Test Co"


def test_a_channel_manager_sees_their_own_partners_first_and_can_choose_mine(client, world):
    carla = world["carla"]
    Group.objects.get(name="Editors").user_set.add(carla)  # the channel managers' group holds the permission
    client.force_login(carla)
    response = client.get(url("ranking"))
    assert listed(response) == [(2, "Acme", 72.7), (4, "Crane", 30.0), (1, "Brick", 82.2), (3, "Delta", 55.4)]
    assert names(client.get(url("ranking", channel_manager="mine"))) == ["Acme", "Crane"]
    by_score = client.get(url("ranking", ordering="score"))  # another order: no one first
    assert names(by_score) == ["Crane", "Delta", "Acme", "Brick"]


def test_the_ranking_sorts_by_a_component(admin_client, world):
    assert names(admin_client.get(url("ranking", ordering="-engagement"))) == ["Delta", "Acme", "Brick", "Crane"]
    assert names(admin_client.get(url("ranking", ordering="-learning"))) == ["Brick", "Acme", "Delta", "Crane"]


def test_the_ranking_exports_csv_with_the_facts_behind_each_score(admin_client, world, today):
    rows = csv_rows(admin_client.get(url("ranking", export="csv", tier=world["gold"].pk)))
    assert rows[0][:13] == [
        "Rank",
        "Partner",
        "Tier",
        "Type",
        "Region",
        "Channel manager",
        "Score",
        "Trend (30 days)",
        "Engagement",
        "Learning",
        "Certification",
        "Bulletins",
        "Last active",
    ]
    assert rows[1][:13] == [
        "1",
        "Brick",
        "Gold",
        "Distributor",
        "AMER",
        "Maria Manager",
        "82.2",
        "-7.8",
        "60.0",
        "100.0",
        "100.0",
        "",
        today.isoformat(),
    ]
    assert rows[2][:3] == ["2", "Acme", "Gold"] and len(rows) == 3
    assert rows[0][13:16] == ["Members", "Active users (90 days)", "Sign-ins (90 days)"]
    assert rows[1][13:15] == ["10", "5"]


def test_no_scorecards_yet_says_how_to_fill_them(admin_client):
    html = admin_client.get(url("ranking")).content.decode()
    assert "No scorecards yet" in html and "roll_up_analytics --days 90" in html


# --- exceptions ----------------------------------------------------------------------------------------------


@pytest.fixture
def troubled(world, today):
    rows = world["rows"]
    rows["Acme"].last_active_on = today - timedelta(days=40)  # quiet for 40 days
    rows["Brick"].last_active_on = None  # never active
    rows["Crane"].tier_met, rows["Crane"].certifications_held, rows["Crane"].certifications_required = False, 1, 3
    rows["Crane"].overdue = 2
    rows["Delta"].tier_met, rows["Delta"].tier_falls_below_within = True, 60
    for row in rows.values():
        row.save()
    return world


def test_the_exceptions_list_each_partner_with_its_reasons(admin_client, troubled, today):
    response = admin_client.get(url("exceptions"))
    found = {row.partner.name: row.reasons_text for row in response.context["object_list"]}
    quiet_since = today - timedelta(days=40)
    assert found == {
        "Crane": "Below its tier's certification requirements (1 of 3 certified); 2 assigned courses overdue",
        "Brick": "No activity recorded",
        "Acme": f"No activity for 40 days (last active {date_format(quiet_since)})",
        "Delta": "Falls below its tier within 60 days",
    }
    assert names(response) == ["Crane", "Acme", "Brick", "Delta"]  # most reasons first, then the lowest score
    html = response.content.decode()
    assert "Warning: Falls below its tier within 60 days" in html
    assert "Maria Manager" in html  # who looks after them


def test_a_partner_quiet_for_fewer_days_than_the_setting_is_no_exception(admin_client, troubled):
    set_weights(inactive_days=45)
    assert "Acme" not in names(admin_client.get(url("exceptions")))


def test_the_exceptions_export_csv_and_put_my_own_partners_first(client, troubled):
    client.force_login(staff_user_with_permissions(PERMISSION, username="maria2"))
    rows = csv_rows(client.get(url("exceptions", export="csv")))
    assert rows[0][:6] == ["Partner", "Tier", "Type", "Region", "Channel manager", "Reasons"]
    assert rows[1][:6] == [
        "Crane",
        "Silver",
        "Reseller",
        "AMER",
        "Carla Channel",
        "Below its tier's certification requirements (1 of 3 certified); 2 assigned courses overdue",
    ]
    client.force_login(troubled["maria"])
    Group.objects.get(name="Editors").user_set.add(troubled["maria"])
    assert names(client.get(url("exceptions"))) == ["Brick", "Delta", "Crane", "Acme"]


# --- who may see them ----------------------------------------------------------------------------------------


def test_the_scorecards_need_their_view_permission(client, world):
    acme = world["partners"]["Acme"]
    client.force_login(staff_user_with_permissions(username="someone"))
    for address in (url("ranking"), url("exceptions"), url("partner", acme.pk)):
        assert client.get(address).status_code == 302  # back to the dashboard
    assert "Partner scorecards" not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(staff_user_with_permissions(PERMISSION, username="viewer"))
    for address in (url("ranking"), url("exceptions"), url("partner", acme.pk)):
        assert client.get(address).status_code == 200
    assert "Partner scorecards" in client.get(reverse("wagtailadmin_home")).content.decode()  # the Reports menu
    assert client.get(url("partner", 999999)).status_code == 404


def test_the_editors_who_look_after_partners_hold_the_permission_and_the_group_editor_offers_it(admin_client):
    from django.contrib.auth.models import Permission

    from wagtail import hooks

    permission = Permission.objects.get(content_type__app_label="analytics", codename="view_partnerscore")
    assert permission in Group.objects.get(name="Editors").permissions.all()
    offered = {p for hook in hooks.get_hooks("register_permissions") for p in hook()}
    assert permission in offered
    html = admin_client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert f'value="{permission.pk}"' in html


# --- a fixed number of queries -------------------------------------------------------------------------------


def more_partners(world, today, count):
    for n in range(count):
        partner = PartnerFactory(name=f"Extra {n:03}", tier=world["gold"], channel_manager=world["maria"])
        PartnerScoreFactory(partner=partner, day=today, engagement=n % 100, overdue=n % 2, last_active_on=None)
        PartnerScoreFactory(partner=partner, day=today - timedelta(days=30), engagement=50)


@pytest.mark.parametrize("extra", [0, 60])
def test_the_reports_cost_a_fixed_number_of_queries_whatever_the_number_of_partners(
    client, world, today, extra, django_assert_max_num_queries
):
    more_partners(world, today, extra)
    client.force_login(world["carla"])
    Group.objects.get(name="Editors").user_set.add(world["carla"])
    client.get(url("ranking"))  # the session and the settings row, once
    with django_assert_max_num_queries(19):  # 8 of them the admin's own (session, user, permissions, menu)
        response = client.get(url("ranking"))
    assert len(response.context["object_list"]) == min(50, 4 + extra)
    with django_assert_max_num_queries(20):
        response = client.get(url("ranking", q="e"))  # each row keeps its rank: one query more
    with django_assert_max_num_queries(19):
        response = client.get(url("exceptions"))
    with django_assert_max_num_queries(19):
        response = client.get(url("ranking", export="csv"))
    assert len(csv_rows(response)) == 5 + extra
    with django_assert_max_num_queries(20):
        assert client.get(url("partner", world["partners"]["Acme"].pk)).status_code == 200


# --- one partner's scorecard ---------------------------------------------------------------------------------


def test_a_partners_scorecard_shows_each_part_its_weight_the_trend_and_the_forecast(admin_client, world, today):
    from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
    from partners.factories import partner_user

    acme = world["partners"]["Acme"]
    row = world["rows"]["Acme"]
    row.overdue, row.bulletins_required, row.bulletins_acknowledged = 2, 20, 12
    row.tier_met, row.certifications_held, row.certifications_required = True, 2, 2
    row.tier_falls_below_within = 60
    row.save()
    seller = CertificationFactory(title="Certified seller")
    TierRequirementFactory(tier=world["gold"], certification=seller, minimum_holders=2)
    CertificateFactory(user=partner_user(partner=acme), certification=seller, expires_in=timedelta(days=400))
    leaving = partner_user(partner=acme, user__first_name="Lena", user__last_name="Lapse")
    CertificateFactory(user=leaving, certification=seller, expires_in=timedelta(days=45))

    response = admin_client.get(url("partner", acme.pk))

    assert response.status_code == 200
    card = response.context["scorecard"]
    assert round(card.score, 1) == 72.7 and round(card.trend, 1) == 12.7
    parts = {c.key: (c.score, c.weight, None if c.share is None else round(c.share, 2)) for c in card.components}
    assert parts == {
        "engagement": (80, 40, 0.53),
        "learning": (50, 25, 0.33),
        "certification": (None, 25, None),  # left out
        "bulletins": (100, 10, 0.13),
    }
    html = response.content.decode()
    assert "<strong data-score>72.7</strong>" in html and "↑ 12.7" in html
    assert "12 of 20" in html  # required bulletins acknowledged
    assert "Assigned courses overdue" in html and "Warning: Falls below its tier within 60 days" in html
    assert "2 assigned courses overdue" in html
    chart = response.context["chart"]
    assert len(chart.labels) == 90 and chart.labels[-1] == today
    assert chart.series[0].values[-1] == 72.7 and chart.series[0].values[-31] == 60.0
    assert chart.series[0].values[0] is None  # no row that day
    forecast = response.context["forecast"]
    assert [(r["certification"].title, r["required"], r["holders"], r["forecast"]) for r in forecast] == [
        ("Certified seller", 2, 2, [(30, 2), (60, 1), (90, 1)])
    ]
    assert "Lena Lapse" in html
    assert reverse("partners:edit", args=[acme.pk]) in html  # to the partner itself
    rows = csv_rows_of(admin_client.get(url("partner", acme.pk, csv="score-trend")))  # the chart's CSV link
    assert rows[0] == ["Day", "Score"] and len(rows) == 91
    assert rows[-1] == [today.isoformat(), "72.7"] and rows[1] == [(today - timedelta(days=89)).isoformat(), ""]
    assert admin_client.get(url("partner", acme.pk, csv="nothing")).status_code == 404


def test_a_partner_never_rolled_up_has_an_empty_scorecard(admin_client, world):
    newcomer = PartnerFactory(name="Newcomer", tier=world["gold"])
    response = admin_client.get(url("partner", newcomer.pk))
    assert response.status_code == 200
    assert "No scorecard for Newcomer yet" in response.content.decode()


# --- from the raw records to the page ------------------------------------------------------------------------


def test_the_worker_rolls_up_raw_records_into_the_figures_the_scorecard_shows(admin_client, midday, today):
    from accounts.factories import SignInEventFactory
    from analytics.services import roll_up_day
    from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
    from cms.factories import AssetFactory, BulletinFactory
    from cms.models import BulletinAcknowledgement, Download
    from courses.factories import CourseFactory
    from courses.models import Enrollment
    from partners.factories import partner_user
    from search.factories import SearchQueryFactory

    gold = TierFactory(key="gold", name="Gold", rank=30)
    acme = PartnerFactory(name="Acme", tier=gold, created_at=timezone.now() - timedelta(days=200))
    ann, bob, _quiet = (partner_user(partner=acme) for _ in range(3))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    SignInEventFactory(user=ann, at=an_hour_ago)
    SignInEventFactory(user=ann, at=an_hour_ago)
    SignInEventFactory(user=bob, at=an_hour_ago)
    Download.objects.create(asset=AssetFactory(), user=ann, partner=acme, downloaded_at=an_hour_ago)
    SearchQueryFactory(user=bob, partner=acme, created_at=an_hour_ago)
    Enrollment.objects.create(  # assigned and five days late: overdue
        user=ann,
        course=CourseFactory(),
        source=Enrollment.Source.ASSIGNED,
        due_date=today - timedelta(days=5),
        enrolled_at=an_hour_ago,
    )
    Enrollment.objects.create(user=bob, course=CourseFactory(), enrolled_at=an_hour_ago, completed_at=an_hour_ago)
    seller = CertificationFactory(title="Certified seller")
    TierRequirementFactory(tier=gold, certification=seller, minimum_holders=2)
    CertificateFactory(user=ann, certification=seller)
    bulletin = BulletinFactory(requires_acknowledgement=True)
    BulletinAcknowledgement.objects.create(bulletin=bulletin, user=ann, partner=acme, acknowledged_at=an_hour_ago)

    roll_up_day(day=today)
    response = admin_client.get(url("partner", acme.pk))

    facts = {component.key: dict(values) for component, values in response.context["components"]}
    assert facts["engagement"] == {
        "Members": 3,
        "Active users (90 days)": 2,
        "Sign-ins (90 days)": 3,
        "Downloads (90 days)": 1,
        "Searches (90 days)": 1,
    }
    assert facts["learning"] == {"Current enrolments": 2, "Completions (90 days)": 1, "Assigned courses overdue": 1}
    assert facts["certification"]["Certified for the tier"] == "1 of 2"
    assert facts["bulletins"] == {"Required bulletins acknowledged": "1 of 3"}
    scores = {c.key: c.score for c in response.context["scorecard"].components}
    assert scores == {"engagement": 66.7, "learning": 50.0, "certification": 50.0, "bulletins": 33.3}
    # (66.7 * 40 + 50 * 25 + 50 * 25 + 33.3 * 10) / 100
    assert "<strong data-score>55</strong>" in response.content.decode()
    ranking = admin_client.get(url("ranking"))
    assert listed(ranking) == [(1, "Acme", 55.0)]
    exceptions_page = admin_client.get(url("exceptions"))
    assert [row.reasons_text for row in exceptions_page.context["object_list"]] == [
        "Below its tier's certification requirements (1 of 2 certified); 1 assigned course overdue"
    ]
