"""Tier compliance on a fixed data set: holders, gaps and the 30/60/90-day forecast, and the daily check's alerts."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from certifications.models import ComplianceAlert
from certifications.selectors import partners_compliance
from certifications.services import compliance_check
from partners.factories import PartnerFactory, RoleFactory, StaffUserFactory, TierFactory, partner_user
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Acme (Gold) with two seller certificates that count today, one of them gone within 60 days."""
    now = timezone.now()
    gold, platinum = (
        TierFactory(key="gold", name="Gold", rank=30),
        TierFactory(key="platinum", name="Platinum", rank=40),
    )
    manager = StaffUserFactory(email="carla.manager@vendor.test", first_name="Carla", last_name="Manager")
    acme = PartnerFactory(name="Acme", tier=gold, channel_manager=manager)
    admin = make_token_user(partner=acme, roles=[RoleFactory(key="admin")])
    seller_cert = CertificationFactory(title="Certified seller")
    engineer_cert = CertificationFactory(title="Certified engineer")
    TierRequirementFactory(tier=gold, certification=seller_cert, minimum_holders=2)
    TierRequirementFactory(tier=platinum, certification=seller_cert, minimum_holders=3)
    TierRequirementFactory(tier=platinum, certification=engineer_cert, minimum_holders=1)

    def certify(certification, expires_in_days, **membership):
        holder = partner_user(partner=acme, **membership)
        return CertificateFactory(user=holder, certification=certification, expires_in=timedelta(days=expires_in_days))

    certify(seller_cert, 400, user__first_name="Long", user__last_name="Standing")
    certify(seller_cert, 45, user__first_name="Soon", user__last_name="Expiring")  # gone within 60 days
    certify(seller_cert, 400, user__is_active=False)  # deactivated: does not count
    certify(seller_cert, 400, leaves_on=(now - timedelta(days=1)).date())  # left yesterday: does not count
    CertificateFactory(
        user=partner_user(partner=acme), certification=seller_cert, revoked_at=now, revocation_reason="Fraud"
    )
    certify(engineer_cert, -1)  # expired yesterday
    return {"admin": admin, "acme": acme, "gold": gold, "seller": seller_cert, "manager": manager, "now": now}


def test_compliance_counts_holders_gaps_and_the_forecast(client, world):
    body = client.get("/api/v1/me/partner/compliance", **world["admin"].headers).json()
    assert (body["partner"], body["tier"]) == ("Acme", "Gold")
    gold, platinum = body["tiers"]
    assert (gold["tier"], gold["is_my_tier"], gold["met"]) == ("Gold", True, True)
    (seller,) = gold["requirements"]
    assert (seller["required"], seller["holders"], seller["gap"]) == (2, 2, 0)
    assert seller["forecast"] == {"30": 2, "60": 1, "90": 1}
    assert gold["met_in"] == {"30": True, "60": False, "90": False}
    assert gold["falls_below_within"] == 60  # it will fall below in 60 days: act now
    (at_risk,) = seller["at_risk"]
    assert at_risk["name"] == "Soon Expiring" and at_risk["leaves_on"] is None
    assert platinum["met"] is False and platinum["falls_below_within"] is None
    assert {r["certification"]: r["gap"] for r in platinum["requirements"]} == {
        "Certified seller": 1,
        "Certified engineer": 1,
    }


def test_a_holder_who_is_leaving_counts_until_their_last_day(client, world):
    long_standing = world["acme"].memberships.get(user__first_name="Long")
    long_standing.leaves_on = (world["now"] + timedelta(days=20)).date()
    long_standing.save()
    gold = client.get("/api/v1/me/partner/compliance", **world["admin"].headers).json()["tiers"][0]
    (seller,) = gold["requirements"]
    assert (seller["holders"], seller["forecast"]) == (2, {"30": 1, "60": 0, "90": 0})
    assert gold["falls_below_within"] == 30
    assert [h["name"] for h in seller["at_risk"]] == ["Long Standing", "Soon Expiring"]  # who goes first
    assert seller["at_risk"][0]["leaves_on"] == long_standing.leaves_on.isoformat()


def test_compliance_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(5):  # more certified staff, more requirements: the same queries
        CertificateFactory(user=partner_user(partner=world["acme"]), certification=world["seller"])
    TierRequirementFactory(tier=world["gold"], certification=CertificationFactory(title="Certified engineer 2"))
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/me/partner/compliance", **world["admin"].headers)
    requirements = response.json()["tiers"][0]["requirements"]
    assert {r["certification"]: r["holders"] for r in requirements} == {
        "Certified seller": 7,
        "Certified engineer 2": 0,
    }


def test_only_partner_admins_see_compliance(client, world):
    colleague = make_token_user(partner=world["acme"])
    assert client.get("/api/v1/me/partner/compliance", **colleague.headers).status_code == 404
    assert client.get("/api/v1/me/partner/compliance").status_code == 401


def test_all_partners_compliance_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):  # more partners of the tier, none certified
        PartnerFactory(tier=world["gold"])
    PartnerFactory(tier=TierFactory(key="registered", rank=10))  # a tier without requirements: not listed
    PartnerFactory(tier=world["gold"], is_active=False)  # inactive: not listed
    with django_assert_max_num_queries(3):
        statuses = partners_compliance()
    assert len(statuses) == 6
    acme = next(s for s in statuses if s["partner"] == world["acme"])
    assert (acme["met"], acme["falls_below_within"]) == (True, 60)
    assert sum(not s["met"] for s in statuses) == 5


