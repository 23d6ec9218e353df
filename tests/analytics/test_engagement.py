"""Reports → Engagement and the admin home's engagement panel, from the rollup tables (``analytics.factories``).

The figures a channel team reads (tiles against the previous period, charts with their tables and CSVs), the
filters and what they refuse, who may see the report, and what it costs in queries.
"""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wagtail import hooks
from wagtail.admin.menu import reports_menu

import pytest
from bs4 import BeautifulSoup, Tag

from analytics.factories import DailyPartnerActivityFactory, DailyUserActivityFactory, RollupRunFactory
from analytics.selectors.engagement import MAX_DAYS, Period, engagement
from analytics.services import roll_up_windows
from partners.factories import (
    PartnerFactory,
    RegionFactory,
    TierFactory,
    UserFactory,
    partner_user,
    staff_user_with_permissions,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday")]

REPORT = "/admin/reports/engagement/"
MINUS = "\u2212"
STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)


def report_url(**params) -> str:
    from django.utils.http import urlencode

    return f"{REPORT}?{urlencode(params)}" if params else REPORT


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def tile(response_or_soup, key) -> dict:
    """A summary tile as a reader sees it: its figure and trend line."""
    soup = response_or_soup if isinstance(response_or_soup, Tag) else page(response_or_soup)
    found = soup.select_one(f'[data-tile="{key}"]')
    assert found is not None, f"no tile {key}"
    return {
        "label": found.select_one(".analytics-tile__label").get_text(strip=True),
        "value": found.select_one(".analytics-tile__value").get_text(strip=True),
        "trend": " ".join(found.select_one(".analytics-tile__trend").get_text().split()),
    }


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def errors(response) -> list[str]:
    soup = page(response)
    return [" ".join(e.get_text().split()) for e in soup.select(".error-message, .messages .error, .w-field__errors")]


def message_texts(response) -> list[str]:
    return [str(message.message).split("\n")[0] for message in get_messages(response.wsgi_request)]


@pytest.fixture
def acme(db):
    """A Gold partner in EMEA with two users, and a test partner: the numbers the tests read."""
    gold, emea = TierFactory(key="gold", name="Gold", rank=30), RegionFactory(key="emea", name="EMEA")
    return PartnerFactory(name="Acme", tier=gold, region=emea)


@pytest.fixture
def test_partner(db):
    return PartnerFactory(name="QA Sandbox", is_test=True)


# --- the figures ---------------------------------------------------------------------------------------------


def test_the_tiles_total_the_period_with_distinct_partners_and_users_and_leave_test_partners_out(
    admin_client, acme, test_partner
):
    ann, bob = UserFactory(), UserFactory()
    for n, downloads in ((0, 5), (3, 7), (29, 1)):
        DailyPartnerActivityFactory(
            partner=acme, day=days_ago(n), active_users=2, downloads=downloads, searches=10, searches_without_results=2
        )
    for n in (0, 3):  # Ann active twice: one active user
        DailyUserActivityFactory(user=ann, partner=acme, day=days_ago(n))
    DailyUserActivityFactory(user=bob, partner=acme, day=days_ago(3))
    DailyPartnerActivityFactory(partner=acme, day=days_ago(30), downloads=1000)  # the day before the period
    DailyPartnerActivityFactory(partner=test_partner, day=days_ago(1), downloads=500, active_users=1)
    DailyUserActivityFactory(partner=test_partner, day=days_ago(1))

    soup = page(admin_client.get(REPORT))

    assert tile(soup, "active_partners")["value"] == "1"
    assert tile(soup, "active_users")["value"] == "2"
    assert tile(soup, "downloads")["value"] == "13"
    assert tile(soup, "searches")["value"] == "30"
    assert tile(soup, "searches_without_results")["value"] == "6"
    assert "test partners left out" in soup.get_text()


def test_test_partners_count_when_asked_for(admin_client, acme, test_partner):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(1), downloads=2)
    DailyPartnerActivityFactory(partner=test_partner, day=days_ago(1), downloads=500)

    soup = page(admin_client.get(report_url(include_test="on")))

    assert tile(soup, "downloads")["value"] == "502"
    assert tile(soup, "active_partners")["value"] == "2"


