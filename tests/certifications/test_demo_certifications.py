"""``load_demo``'s certifications: five, with tier requirements, certificates in every state; re-runs add nothing."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

import pytest

from certifications.models import Certificate, Certification, ComplianceAlert, TierRequirement
from partners.demo import DEMO_PARTNER_ADMIN
from partners.services import api_token_issue

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def statuses() -> dict:
    counts: dict[str, int] = {}
    for certificate in Certificate.objects.select_related("certification"):
        counts[certificate.status] = counts.get(certificate.status, 0) + 1
    return counts


@override_settings(DEBUG=True)
@pytest.mark.usefixtures("midday")
def test_load_demo_makes_certifications_certificates_and_compliance(client, mailoutbox):
    out = load_demo()
    assert "certifications: 5 created" in out
    assert Certification.objects.count() == 5
    assert all(c.is_live_for_partners() for c in Certification.objects.all())
    assert set(TierRequirement.objects.values_list("tier__key", flat=True)) == {"silver", "gold", "platinum"}
    first = statuses()
    assert {"active", "expiring", "expired", "revoked"} <= set(first)
    assert first["revoked"] == 2 and first["active"] >= 10
    assert ComplianceAlert.objects.filter(resolved_at__isnull=True).exists()
    assert mailoutbox == []  # the demo's compliance check e-mails no one

    # Acme's partner admin sees Acme meet Gold today, and fall below within 30 days.
    _token, plaintext = api_token_issue(user=get_user_model().objects.get(username=DEMO_PARTNER_ADMIN), name="test")
    body = client.get("/api/v1/me/partner/compliance", HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()
    gold = next(tier for tier in body["tiers"] if tier["is_my_tier"])
    assert (body["partner"], gold["tier"], gold["met"], gold["falls_below_within"]) == (
        "Acme Networks",
        "Gold",
        True,
        30,
    )

    again = load_demo()
    assert "certifications: 0 created, 0 updated, 5 unchanged" in again
    assert statuses() == first
