"""The admin as a new editor and a channel manager see it, in a real browser (issue 20's visual fixes).

* The dashboard: the hub's own search and menus, no page-site furniture, content health icons the size of the
  text; the audience tab's reach, updating as the editor changes the audience.
* "Certifications: tier compliance" at 1366 px: no column cut off, no partner name broken inside a word.

Screenshots are kept in ``.stack/screenshots`` (``admin-*.png``).
"""

from __future__ import annotations

import re

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from certifications.factories import CertificationFactory, TierRequirementFactory
from cms.factories import AssetFactory
from partners.factories import PartnerFactory, PartnerMembershipFactory, StaffUserFactory, TierFactory

from .accessibility import assert_fits_the_width

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LAPTOP = {"width": 1366, "height": 768}


def editor():
    user = StaffUserFactory(is_superuser=False, second_factor=False, username="maria")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@live_data
def test_an_editor_gets_the_hubs_dashboard_and_sees_an_audiences_reach_change(new_context, screenshot_dir):
    gold, silver = TierFactory(key="gold", name="Gold", rank=30), TierFactory(key="silver", name="Silver", rank=20)
    for n in range(3):
        PartnerMembershipFactory(partner=PartnerFactory(name=f"Gold partner {n}", tier=gold))
    for n in range(4):
        PartnerMembershipFactory(partner=PartnerFactory(name=f"Silver partner {n}", tier=silver))
    asset = AssetFactory(live=False, title="SD-WAN partner deck", expire_at=None)

    page = new_context(editor(), viewport=LAPTOP).new_page()
    page.goto("/admin/")
    expect(page.get_by_placeholder(re.compile("Search assets"))).to_be_visible()
    expect(page.get_by_text("Search all pages")).to_have_count(0)
    expect(page.get_by_role("link", name="Portal home page")).to_be_visible()
    expect(page.get_by_role("button", name="Pages")).to_have_count(0)
    heights = page.eval_on_selector_all(
        ".content-health__attention svg", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and max(heights) <= 24, heights  # the size of the text, never ~150 px
    page.screenshot(path=screenshot_dir / "admin-1-dashboard-editor.png", full_page=True)

    page.goto(f"/admin/snippets/cms/asset/edit/{asset.pk}/")
    page.get_by_role("tab", name="Audience").click()
    reach = page.locator("[data-audience-reach]")
    expect(reach).to_contain_text("reaches 7 partners and 7 partner users")
    page.select_option("select[name=min_tier]", value=str(gold.pk))
    expect(reach).to_contain_text("reaches 3 partners and 3 partner users: Gold partner 0, Gold partner 1")
    reach.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "admin-2-audience-reach.png")
    footer = page.locator("footer .button").first
    expect(footer).to_contain_text("Submit to Marketing review")  # an editor's main action


@live_data
def test_the_tier_compliance_report_fits_a_laptop_and_breaks_no_name(new_context, screenshot_dir):
    platinum = TierFactory(key="platinum", name="Platinum", rank=40)
    for title, holders in [
        ("Certified Sales Associate", 3),
        ("Certified Technical Engineer", 1),
        ("SD-WAN Sales Specialist", 1),
        ("Security Solutions Specialist", 1),
    ]:
        TierRequirementFactory(tier=platinum, certification=CertificationFactory(title=title), minimum_holders=holders)
    manager = StaffUserFactory(is_superuser=False, second_factor=False, username="carla.channel")
    for name in ("VanArsdel Solutions", "Graphic Design Group", "Relecloud Integration", "Lucerne Publishing"):
        PartnerFactory(name=name, tier=platinum, channel_manager=manager)

    page = new_context(StaffUserFactory(), viewport=LAPTOP).new_page()
    page.goto("/admin/reports/certifications/compliance/")
    expect(page.get_by_role("link", name="VanArsdel Solutions")).to_be_visible()
    assert_fits_the_width(page, where="tier compliance at 1366 px")
    names = page.eval_on_selector_all(
        "td.partnerhub-name", "els => els.map(e => [e.innerText.trim(), e.scrollWidth <= e.clientWidth + 1])"
    )
    assert names and all(fits for _name, fits in names), names
    for name, _fits in names:  # a name wraps between words only: every line is whole words of it
        cell = page.locator("td.partnerhub-name", has_text=name)
        lines = cell.evaluate(
            """el => { const range = document.createRange(); const text = el.querySelector('a') || el;
                range.selectNodeContents(text); return Array.from(range.getClientRects()).length; }"""
        )
        assert lines <= len(name.split()), (name, lines)
    page.screenshot(path=screenshot_dir / "admin-3-tier-compliance-1366.png", full_page=True)