def test_tier_type_and_region_filters_count_only_those_partners(admin_client, acme):
    silver_apac = PartnerFactory(tier=TierFactory(key="silver", rank=20), region=RegionFactory(key="apac"))
    DailyPartnerActivityFactory(partner=acme, day=days_ago(2), enrolments=3, completions=1)
    DailyPartnerActivityFactory(partner=silver_apac, day=days_ago(2), enrolments=40, completions=20)
    DailyUserActivityFactory(partner=silver_apac, day=days_ago(2))

    by_tier = page(admin_client.get(report_url(tier=acme.tier_id)))
    by_region = page(admin_client.get(report_url(region=silver_apac.region_id)))
    by_type = page(admin_client.get(report_url(partner_type=acme.partner_type_id)))

    assert (tile(by_tier, "enrolments")["value"], tile(by_tier, "completions")["value"]) == ("3", "1")
    assert tile(by_tier, "active_users")["value"] == "0"
    assert (tile(by_region, "enrolments")["value"], tile(by_region, "active_users")["value"]) == ("40", "1")
    assert tile(by_type, "enrolments")["value"] == "3"


def test_each_figure_says_how_it_changed_on_the_previous_period_of_the_same_length(admin_client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(1), downloads=150, acknowledgements=4)
    DailyPartnerActivityFactory(partner=acme, day=days_ago(8), downloads=100, acknowledgements=5)  # the week before
    DailyPartnerActivityFactory(partner=acme, day=days_ago(15), certificates_issued=9)  # two weeks ago: neither

    soup = page(admin_client.get(report_url(period=7)))

    assert tile(soup, "downloads") == {"label": "Downloads", "value": "150", "trend": "▲ +50% from 100"}
    assert tile(soup, "acknowledgements")["trend"] == f"▼ {MINUS}20% from 5"
    assert tile(soup, "active_partners")["trend"] == "no change from 1"
    assert tile(soup, "certificates_issued")["trend"] == "none in either period"
    assert " ".join(soup.select_one("[data-period]").get_text().split()) == (
        f"7 days, against the 7 days before ({date_format(days_ago(13))} to {date_format(days_ago(7))}); "
        "test partners left out."
    )
    assert (
        soup.select_one("h2.w-h2").get_text(strip=True) == f"{date_format(days_ago(6))} to {date_format(days_ago(0))}"
    )


def test_a_figure_new_in_this_period_says_there_was_none_before(admin_client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(0), completions=3)

    assert tile(admin_client.get(REPORT), "completions")["trend"] == "none in the previous period"


def test_certificates_expiring_are_those_of_the_last_day_rolled_up_not_a_sum(admin_client, acme):
    other = PartnerFactory()
    DailyPartnerActivityFactory(partner=acme, day=days_ago(2), certificates_expiring=4)
    DailyPartnerActivityFactory(partner=acme, day=days_ago(1), certificates_expiring=3)
    DailyPartnerActivityFactory(partner=other, day=days_ago(1), certificates_expiring=2)
    DailyPartnerActivityFactory(partner=acme, day=days_ago(40), certificates_expiring=8)  # the period before

    assert tile(admin_client.get(REPORT), "certificates_expiring")["value"] == "5"
    assert tile(admin_client.get(REPORT), "certificates_expiring")["trend"] == f"▼ {MINUS}38% from 8"

    RollupRunFactory(day=days_ago(0))  # today rolled up: nothing expiring any more
    assert tile(admin_client.get(REPORT), "certificates_expiring")["value"] == "0"


# --- the charts, their tables and CSVs -------------------------------------------------------------------------


