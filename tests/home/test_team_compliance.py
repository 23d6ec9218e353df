"""Tier compliance in My team (/team/compliance/): the API's numbers, drawn as an SVG chart with a table."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from home.views.team.chart import forecast_chart
from partners.factories import PartnerFactory, RoleFactory, TierFactory, partner_user
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>')


@pytest.fixture
def acme(client):
    """Acme (Gold): two sellers certified today, one of them lapsing within 60 days; Platinum also needs an
    engineer certification the admin may not see (gated to the technical role)."""
    gold = TierFactory(key="gold", name="Gold", rank=30)
    platinum = TierFactory(key="platinum", name="Platinum", rank=40)
    partner = PartnerFactory(name="Acme", tier=gold)
    admin = make_token_user(partner=partner, roles=[RoleFactory(key="admin", name="Admin")])
    seller = CertificationFactory(title="Certified seller")
    engineer = CertificationFactory(title="Secret engineer", roles=[RoleFactory(key="technical")])
    TierRequirementFactory(tier=gold, certification=seller, minimum_holders=2)
    TierRequirementFactory(tier=platinum, certification=seller, minimum_holders=3)
    TierRequirementFactory(tier=platinum, certification=engineer, minimum_holders=1)

    def certify(certification, days, **membership):
        holder = partner_user(partner=partner, **membership)
        CertificateFactory(user=holder, certification=certification, expires_in=timedelta(days=days))

    certify(seller, 400, user__first_name="Long", user__last_name="Standing")
    certify(seller, 45, user__first_name="Soon", user__last_name="Expiring")
    leaving = (timezone.localdate() + timedelta(days=20)).isoformat()
    certify(engineer, 400, user__first_name="Ed", user__last_name="Engineer", leaves_on=leaving)
    client.force_login(admin.user)
    return {"admin": admin, "partner": partner, "seller": seller, "certify": certify}


def figures(page: str) -> list[str]:
    return re.findall(r"<figure.*?</figure>", page, flags=re.S)


def test_the_page_shows_the_apis_numbers_in_a_chart_and_a_table(client, acme):
    api = client.get("/api/v1/me/partner/compliance", **acme["admin"].headers).json()
    response = client.get("/team/compliance/")
    assert response.status_code == 200
    page = response.content.decode()
    charts = figures(page)
    requirements = [r for tier in api["tiers"] for r in tier["requirements"] if True]
    assert len(charts) == len(requirements) == 3
    gold = next(tier for tier in api["tiers"] if tier["is_my_tier"])
    # The own tier first, then the others, in the API's order.
    ordered = gold["requirements"] + [r for t in api["tiers"] if not t["is_my_tier"] for r in t["requirements"]]
    for figure, requirement in zip(charts, ordered, strict=True):
        rows = ROW.findall(figure)
        expected = [requirement["holders"]] + [requirement["forecast"][d] for d in ("30", "60", "90")]
        assert [int(certified) for _label, certified, _required in rows] == expected
        assert {int(required) for *_rest, required in rows} == {requirement["required"]}
        assert [label for label, *_rest in rows] == ["Today", "In 30 days", "In 60 days", "In 90 days"]
        bar_values = re.findall(r'<text class="bar-value"[^>]*>(\d+)</text>', figure)
        assert [int(value) for value in bar_values] == expected  # the chart draws the same numbers
        assert figure.count("bar bar-short") == 1 + sum(value < requirement["required"] for value in expected)
        assert '<svg class="forecast-chart"' in figure and 'role="img"' in figure and "<figcaption" in figure
        assert "<title" in figure and "<table" in figure
        for holder in requirement["at_risk"]:
            assert holder["name"] in figure
    assert gold["falls_below_within"] == 60 and "Falls below the requirements within 60 days" in page
    assert "Soon Expiring" in charts[0] and "certificate expires on" in charts[0]
    # A certification the admin may not see: counted, never named.
    assert "Secret engineer" not in page and "A certification outside what you may see" in page
    assert "Ed Engineer" in charts[2] and "leaves on" in charts[2]


def test_the_page_has_no_inline_style_or_script(client, acme):
    page = client.get("/team/compliance/").content.decode()
    assert " style=" not in page and "<style" not in page and "<script>" not in page
    assert re.search(r"\son\w+=", page) is None


def test_a_partner_user_who_is_not_an_admin_gets_404_like_the_api(client, acme):
    member = make_token_user(partner=acme["partner"], roles=[RoleFactory(key="sales")])
    client.force_login(member.user)
    assert client.get("/team/compliance/").status_code == 404
    assert client.get("/api/v1/me/partner/compliance", **member.headers).status_code == 404


def test_without_requirements_the_page_says_so(client):
    partner = PartnerFactory()
    admin = make_token_user(partner=partner, roles=[RoleFactory(key="admin")])
    client.force_login(admin.user)
    page = client.get("/team/compliance/").content.decode()
    assert "No tier has certification requirements yet." in page and "<svg" not in page


def test_the_compliance_page_costs_the_same_queries_for_few_and_many_holders(
    client, acme, django_assert_max_num_queries
):
    client.get("/team/compliance/")
    with django_assert_max_num_queries(30) as few:
        assert client.get("/team/compliance/").status_code == 200
    for days in range(10, 200, 20):
        acme["certify"](acme["seller"], days)
    few_count = len(few)  # before the next request: each request empties the query log
    client.get("/team/compliance/")  # what they added moved the identity generation: facts read anew once
    with django_assert_max_num_queries(few_count):
        assert client.get("/team/compliance/").status_code == 200


def test_the_chart_scales_to_the_largest_number_and_marks_bars_below_the_line():
    chart = forecast_chart(uid="c", required=4, today=5, forecast={"30": 4, "60": 2, "90": 0})
    assert [bar.meets for bar in chart.bars] == [True, True, False, False]
    assert [tick.value for tick in chart.ticks] == [0, 1, 2, 3, 4, 5]
    assert chart.bars[0].y == chart.ticks[-1].y  # the tallest bar reaches the top tick
    assert chart.bars[3].height == 0 and chart.bars[1].y == chart.required_y
    assert chart.summary == "4 people required. Certified: Today: 5, In 30 days: 4, In 60 days: 2, In 90 days: 0."
    big = forecast_chart(uid="d", required=30, today=12, forecast={"30": 12, "60": 12, "90": 12})
    assert [tick.value for tick in big.ticks] == [0, 10, 20, 30]
