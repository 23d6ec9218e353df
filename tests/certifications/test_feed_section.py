"""The feed section "My certifications expiring": my current certificates expiring within the reminder window."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificateFactory, CertificationFactory
from partners.factories import TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reminder_days(settings):
    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [60, 30, 7]


def certificates_expiring(client, user) -> list[dict]:
    response = client.get("/api/v1/feed", **user.headers)
    assert response.status_code == 200, response.content
    (section,) = [s for s in response.json()["sections"] if s["name"] == "certificates_expiring"]
    assert section["title"] == "My certifications expiring"
    return section["items"]


def test_my_current_certificates_expiring_within_the_first_reminder_soonest_first(client, gold_partner_user):
    user = gold_partner_user.user

    def certificate(title, days, **fields):
        certification = CertificationFactory(title=title, summary=f"About {title}")
        return CertificateFactory(user=user, certification=certification, expires_in=timedelta(days=days), **fields)

    in_50 = certificate("In 50 days", 50)
    in_5 = certificate("In 5 days", 5)
    certificate("In 90 days", 90)
    certificate("Expired", -1)
    certificate("Revoked", 10, revoked_at=timezone.now())
    certificate("Renewed", 10, superseded_at=timezone.now())
    someone_else = make_token_user(partner=user.partner_membership.partner)
    CertificateFactory(user=someone_else.user, expires_in=timedelta(days=10))

    items = certificates_expiring(client, gold_partner_user)
    assert [(i["kind"], i["id"], i["title"], i["certificate_id"]) for i in items] == [
        ("certification", in_5.certification.pk, "In 5 days", in_5.pk),
        ("certification", in_50.certification.pk, "In 50 days", in_50.pk),
    ]
    assert items[0]["summary"] == "About In 5 days"
    assert items[0]["expires_at"].startswith(in_5.expires_at.date().isoformat())


def test_certifications_i_may_not_see_are_left_out(client, gold_partner_user):
    user = gold_partner_user.user
    for certification in (
        CertificationFactory(title="Platinum only", min_tier=TierFactory(key="platinum", rank=40)),
        CertificationFactory(title="Archived", live=False, archived_at=timezone.now()),
    ):
        CertificateFactory(user=user, certification=certification, expires_in=timedelta(days=10))
    CertificateFactory(user=user, certification=CertificationFactory(title="Mine"), expires_in=timedelta(days=10))
    assert [item["title"] for item in certificates_expiring(client, gold_partner_user)] == ["Mine"]