def test_every_chart_is_drawn_from_its_json_with_a_spoken_summary_a_table_and_a_csv_link(admin_client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(1), downloads=4)

    soup = page(admin_client.get(report_url(period=7, tier=acme.tier_id)))

    figures = soup.select("figure[data-analytics-chart]")
    titles = [figure.select_one(".analytics-chart__title").get_text(strip=True) for figure in figures]
    assert titles == [
        "Active partners and users",
        "Downloads and searches",
        "Learning",
        "Certificates",
        "Bulletin acknowledgements",
    ]
    downloads = figures[1]
    canvas = downloads.select_one("canvas")
    assert canvas["role"] == "img"
    assert canvas["aria-label"].startswith("Downloads and searches. Line chart of Downloads, Searches and Searches")
    assert "The figures are in the table that follows." in canvas["aria-label"]
    config = soup.find("script", id=canvas["data-chart-config"])
    assert config["type"] == "application/json"
    assert '"type": "line"' in config.string and '"#0072B2"' in config.string
    table = downloads.select_one("details table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == [
        "Day",
        "Downloads",
        "Searches",
        "Searches without results",
    ]
    assert len(table.select("tbody tr")) == 7
    assert downloads.select_one("details summary").get_text(strip=True) == "Show the figures as a table"
    certificates = figures[3].select_one("canvas")
    assert certificates["aria-label"].startswith("Certificates. Bar and line chart of Issued and Expiring within 30")
    assert '"label": "Expiring within 30 days", "data": [0, 0, 0, 0, 0, 0, 0], "color": "#D55E00", "type": "line"' in (
        soup.find("script", id=certificates["data-chart-config"]).string
    )
    link = downloads.select_one(".analytics-chart__csv a")
    assert link["href"] == f"{REPORT}?period=7&tier={acme.tier_id}&csv=downloads-searches"
    assert link.get_text(" ", strip=True) == "Download CSV of Downloads and searches"