def test_the_daily_check_alerts_the_channel_manager_once_and_never_changes_a_tier(world, mailoutbox):
    now = world["now"]
    assert compliance_check(now=now) == {"raised": 0, "open": 0, "resolved": 0}  # Acme meets Gold today

    in_50_days = now + timedelta(days=50)  # "Soon" has expired: one holder of two
    assert compliance_check(now=in_50_days) == {"raised": 1, "open": 0, "resolved": 0}
    alert = ComplianceAlert.objects.get()
    assert (alert.partner, alert.tier, alert.resolved_at) == (world["acme"], world["gold"], None)
    assert alert.gaps == [{"certification": "Certified seller", "required": 2, "holders": 1}]
    assert alert.notified_to == ["carla.manager@vendor.test"]
    (mail,) = mailoutbox
    assert mail.to == ["carla.manager@vendor.test"]
    assert mail.subject == "Acme is below the Gold tier's certification requirements"
    assert "Certified seller: 1 of 2 certified" in mail.body

    assert compliance_check(now=in_50_days + timedelta(days=1)) == {"raised": 0, "open": 1, "resolved": 0}
    assert len(mailoutbox) == 1  # told once per fall, not every day
    world["acme"].refresh_from_db()
    assert world["acme"].tier == world["gold"]  # never changed by the check

    CertificateFactory(user=partner_user(partner=world["acme"]), certification=world["seller"])
    assert compliance_check(now=in_50_days + timedelta(days=2)) == {"raised": 0, "open": 0, "resolved": 1}
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolution == "Meets its tier's requirements again."


def test_a_partner_without_channel_manager_alerts_the_fallback_addresses(world, mailoutbox, settings):
    settings.COMPLIANCE_ALERT_FALLBACK_EMAILS = ["channel-ops@vendor.test"]
    loner = PartnerFactory(name="Loner", tier=world["gold"], channel_manager=None)
    compliance_check(now=world["now"])
    assert ComplianceAlert.objects.get(partner=loner).notified_to == ["channel-ops@vendor.test"]
    assert [m.to for m in mailoutbox] == [["channel-ops@vendor.test"]]


def test_moving_a_partner_to_a_tier_without_requirements_resolves_its_alert(world):
    loner = PartnerFactory(name="Loner", tier=world["gold"])
    compliance_check(now=world["now"])
    loner.tier = TierFactory(key="registered", rank=10)
    loner.save()
    compliance_check(now=world["now"])
    alert = ComplianceAlert.objects.get(partner=loner)
    assert alert.resolution == "The partner was deactivated or its tier has no requirements any more."


def test_moving_a_partner_to_another_tier_it_misses_resolves_the_alert_and_raises_one_for_that_tier(world):
    loner = PartnerFactory(name="Loner", tier=world["gold"])
    compliance_check(now=world["now"])
    silver = TierFactory(key="silver", rank=20)
    TierRequirementFactory(tier=silver, certification=world["seller"], minimum_holders=1)
    loner.tier = silver
    loner.save()
    assert compliance_check(now=world["now"]) == {"raised": 1, "open": 0, "resolved": 1}
    old, new = ComplianceAlert.objects.filter(partner=loner).order_by("pk")
    assert (old.tier, old.resolution, new.tier, new.resolved_at) == (
        world["gold"],
        "Moved to the Silver tier.",
        silver,
        None,
    )


def test_an_alert_whose_e_mail_failed_is_sent_by_the_next_check(world, mailoutbox, monkeypatch):
    from django.core import mail

    loner = PartnerFactory(name="Loner", tier=world["gold"], channel_manager=world["manager"])

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    with monkeypatch.context() as patch:
        patch.setattr(mail, "send_mail", broken)
        assert compliance_check(now=world["now"])["raised"] == 1  # the check goes on
    assert ComplianceAlert.objects.get(partner=loner).notified_to == []
    assert compliance_check(now=world["now"])["open"] == 1
    assert ComplianceAlert.objects.get(partner=loner).notified_to == ["carla.manager@vendor.test"]
    assert [m.subject for m in mailoutbox] == ["Loner is below the Gold tier's certification requirements"]
    compliance_check(now=world["now"])
    assert len(mailoutbox) == 1  # told once


def test_a_certification_outside_the_admin_s_audience_is_counted_never_named(client, world):
    platinum = TierFactory(key="platinum")
    secret = CertificationFactory(title="Platinum-only architect", min_tier=platinum)
    TierRequirementFactory(tier=platinum, certification=secret, minimum_holders=1)
    body = client.get("/api/v1/me/partner/compliance", **world["admin"].headers)
    assert "Platinum-only architect" not in body.content.decode()
    platinum_tier = next(t for t in body.json()["tiers"] if t["tier"] == "Platinum")
    hidden = [r for r in platinum_tier["requirements"] if r["certification"] is None]
    assert [(r["certification_id"], r["required"], r["gap"]) for r in hidden] == [(None, 1, 1)]
