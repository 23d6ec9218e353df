"""The certification reports: tier compliance with its forecast, and the alerts of the daily check."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

import pytest

from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from certifications.services import compliance_check
from partners.factories import PartnerFactory, StaffUserFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db


def report_url(name, **params) -> str:
    url = reverse(f"certifications_reports:{name}")
    return f"{url}?{urlencode(params)}" if params else url


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def partners():
    """Gold needs two certified sellers: Acme has two for good, Brick has two but one expires in 40 days,
    Crane has none. Delta is Silver, which requires nothing."""
    gold = TierFactory(key="gold", name="Gold", rank=30)
    seller = CertificationFactory(title="Certified seller")
    TierRequirementFactory(tier=gold, certification=seller, minimum_holders=2)
    carla = StaffUserFactory(username="carla", first_name="Carla", last_name="Manager", is_superuser=False)
    acme, brick, crane = (
        PartnerFactory(name=name, tier=gold, channel_manager=carla) for name in ("Acme", "Brick", "Crane")
    )
    PartnerFactory(name="Delta", tier=TierFactory(key="silver", rank=20))
    for partner, days in ((acme, 400), (acme, 500), (brick, 400), (brick, 40)):
        CertificateFactory(user=partner_user(partner=partner), certification=seller, expires_in=timedelta(days=days))
    return {"gold": gold, "carla": carla, "crane": crane, "seller": seller}


def test_the_compliance_report_lists_partners_below_then_at_risk_then_fine(admin_client, partners):
    response = admin_client.get(report_url("compliance"))
    assert response.status_code == 200
    rows = [
        (r["partner_name"], r["state_label"], r["requirements_text"], r["gap"])
        for r in response.context["object_list"]
    ]
    assert rows == [
        ("Crane", "Below its tier", "Certified seller: 0/2", 2),
        ("Brick", "Falls below within 60 days", "Certified seller: 2/2", 0),
        ("Acme", "Meets its tier", "Certified seller: 2/2", 0),
    ]
    assert "Carla Manager" in response.content.decode()


def test_the_compliance_report_costs_a_fixed_number_of_queries(admin_client, partners, django_assert_max_num_queries):
    for n in range(20):
        partner = PartnerFactory(name=f"Extra {n}", tier=partners["gold"], channel_manager=partners["carla"])
        CertificateFactory(user=partner_user(partner=partner), certification=partners["seller"])
    with django_assert_max_num_queries(16):
        response = admin_client.get(report_url("compliance"))
    assert len(response.context["object_list"]) == 23


def test_the_compliance_report_filters_by_state_and_exports_a_column_per_certification(admin_client, partners):
    at_risk = admin_client.get(report_url("compliance", state="at_risk"))
    assert [r["partner_name"] for r in at_risk.context["object_list"]] == ["Brick"]
    platinum = TierFactory(key="platinum", name="Platinum", rank=40)
    TierRequirementFactory(tier=platinum, certification=partners["seller"], minimum_holders=3)
    engineer = CertificationFactory(title="Certified engineer")
    TierRequirementFactory(tier=platinum, certification=engineer, minimum_holders=1)
    PartnerFactory(name="Eagle", tier=platinum, channel_manager=partners["carla"])

    exported = csv_rows(admin_client.get(report_url("compliance", export="csv", state="below")))

    assert exported == [
        [
            "Partner",
            "Tier",
            "Channel manager",
            "State",
            "Certified engineer (certified of required)",
            "Certified seller (certified of required)",
            "Gap today",
            "Met in 30 days",
            "Met in 60 days",
            "Met in 90 days",
            "Holders at risk (90 days)",
        ],
        ["Eagle", "Platinum", "Carla Manager", "Below its tier", "0 of 1", "0 of 3", "4", "No", "No", "No", "0"],
        ["Crane", "Gold", "Carla Manager", "Below its tier", "", "0 of 2", "2", "No", "No", "No", "0"],
    ]
    table = admin_client.get(report_url("compliance", state="below")).content.decode()
    assert "<li>Certified engineer 0/1</li><li>Certified seller 0/3</li>" in table  # the table: a line each


def test_the_alerts_report_shows_open_alerts_and_who_was_told(admin_client, partners):
    partners["carla"].email = "carla@vendor.test"
    partners["carla"].save()
    compliance_check()
    response = admin_client.get(report_url("alerts"))
    (alert,) = response.context["object_list"]
    assert (alert.partner, alert.notified_text) == (partners["crane"], "carla@vendor.test")
    assert "Certified seller: 0 of 2" in response.content.decode()
    exported = csv_rows(admin_client.get(report_url("alerts", export="csv")))
    assert exported[1][:2] == ["Crane", "Gold"]

    compliance_check(now=timezone.now() + timedelta(days=45))  # Brick's second seller has expired
    assert [a.partner.name for a in admin_client.get(report_url("alerts")).context["object_list"]] == [
        "Brick",
        "Crane",
    ]
    resolved = admin_client.get(report_url("alerts", status="resolved"))
    assert list(resolved.context["object_list"]) == []


def test_the_alerts_report_says_why_no_one_was_told(admin_client, partners, settings):
    settings.COMPLIANCE_ALERT_FALLBACK_EMAILS = []
    partners["carla"].email = ""
    partners["carla"].save()
    compliance_check()  # Carla, Crane's channel manager, has no e-mail address
    (alert,) = admin_client.get(report_url("alerts")).context["object_list"]
    assert alert.notified_text == (
        "No one: its channel manager has no e-mail address or is inactive, and no fallback address is set"
    )
    partners["crane"].channel_manager = None
    partners["crane"].save()
    (alert,) = admin_client.get(report_url("alerts")).context["object_list"]
    assert alert.notified_text == "No one: the partner has no channel manager, and no fallback address is set"

    settings.COMPLIANCE_ALERT_FALLBACK_EMAILS = ["channel@vendor.test"]  # someone to tell, not told yet
    (alert,) = admin_client.get(report_url("alerts")).context["object_list"]
    assert alert.notified_text == "No one yet: the next daily check e-mails channel@vendor.test"
    compliance_check()
    (alert,) = admin_client.get(report_url("alerts")).context["object_list"]
    assert alert.notified_text == "channel@vendor.test"


def test_the_reports_need_their_view_permissions(client, partners):
    editor = StaffUserFactory(username="editor", is_superuser=False)
    editor.groups.add(group := Group.objects.create(name="Channel team"))
    Permission.objects.get(codename="access_admin").group_set.add(group)
    client.force_login(editor)
    assert client.get(report_url("compliance")).status_code == 302  # back to the dashboard
    group.permissions.add(Permission.objects.get(codename="view_tierrequirement"))
    assert client.get(report_url("compliance")).status_code == 200
    assert client.get(report_url("alerts")).status_code == 302


def test_the_compliance_table_lists_each_requirement_on_its_own_line_and_the_forecast_in_one_column(
    admin_client, partners
):
    html = admin_client.get(report_url("compliance")).content.decode()
    assert '<ul class="partnerhub-cell-list"><li>Certified seller 0/2</li></ul>' in html
    assert "Met in 30 / 60 / 90 days" in html and "No / No / No" in html
    assert 'class="partnerhub-name' in html  # names never broken inside a word (cms/admin/reports.css)
