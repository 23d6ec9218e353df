"""Reports → Content performance as an editor sees it, in a real browser: the table, sorted by a click on a
column, and "Not found" with its two lists side by side on a laptop screen.

Screenshots are kept in ``.stack/screenshots`` (``content-*.png``).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from analytics.factories import DailyContentActivityFactory, DailySearchTermFactory, RollupRunFactory
from cms.factories import AssetFactory, ProgramFactory
from courses.factories import CourseFactory
from partners.factories import PartnerFactory, RegionFactory, StaffUserFactory, TierFactory

from .accessibility import assert_fits_the_width

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LAPTOP = {"width": 1366, "height": 768}


def editor():
    """Maria, of the Editors group: content performance is hers by the group's permission (migration)."""
    user = StaffUserFactory(is_superuser=False, second_factor=False, username="maria")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def content_world():
    """Three partners' month: a deck viewed and downloaded most, a datasheet shown in search and never opened, a
    program and a course; searches that found nothing."""
    today = timezone.localdate()
    gold, silver = TierFactory(key="gold", name="Gold", rank=30), TierFactory(key="silver", name="Silver", rank=20)
    emea, amer = RegionFactory(key="emea", name="EMEA"), RegionFactory(key="amer", name="AMER")
    acme = PartnerFactory(name="Acme Networks", tier=gold, region=emea)
    globex = PartnerFactory(name="Globex", tier=silver, region=amer)
    initech = PartnerFactory(name="Initech", tier=gold, region=amer)
    deck = AssetFactory(title="SD-WAN partner deck")
    sheet = AssetFactory(title="Firewall datasheet 2027")
    program = ProgramFactory(title="Market development funds")
    course = CourseFactory(title="Security basics for sellers")

    def did(item, partner, days_ago, **counts):
        DailyContentActivityFactory(
            day=today - timedelta(days=days_ago),
            kind=item._meta.model_name,
            item_id=item.pk,
            partner=partner,
            **counts,
        )

    did(deck, acme, 1, views=30, downloads=12, impressions=40, clicks=9)
    did(deck, globex, 3, views=11, downloads=4, impressions=18, clicks=5)
    did(sheet, acme, 2, views=2, impressions=25)
    did(sheet, initech, 6, impressions=14)
    did(program, initech, 4, views=19, downloads=1)
    did(course, globex, 8, views=7, impressions=6, clicks=6)
    for text, partner, count in [
        ("sd-wan pricing 2028", acme, 6),
        ("sd-wan pricing 2028", globex, 2),
        ("mdf claim form", initech, 3),
        ("partner roadmap", acme, 1),
    ]:
        DailySearchTermFactory(normalized=text, partner=partner, searches=count + 1, without_results=count)
    RollupRunFactory(day=today)
    return {"deck": deck, "sheet": sheet}


@live_data
def test_an_editor_reads_content_performance_and_what_partners_did_not_find(new_context, screenshot_dir):
    items = content_world()
    page = new_context(editor(), viewport=LAPTOP).new_page()

    page.goto("/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Content performance").click()
    expect(page.get_by_role("heading", name="Content performance")).to_be_visible()
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("SD-WAN partner deck")
    expect(rows.first).to_contain_text("24%")  # 14 clicks of 58 impressions
    expect(page.get_by_role("link", name="SD-WAN partner deck")).to_have_attribute(
        "href", f"/admin/snippets/cms/asset/edit/{items['deck'].pk}/"
    )
    assert_fits_the_width(page, where="content performance at 1366 px")
    page.screenshot(path=screenshot_dir / "content-1-performance.png", full_page=True)

    page.get_by_role("link", name="Search impressions").click()  # sort by it: fewest first
    expect(rows.first).to_contain_text("Market development funds")
    page.get_by_role("link", name="Search impressions").click()  # then most first
    expect(rows.first).to_contain_text("SD-WAN partner deck")
    expect(rows.nth(1)).to_contain_text("Firewall datasheet 2027")

    page.get_by_role("link", name="Not found").click()
    assets = page.locator("[data-unfound-assets]")
    searches = page.locator("[data-searches-without-results]")
    expect(assets).to_contain_text("Firewall datasheet 2027")
    expect(assets).to_contain_text("1 asset shown in search results and never opened from them.")
    expect(searches.locator("tbody tr").first).to_contain_text("sd-wan pricing 2028")
    expect(searches.locator("tbody tr").first).to_contain_text("8")
    left, right = assets.bounding_box(), searches.bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5, (left, right)  # side by side
    assert_fits_the_width(page, where="not found at 1366 px")
    page.screenshot(path=screenshot_dir / "content-2-not-found.png", full_page=True)