def test_a_charts_csv_has_a_header_and_one_row_per_day_zeros_where_nothing_happened(admin_client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(2), downloads=4, searches=6, searches_without_results=1)

    response = admin_client.get(report_url(period=7, csv="downloads-searches"))

    rows = csv_rows(response)
    assert rows[0] == ["Day", "Downloads", "Searches", "Searches without results"]
    assert [row[0] for row in rows[1:]] == [str(days_ago(n)) for n in range(6, -1, -1)]
    assert rows[1:] == [
        [str(days_ago(n)), *(("4", "6", "1") if n == 2 else ("0", "0", "0"))] for n in range(6, -1, -1)
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="partner-hub-engagement-downloads-and-')


def test_a_custom_period_is_charted_day_by_day_with_its_filters(admin_client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(10), enrolments=2, completions=1)

    rows = csv_rows(
        admin_client.get(report_url(start=str(days_ago(12)), end=str(days_ago(9)), csv="learning", include_test="on"))
    )

    assert rows == [
        ["Day", "Enrolments", "Completions"],
        [str(days_ago(12)), "0", "0"],
        [str(days_ago(11)), "0", "0"],
        [str(days_ago(10)), "2", "1"],
        [str(days_ago(9)), "0", "0"],
    ]


def test_a_period_over_90_days_is_charted_by_week(admin_client, acme):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    ann = UserFactory()
    for day in (monday, monday + timedelta(days=1)):  # the same user twice in a week: one active user that week
        if day <= today:
            DailyUserActivityFactory(user=ann, partner=acme, day=day)
            DailyPartnerActivityFactory(partner=acme, day=day, active_users=1)
    DailyUserActivityFactory(partner=acme, day=monday - timedelta(days=7))
    DailyUserActivityFactory(partner=acme, day=monday - timedelta(days=6))
    DailyPartnerActivityFactory(partner=acme, day=monday - timedelta(days=7), downloads=3, certificates_expiring=6)
    DailyPartnerActivityFactory(partner=acme, day=monday - timedelta(days=5), downloads=4, certificates_expiring=5)
    roll_up_windows(day=monday - timedelta(days=1), windows=(7,))  # the worker's: a whole week is its Sunday's

    soup = page(admin_client.get(report_url(period=365)))
    active = csv_rows(admin_client.get(report_url(period=365, csv="active")))
    downloads = csv_rows(admin_client.get(report_url(period=365, csv="downloads-searches")))
    certificates = csv_rows(admin_client.get(report_url(period=365, csv="certificates")))

    assert "Charts by week (weeks begin on Monday)." in soup.get_text()
    assert active[0] == ["Week beginning", "Active partners", "Active users"]
    assert active[1][0] == str(today - timedelta(days=364))  # the first week begins with the period
    assert all(timezone.datetime.fromisoformat(row[0]).weekday() == 0 for row in active[2:])
    assert len(active) - 1 in (53, 54)  # every week of the year is on the axis
    assert active[-1] == [str(monday), "1", "1"]
    assert active[-2] == [str(monday - timedelta(days=7)), "1", "2"]
    assert downloads[-2][:2] == [str(monday - timedelta(days=7)), "7"]
    assert certificates[-2] == [str(monday - timedelta(days=7)), "0", "5"]  # the week's last day's figure
    assert tile(soup, "active_users")["value"] == "3"


def test_an_unknown_chart_is_not_found(admin_client):
    assert admin_client.get(report_url(csv="revenue")).status_code == 404
    assert admin_client.get(report_url(period=7, csv="")).status_code == 404


def test_the_page_says_when_figures_were_rolled_up_or_how_to_get_them(admin_client):
    empty = page(admin_client.get(REPORT)).select_one("[data-rollup-status]").get_text(" ", strip=True)
    RollupRunFactory(day=days_ago(0))
    rolled = page(admin_client.get(REPORT)).select_one("[data-rollup-status]").get_text(" ", strip=True)

    assert empty == (
        "Figures appear after the worker's first hourly rollup; "
        "`manage.py roll_up_analytics --days 90` fills them now."
    )
    assert rolled.startswith("Figures as of the last rollup,")


def test_the_charting_library_loads_on_the_report_only(admin_client):
    report = admin_client.get(REPORT).content.decode()
    other = admin_client.get(reverse("wagtailusers_groups:index")).content.decode()

    assert "analytics/vendor/chart.js/4.6.1/chart.umd.min.js" in report
    assert "analytics/charts.js" in report and "analytics/charts.css" in report
    assert "chart.umd.min.js" not in other and "analytics/charts.css" not in other


# --- filters that cannot be --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01", "period": "custom"}, "is before “From”"),
        ({"start": "2020-01-01", "end": "2024-01-01"}, "at most three years (1,096 days): this one has 1,462."),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "Enter a valid date."),
        ({"period": "custom", "start": "2026-03-01"}, "Give both dates of the period"),
        ({"tier": "999999"}, "Select a valid choice."),
        ({"period": "12"}, "Select a valid choice."),
        ({"start": "2999-01-01", "end": "2999-01-02"}, "Choose a day up to today"),
    ],
)
def test_filters_that_cannot_be_are_said_on_the_form_never_a_500(admin_client, params, message):
    page_response = admin_client.get(report_url(**params))
    csv_response = admin_client.get(report_url(**params, csv="active"))

    assert page_response.status_code == 200
    assert any(message in error for error in errors(page_response)), errors(page_response)
    assert "Correct the filters above to see the figures." in page_response.content.decode()
    assert not page(page_response).select("figure[data-analytics-chart]")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/html")


def test_a_preset_period_ignores_dates_left_in_the_form(admin_client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(3), downloads=2)

    soup = page(admin_client.get(report_url(period=7, start="2020-01-01", end="2020-01-05")))

    assert tile(soup, "downloads")["value"] == "2"
    assert soup.select_one("input[name=start]").get("value") in (None, "")


# --- who sees it -------------------------------------------------------------------------------------------------


def menu_names(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in reports_menu.menu_items_for_request(request)}


def test_staff_without_the_permission_are_refused_and_see_neither_menu_entry_nor_panel(client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(1))
    user = staff_user_with_permissions("search.view_searchquery")
    client.force_login(user)

    response = client.get(REPORT)
    home = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Sorry, you do not have permission to access this area." in message_texts(response)
    assert client.get(report_url(csv="active")).status_code == 302
    assert "engagement" not in menu_names(user)
    assert "Engagement, last 30 days" not in home.content.decode()
    assert "chart.umd.min.js" not in home.content.decode()


