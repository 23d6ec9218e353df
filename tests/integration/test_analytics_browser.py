"""Reports → Engagement and the admin home's engagement panel in a real browser: the charts are drawn.

The rollups of three months for a handful of partners (``analytics.factories``); the vendored Chart.js draws
every chart on its canvas (pixels drawn, not a blank box), each with its table in the page; without motion for
a reader who asks for less; the report fits a laptop's width and its charts and tiles pass axe-core.

Screenshots are kept in ``.stack/screenshots`` (``analytics-*.png``).
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from analytics.factories import DailyPartnerActivityFactory, DailyUserActivityFactory, RollupRunFactory
from partners.factories import PartnerFactory, TierFactory, UserFactory, staff_user_with_permissions

from .accessibility import assert_fits_the_width, axe_violations, violation_lines

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LAPTOP = {"width": 1366, "height": 768}
CHART_TITLES = [
    "Active partners and users",
    "Downloads and searches",
    "Learning",
    "Certificates",
    "Bulletin acknowledgements",
]

#: For each canvas: its size and how many of its pixels something was drawn on.
DRAWN_PIXELS = """canvases => canvases.map(canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) drawn++; }
    return {width: canvas.width, height: canvas.height, drawn: drawn};
})"""


def three_months_of_activity():
    """Five partners (one a test partner), active on most days, with a weekly rhythm: lines that go up and down."""
    today = timezone.localdate()
    gold = TierFactory(key="gold", name="Gold", rank=30)
    partners = [PartnerFactory(name=f"Partner {n}", tier=gold) for n in range(4)]
    partners.append(PartnerFactory(name="QA sandbox", is_test=True))
    users = {partner.pk: [UserFactory() for _ in range(4)] for partner in partners}
    for n in range(90):
        day = today - timedelta(days=n)
        wave = 1 + math.sin(n / 3.5)
        for index, partner in enumerate(partners):
            if (n + index) % 7 == 6:
                continue  # a quiet day
            active = users[partner.pk][: 1 + (n + index) % 4]
            for user in active:
                DailyUserActivityFactory(user=user, partner=partner, day=day)
            DailyPartnerActivityFactory(
                partner=partner,
                day=day,
                active_users=len(active),
                downloads=round(6 * wave) + index,
                searches=round(9 * wave) + 2,
                searches_without_results=(n + index) % 3,
                acknowledgements=(n + index) % 4,
                enrolments=(n + index) % 3,
                completions=(n + 2 * index) % 2,
                certificates_issued=1 if (n + index) % 9 == 0 else 0,
                certificates_expiring=3 + index + (n // 30),
            )
        RollupRunFactory(day=day)


def channel_manager():
    """Staff who may see the engagement dashboard, and nothing else of the hub's reports."""
    return staff_user_with_permissions("analytics.view_engagement", username="carla.channel")


def whole_page_screenshot(page, path) -> None:
    """The admin scrolls inside its main column, not the document: a viewport as tall as that column shows it all."""
    width = page.viewport_size["width"]
    height = page.evaluate("() => Math.max(document.querySelector('main').scrollHeight + 80, window.innerHeight)")
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(300)  # the charts follow their boxes' new size
    page.screenshot(path=path)


def drawn(page) -> list[dict]:
    return page.eval_on_selector_all("figure[data-analytics-chart] canvas", DRAWN_PIXELS)


@live_data
def test_the_engagement_report_draws_every_chart_with_its_table(new_context, screenshot_dir):
    three_months_of_activity()

    page = new_context(channel_manager(), viewport=LAPTOP).new_page()
    page.goto("/admin/reports/engagement/?period=90")
    expect(page.get_by_role("heading", name="Trends")).to_be_visible()
    expect(page.locator("canvas[data-chart-drawn]")).to_have_count(len(CHART_TITLES))
    page.wait_for_timeout(800)  # the drawing's animation

    titles = page.locator("figure[data-analytics-chart] .analytics-chart__title").all_inner_texts()
    assert titles == CHART_TITLES
    for canvas in drawn(page):
        assert canvas["width"] > 300 and canvas["height"] > 150, canvas
        assert canvas["drawn"] > 0.02 * canvas["width"] * canvas["height"], canvas  # lines, bars, axes: not blank
    expect(page.locator("figure[data-analytics-chart] details table")).to_have_count(len(CHART_TITLES))
    first_table = page.locator("figure[data-analytics-chart] details table").first
    expect(first_table.locator("tbody tr")).to_have_count(90)
    expect(page.locator('[data-tile="active_partners"] .analytics-tile__value')).to_have_text("4")
    assert_fits_the_width(page, where="the engagement report at 1366 px")
    ours = {"include": [[".analytics-filters"], [".analytics-tiles"], [".analytics-charts"]]}  # not Wagtail's
    violations = violation_lines(axe_violations(page, ours))
    assert not violations, violations
    whole_page_screenshot(page, screenshot_dir / "analytics-1-engagement-report.png")

    downloads = page.locator("figure[data-analytics-chart]").nth(1)
    downloads.get_by_text("Show the figures as a table").click()
    expect(downloads.locator("table")).to_be_visible()
    downloads.scroll_into_view_if_needed()
    downloads.screenshot(path=screenshot_dir / "analytics-2-chart-with-its-table.png")


@live_data
def test_a_year_is_drawn_by_week_and_without_motion_for_who_asks(new_context, screenshot_dir):
    three_months_of_activity()

    context = new_context(channel_manager(), viewport=LAPTOP)
    page = context.new_page()
    page.emulate_media(reduced_motion="reduce")
    page.goto("/admin/reports/engagement/?period=365")
    expect(page.locator("canvas[data-chart-drawn]")).to_have_count(len(CHART_TITLES))

    animations = page.eval_on_selector_all(
        "canvas[data-chart-drawn]", "canvases => canvases.map(c => Chart.getChart(c).options.animation)"
    )
    assert animations == [False] * len(CHART_TITLES)
    assert all(canvas["drawn"] > 0 for canvas in drawn(page))  # drawn at once, no animation to wait for
    expect(page.locator("figure[data-analytics-chart] thead th").first).to_have_text("Week beginning")
    whole_page_screenshot(page, screenshot_dir / "analytics-3-engagement-year-by-week.png")


@live_data
def test_the_admin_home_shows_the_last_30_days_with_a_drawn_chart(new_context, screenshot_dir):
    three_months_of_activity()

    page = new_context(channel_manager(), viewport=LAPTOP).new_page()
    page.goto("/admin/")
    panel = page.locator("#engagement-section")
    expect(panel.get_by_role("heading", name="Engagement, last 30 days")).to_be_visible()
    expect(panel.locator("canvas[data-chart-drawn]")).to_have_count(1)
    page.wait_for_timeout(800)
    (canvas,) = panel.locator("canvas").evaluate_all(DRAWN_PIXELS)
    assert canvas["drawn"] > 0.01 * canvas["width"] * canvas["height"], canvas
    expect(panel.get_by_role("link", name="See the engagement report")).to_be_visible()
    assert_fits_the_width(page, where="the dashboard at 1366 px")
    panel.screenshot(path=screenshot_dir / "analytics-4-dashboard-panel.png")
