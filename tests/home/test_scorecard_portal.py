"""The scorecard in My team (/team/scorecard/): a partner admin sees their own partner's score, its parts and facts,
the trend, the certification forecast and what to do next; no one else sees it, and no other partner's."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from accounts.preferences import preferences_update
from analytics.factories import PartnerScoreFactory
from analytics.models import ScorecardWeights
from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from partners.factories import PartnerFactory, RoleFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db

PAGE = "/team/scorecard/"


def text(html: str) -> str:
    """The page's words as a reader gets them: tags gone, white space folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def acme(client):
    """Acme (Gold) scored today and 30 days ago; a Gold requirement of two certified sellers, one lapsing in 45
    days. Rival is another Gold partner with a very different scorecard."""
    today = timezone.localdate()
    gold = TierFactory(key="gold", name="Gold", rank=30)
    partner = PartnerFactory(name="Acme", tier=gold)
    rival = PartnerFactory(name="Rival", tier=gold)
    admin = partner_user(partner=partner, roles=[RoleFactory(key="admin", name="Admin")])
    seller = CertificationFactory(title="Certified seller")
    TierRequirementFactory(tier=gold, certification=seller, minimum_holders=2)
    for days in (400, 45):
        CertificateFactory(user=partner_user(partner=partner), certification=seller, expires_in=timedelta(days=days))
    PartnerScoreFactory(
        partner=partner,
        day=today,
        members=12,
        active_users=9,
        sign_ins=140,
        downloads=31,
        searches=57,
        last_active_on=today,
        enrolments=8,
        completions=3,
        overdue=2,
        tier_met=True,
        tier_falls_below_within=60,
        certifications_held=2,
        certifications_required=2,
        bulletins_required=24,
        bulletins_acknowledged=21,
        engagement=75.0,
        learning=75.0,
        certification=100.0,
        bulletins=87.5,
    )  # (75 * 40 + 75 * 25 + 100 * 25 + 87.5 * 10) / 100 = 82.5
    PartnerScoreFactory(partner=partner, day=today - timedelta(days=30), engagement=50.0, learning=50.0)
    PartnerScoreFactory(
        partner=rival, day=today, members=777, active_users=3, overdue=41, engagement=0.4, last_active_on=today
    )
    client.force_login(admin)
    return {"partner": partner, "admin": admin, "rival": rival, "today": today}


def test_a_partner_admin_sees_their_score_its_parts_and_the_trend(client, acme):
    response = client.get(PAGE)
    assert response.status_code == 200
    page = text(response.content.decode())
    assert "Your score 83 of 100" in page  # 82.5, rounded
    assert "↑ up 33 points in 30 days" in page  # 50 then
    assert "Engagement 75 counts 40% of your score" in page
    assert "People 12 Active in the last 90 days 9 Sign-ins 140 Downloads 31 Searches 57" in page
    assert "Assigned courses overdue 2" in page
    assert "Required bulletins acknowledged 21 of 24" in page
    trend = response.context["trend_rows"]
    assert len(trend) == 13 and trend[-1] == (acme["today"], pytest.approx(82.5))
    assert (acme["today"] - timedelta(days=28), None) in trend  # no score that day: a dash
    assert response.content.decode().count("<polyline") == 2  # 30 days ago, and today


def test_the_page_says_what_to_do_next(client, acme):
    steps = [step.text for step in client.get(PAGE).context["next_steps"]]
    assert steps == [
        "You fall below the Gold tier within 60 days unless certificates are renewed or more people certify.",
        "2 assigned courses are overdue.",
        "3 acknowledgements of required bulletins are missing: ask your people to read and acknowledge them.",
        "3 of your 12 people have not used the portal in the last 90 days.",
    ]
    page = client.get(PAGE).content.decode()
    assert 'href="/team/compliance/">See who lapses</a>' in page


def test_the_forecast_shows_each_requirement_today_and_in_30_60_90_days(client, acme):
    response = client.get(PAGE)
    (requirement,) = response.context["forecast"]
    assert (requirement["title"], requirement["required"], requirement["holders"]) == ("Certified seller", 2, 2)
    assert requirement["forecast"] == [(30, 2), (60, 1), (90, 1)]
    assert "Certified seller 2 2 2 1 1" in text(response.content.decode())


def test_weights_the_channel_team_changes_change_the_score(client, acme):
    weights = ScorecardWeights.load()
    weights.engagement, weights.learning, weights.certification, weights.bulletins = 0, 0, 100, 0
    weights.save()
    page = text(client.get(PAGE).content.decode())
    assert "Your score 100 of 100" in page and "Engagement 75" not in page.split("What your score")[0]


def test_a_partner_user_who_is_no_admin_gets_404_and_no_tab(client, acme):
    client.force_login(partner_user(partner=acme["partner"], roles=[RoleFactory(key="sales")]))
    assert client.get(PAGE).status_code == 404
    client.force_login(acme["admin"])
    assert 'href="/team/scorecard/"' in client.get("/team/").content.decode()


def test_no_other_partners_scorecard_leaks(client, acme):
    page = text(client.get(PAGE).content.decode())
    assert "Rival" not in page and "People 777" not in page and "41 assigned courses" not in page
    rival_admin = partner_user(partner=acme["rival"], roles=[RoleFactory(key="admin")])
    client.force_login(rival_admin)
    page = text(client.get(PAGE).content.decode())
    assert "People 777" in page and "Acme" not in page and "Sign-ins 140" not in page
    assert client.get(f"{PAGE}?partner={acme['partner'].pk}").context["partner"] == acme["rival"]


def test_a_partner_not_rolled_up_yet_is_told_so(client):
    admin = partner_user(partner=PartnerFactory(name="Newcomer"), roles=[RoleFactory(key="admin")])
    client.force_login(admin)
    page = client.get(PAGE).content.decode()
    assert "Your scorecard is not ready yet" in page


def test_the_scorecard_speaks_german(client, acme):
    preferences_update(user=acme["admin"], language="de")
    page = text(client.get(PAGE).content.decode())
    assert "Ihre Punktzahl" in page and "2 zugewiesene Kurse sind überfällig." in page
    assert "Was als Nächstes zu tun ist" in page


def test_the_page_costs_the_same_queries_for_a_short_and_a_long_history(client, acme, django_assert_max_num_queries):
    client.get(PAGE)
    with django_assert_max_num_queries(40) as few:
        assert client.get(PAGE).status_code == 200
    for days in range(1, 300):
        PartnerScoreFactory(partner=acme["partner"], day=acme["today"] - timedelta(days=days + 30), engagement=40.0)
    few_count = len(few)
    with django_assert_max_num_queries(few_count):
        assert client.get(PAGE).status_code == 200