def test_staff_with_the_permission_see_the_report_its_menu_entry_and_the_home_panel(client, acme):
    DailyPartnerActivityFactory(partner=acme, day=days_ago(1), downloads=6)
    DailyUserActivityFactory(partner=acme, day=days_ago(1))
    user = staff_user_with_permissions("analytics.view_engagement")
    client.force_login(user)

    assert tile(client.get(REPORT), "downloads")["value"] == "6"
    assert "engagement" in menu_names(user)
    assert csv_rows(client.get(report_url(csv="active")))[-2][1:] == ["1", "1"]
    home = page(client.get(reverse("wagtailadmin_home")))
    panel = home.select_one("#engagement-section")
    assert panel is not None
    assert "Engagement, last 30 days" in panel.get_text()
    assert tile(panel, "downloads")["value"] == "6"
    assert tile(panel, "active_users")["value"] == "1"
    assert panel.select_one("canvas[role=img]")["aria-label"].startswith("Active users. Line chart of Active users")
    assert panel.find("a", string="See the engagement report")["href"] == REPORT
    assert panel.select_one(".analytics-chart__csv a")["href"] == f"{REPORT}?period=30&csv=active"
    assert "analytics/vendor/chart.js/4.6.1/chart.umd.min.js" in str(home)


def test_the_menu_entry_is_under_reports_for_a_superuser(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    items = {item.name: item for item in reports_menu.menu_items_for_request(request)}

    assert items["engagement"].label == "Engagement"
    assert str(items["engagement"].url) == REPORT


def test_partner_users_and_visitors_are_sent_to_the_login(client):
    anonymous = client.get(REPORT)
    client.force_login(partner_user())
    partner = client.get(REPORT)

    for response in (anonymous, partner):
        assert response.status_code == 302
        assert response["Location"].startswith(STAFF_LOGIN)


def test_the_permission_is_offered_in_the_group_editor(admin_client):
    registered = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for hook in hooks.get_hooks("register_permissions")
        for permission in hook()
    }
    permission = Permission.objects.get(content_type__app_label="analytics", codename="view_engagement")

    response = admin_client.get(reverse("wagtailusers_groups:add"))

    assert "analytics.view_engagement" in registered
    assert permission.name == "Can view the engagement dashboard"
    assert f'value="{permission.pk}"' in response.content.decode()
    assert "Can view the engagement dashboard" in response.content.decode()


# --- what it costs -----------------------------------------------------------------------------------------------


def activity(partners: int, days: int) -> None:
    """``partners`` partners, each active on 20 days spread over the last ``days`` days."""
    for _ in range(partners):
        partner = PartnerFactory()
        for day in range(0, days, max(1, days // 20)):
            DailyPartnerActivityFactory(partner=partner, day=days_ago(day), downloads=1)
            DailyUserActivityFactory(partner=partner, day=days_ago(day))


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{"period": 7}, {"period": 365}, {"start": "three years ago"}])
def test_the_number_of_queries_depends_neither_on_the_period_nor_on_the_partners(
    admin_client, django_assert_max_num_queries, params
):
    if "start" in params:
        params = {"start": str(days_ago(MAX_DAYS - 1)), "end": str(days_ago(0))}  # three years, by week
    activity(partners=1, days=7)
    admin_client.get(report_url(**params))  # the session, menus and caches warmed
    admin_client.get(reverse("wagtailadmin_home"))
    few = queries(admin_client, report_url(**params)), queries(admin_client, reverse("wagtailadmin_home"))

    activity(partners=9, days=MAX_DAYS)
    with django_assert_max_num_queries(7):
        report = engagement(period=Period(days_ago(MAX_DAYS - 1), days_ago(0)))
    many = queries(admin_client, report_url(**params)), queries(admin_client, reverse("wagtailadmin_home"))

    assert report.totals["active_partners"].value == 10
    assert many == few
    with django_assert_max_num_queries(25):
        assert tile(admin_client.get(report_url(**params)), "active_partners")["value"] == "10"
