"""Tier compliance on a fixed data set: holders, gaps and the 30/60/90-day forecast, for partner admins only."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate, TierRequirement
from partners.factories import PartnerFactory, RoleFactory, TierFactory, partner_user
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    now = timezone.now()
    gold, platinum = (
        TierFactory(key="gold", name="Gold", rank=30),
        TierFactory(key="platinum", name="Platinum", rank=40),
    )
    acme = PartnerFactory(name="Acme", tier=gold)
    admin = make_token_user(partner=acme, roles=[RoleFactory(key="admin")])
    seller_cert = CertificationFactory(title="Certified seller")
    engineer_cert = CertificationFactory(title="Certified engineer")
    TierRequirement.objects.create(tier=gold, certification=seller_cert, minimum_holders=2)
    TierRequirement.objects.create(tier=platinum, certification=seller_cert, minimum_holders=3)
    TierRequirement.objects.create(tier=platinum, certification=engineer_cert, minimum_holders=1)

    def certify(certification, expires_in_days, **user):
        holder = partner_user(partner=acme, **user)
        return Certificate.objects.create(
            user=holder,
            certification=certification,
            partner=acme,
            issued_at=now - timedelta(days=300),
            expires_at=now + timedelta(days=expires_in_days),
        )

    certify(seller_cert, 400, user__first_name="Long")
    certify(seller_cert, 45, user__first_name="Soon")  # gone within 60 days
    certify(seller_cert, 400, user__is_active=False)  # left the partner: does not count
    revoked = certify(seller_cert, 400)
    revoked.revoked_at = now
    revoked.save()
    certify(engineer_cert, -1)  # expired yesterday
    return admin, acme


def test_compliance_counts_holders_gaps_and_the_forecast(client, world):
    admin, _acme = world
    body = client.get("/api/v1/me/partner/compliance", **admin.headers).json()
    assert (body["partner"], body["tier"]) == ("Acme", "Gold")
    gold, platinum = body["tiers"]
    assert (gold["tier"], gold["is_my_tier"], gold["met"]) == ("Gold", True, True)
    (seller,) = gold["requirements"]
    assert (seller["required"], seller["holders"], seller["gap"]) == (2, 2, 0)
    assert seller["forecast"] == {"30": 2, "60": 1, "90": 1}
    assert gold["met_in"] == {"30": True, "60": False, "90": False}  # it will fall below in 60 days
    (expiring,) = seller["expiring"]
    assert expiring["name"].startswith("Soon")
    assert platinum["met"] is False
    assert {r["certification"]: r["gap"] for r in platinum["requirements"]} == {
        "Certified seller": 1,
        "Certified engineer": 1,
    }


def test_only_partner_admins_see_compliance(client, world):
    _admin, acme = world
    colleague = make_token_user(partner=acme)
    assert client.get("/api/v1/me/partner/compliance", **colleague.headers).status_code == 404
    assert client.get("/api/v1/me/partner/compliance").status_code == 401
