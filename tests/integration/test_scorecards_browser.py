"""Partner scorecards in a real browser: a channel manager's ranked list and a partner's scorecard in the admin,
and a partner admin's scorecard in the portal (axe-core, the phone width).

Screenshots are kept in ``.stack/screenshots`` (``scorecards-*.png``).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from analytics.factories import PartnerScoreFactory
from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from partners.factories import (
    PartnerFactory,
    PartnerTypeFactory,
    RegionFactory,
    RoleFactory,
    StaffUserFactory,
    TierFactory,
    partner_user,
)

from .accessibility import DESKTOP, PHONE, assert_accessible, assert_fits_the_width

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LAPTOP = {"width": 1366, "height": 768}
TALL = {"width": 1366, "height": 1100}


def scored_partners():
    """Eight partners with 90 days of scores (a slow rise, a fall, a gap), two looked after by Carla."""
    today = timezone.localdate()
    gold, silver = TierFactory(key="gold", name="Gold", rank=30), TierFactory(key="silver", name="Silver", rank=20)
    reseller, msp = PartnerTypeFactory(key="reseller", name="Reseller"), PartnerTypeFactory(key="msp", name="MSP")
    emea, amer = RegionFactory(key="emea", name="EMEA"), RegionFactory(key="amer", name="Americas")
    carla = StaffUserFactory(
        username="carla.channel", first_name="Carla", last_name="Channel", is_superuser=False, second_factor=False
    )
    carla.groups.add(Group.objects.get(name="Editors"))
    maria = StaffUserFactory(username="maria", first_name="Maria", last_name="Editor", is_superuser=False)
    seller = CertificationFactory(title="Certified Sales Associate")
    TierRequirementFactory(tier=gold, certification=seller, minimum_holders=2)
    partners = []
    for index, (name, tier, kind, region, manager) in enumerate(
        [
            ("Acme Networks", gold, reseller, emea, carla),
            ("Wide World Importers", gold, msp, amer, maria),
            ("Fabrikam Residences", silver, reseller, amer, maria),
            ("Northwind Traders", silver, msp, emea, carla),
            ("Contoso Pharmaceuticals", gold, reseller, amer, maria),
            ("Tailspin Toys", silver, reseller, emea, maria),
            ("Litware Inc.", silver, msp, amer, None),
            ("Proseware Digital", gold, msp, emea, maria),
        ]
    ):
        partner = PartnerFactory(name=name, tier=tier, partner_type=kind, region=region, channel_manager=manager)
        partners.append(partner)
        for back in range(89, -1, -1):
            if index == 3 and 20 < back < 30:
                continue  # a gap: those days were not rolled up
            rise = (89 - back) * (0.3 if index % 2 else -0.2)
            PartnerScoreFactory(
                partner=partner,
                day=today - timedelta(days=back),
                members=12 + index,
                active_users=8 + index % 3,
                sign_ins=120 + 7 * index,
                downloads=30 + index,
                searches=50 + 3 * index,
                last_active_on=today - timedelta(days=45 if index == 6 else index),
                enrolments=8,
                completions=3,
                overdue=2 if index in (0, 5) else 0,
                tier_met=tier == silver or index != 4,
                tier_falls_below_within=60 if index == 0 else None,
                certifications_held=2 if index != 4 else 1,
                certifications_required=2 if tier == gold else 0,
                bulletins_required=24,
                bulletins_acknowledged=18 + index % 6,
                engagement=min(100.0, max(0.0, 55 + 5 * index + rise)),
                learning=min(100.0, max(0.0, 70 - 4 * index + rise / 2)),
                certification=(100.0 if index != 4 else 50.0) if tier == gold else None,
                bulletins=round(100 * (18 + index % 6) / 24, 1),
            )
    acme = partners[0]
    for days in (400, 45):
        CertificateFactory(user=partner_user(partner=acme), certification=seller, expires_in=timedelta(days=days))
    return {"carla": carla, "acme": acme, "partners": partners}


@live_data
def test_a_channel_manager_reads_the_ranked_scorecards_and_a_partners_scorecard(new_context, screenshot_dir):
    world = scored_partners()
    page = new_context(world["carla"], viewport=LAPTOP).new_page()

    page.goto("/admin/reports/scorecards/")
    expect(page.get_by_role("heading", name="Partner scorecards")).to_be_visible()
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(8)
    # Carla's own partners first (Northwind, then Acme), each by score and keeping its rank among all.
    expect(rows.nth(0)).to_contain_text("Northwind Traders")
    expect(rows.nth(1)).to_contain_text("Acme Networks")
    assert_fits_the_width(page, where="partner scorecards at 1366 px")
    right = page.eval_on_selector("table.listing thead th:last-child", "el => el.getBoundingClientRect().right")
    assert right <= LAPTOP["width"], f"the last column ends at {right} px: cut off"  # "Last active" shows
    page.set_viewport_size(TALL)  # the admin scrolls inside its own panel: a tall window shows the whole page
    page.screenshot(path=screenshot_dir / "scorecards-1-ranking-1366.png", full_page=True)
    page.set_viewport_size(LAPTOP)

    page.goto("/admin/reports/scorecards/exceptions/")
    expect(page.get_by_text("Below its tier's certification requirements (1 of 2 certified)")).to_be_visible()
    expect(page.get_by_text("No activity for 45 days", exact=False)).to_be_visible()
    page.set_viewport_size(TALL)
    page.screenshot(path=screenshot_dir / "scorecards-2-exceptions-1366.png", full_page=True)
    page.set_viewport_size(LAPTOP)

    page.goto("/admin/reports/scorecards/")
    page.get_by_role("link", name="Acme Networks").click()
    expect(page.get_by_role("heading", name="What the score is made of")).to_be_visible()
    expect(page.locator("[data-forecast]")).to_contain_text("Certified Sales Associate")
    expect(page.locator("[data-reasons]")).to_contain_text("2 assigned courses overdue")
    chart = page.locator("figure[data-analytics-chart][data-chart-id='score-trend']")
    expect(chart.locator("canvas")).to_be_visible()  # drawn by charts.js, the figures in its table
    chart.get_by_text("Show the figures as a table").click()
    expect(chart.locator("tbody tr")).to_have_count(90)
    assert_fits_the_width(page, where="a partner's scorecard at 1366 px")
    page.set_viewport_size({"width": 1366, "height": 2000})
    page.screenshot(path=screenshot_dir / "scorecards-3-partner-1366.png", full_page=True)


@live_data
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "375"])
def test_a_partner_admin_reads_their_scorecard_in_the_portal(new_context, screenshot_dir, viewport):
    world = scored_partners()
    admin = partner_user(partner=world["acme"], roles=[RoleFactory(key="admin", name="Partner admin")])
    page = new_context(admin, viewport=viewport).new_page()

    page.goto("/team/scorecard/")
    expect(page.get_by_role("heading", name="Your score", exact=True)).to_be_visible()
    expect(page.locator("[data-next-steps]")).to_contain_text("2 assigned courses are overdue.")
    expect(page.locator("svg.score-line polyline")).to_have_count(1)
    assert_accessible(page, where=f"the portal scorecard at {viewport['width']} px")
    assert_fits_the_width(page, where=f"the portal scorecard at {viewport['width']} px")
    page.screenshot(path=screenshot_dir / f"scorecards-4-portal-{viewport['width']}.png", full_page=True)
