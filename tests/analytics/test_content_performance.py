"""Reports → Content performance: per item views, downloads, partners, search impressions and clicks from the daily
rollups; one item by tier, region and day; the assets nobody opened from search beside the searches that found
nothing."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import urlencode

from wagtail import hooks
from wagtail.admin.menu import reports_menu

import openpyxl
import pytest
import time_machine

from analytics.factories import DailyContentActivityFactory, DailySearchTermFactory, RollupRunFactory
from analytics.services import roll_up_day
from cms.factories import AssetFactory, BulletinFactory, ContentViewFactory, ProgramFactory
from cms.services.activity import download_record
from courses.factories import CourseFactory
from partners.factories import (
    PartnerFactory,
    RegionFactory,
    StaffUserFactory,
    TierFactory,
    partner_user,
    staff_user_with_permissions,
)
from search.factories import SearchClickFactory, SearchQueryFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 5, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
PERMISSION = "analytics.view_dailycontentactivity"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def chart_include(settings, tmp_path):
    """The chart include (``analytics/includes/chart.html``, Chart.js) is the engagement dashboard's: where this
    branch does not have it yet, a stand-in that names the chart. The tests read the chart's figures, not its
    drawing."""
    try:
        get_template("analytics/includes/chart.html")
    except TemplateDoesNotExist:
        folder = tmp_path / "templates" / "analytics" / "includes"
        folder.mkdir(parents=True)
        (folder / "chart.html").write_text('<figure data-chart="{{ chart.id }}">{{ chart.title }}</figure>')
        engine = settings.TEMPLATES[0]
        settings.TEMPLATES = [{**engine, "DIRS": [*engine.get("DIRS", []), tmp_path / "templates"]}]


def url(name, *args, **params) -> str:
    address = reverse(f"analytics_content:{name}", args=args)
    return f"{address}?{urlencode(params)}" if params else address


def rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(response.context["object_list"])


def titles(response) -> list[str]:
    return [row["title"] for row in rows(response)]


def figures(response) -> dict[str, tuple]:
    """Each listed item's figures as the table shows them: views, downloads, partners, impressions, clicks, CTR."""
    return {
        row["title"]: (
            row["views"],
            row["downloads"],
            row["partners"],
            row["impressions"],
            row["clicks"],
            None if row["click_through_rate"] is None else round(row["click_through_rate"], 2),
        )
        for row in rows(response)
    }


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def message_texts(response) -> list[str]:
    return [str(message.message).split("\n")[0] for message in get_messages(response.wsgi_request)]


def activity(item, partner, *, days_ago, **counts):
    return DailyContentActivityFactory(
        day=TODAY - timedelta(days=days_ago),
        kind=item._meta.model_name,
        item_id=item.pk,
        partner=partner,
        **counts,
    )


@pytest.fixture
def world():
    """Acme (Gold, EMEA), Globex (Silver, AMER), Initech (Gold, AMER) and Test Co (a Gold test partner in EMEA);
    five items and what partners did with them (the default period is the last 30 days, Apr 11 to May 10):

    ==================  =====  =========  ========  ===========  ======  ====
    item                views  downloads  partners  impressions  clicks  CTR
    ==================  =====  =========  ========  ===========  ======  ====
    SD-WAN deck         6      2          2         8            2       25%
    MDF program         4      0          1         0            0       —
    Security basics     2      0          1         1            1       100%
    Firewall datasheet  1      0          2         8            0       0%
    ==================  =====  =========  ========  ===========  ======  ====

    The deck also had 10 views by Initech 40 days ago and 100 by Test Co yesterday; the price bulletin only views by
    Test Co. The datasheet was shown in search 8 times and never opened from it: nobody found it.
    """
    gold, silver = TierFactory(key="gold", name="Gold", rank=30), TierFactory(key="silver", name="Silver", rank=20)
    emea, amer = RegionFactory(key="emea", name="EMEA"), RegionFactory(key="amer", name="AMER")
    acme = PartnerFactory(name="Acme", tier=gold, region=emea)
    globex = PartnerFactory(name="Globex", tier=silver, region=amer)
    initech = PartnerFactory(name="Initech", tier=gold, region=amer)
    test_co = PartnerFactory(name="Test Co", tier=gold, region=emea, is_test=True)
    deck = AssetFactory(title="SD-WAN deck")
    sheet = AssetFactory(title="Firewall datasheet")
    program = ProgramFactory(title="MDF program")
    course = CourseFactory(title="Security basics")
    bulletin = BulletinFactory(title="Price change")

    activity(deck, acme, days_ago=1, views=3, downloads=1, impressions=4, clicks=1)
    activity(deck, acme, days_ago=2, views=2, impressions=2)
    activity(deck, globex, days_ago=5, views=1, downloads=1, impressions=2, clicks=1)
    activity(deck, initech, days_ago=40, views=10)
    activity(deck, test_co, days_ago=1, views=100)
    activity(sheet, acme, days_ago=3, impressions=5)
    activity(sheet, globex, days_ago=4, views=1, impressions=3)
    activity(program, initech, days_ago=2, views=4)
    activity(course, globex, days_ago=10, views=2, impressions=1, clicks=1)
    activity(bulletin, test_co, days_ago=3, views=7)
    return {
        "tiers": {"gold": gold, "silver": silver},
        "regions": {"emea": emea, "amer": amer},
        "partners": {"acme": acme, "globex": globex, "initech": initech, "test": test_co},
        "items": {"deck": deck, "sheet": sheet, "program": program, "course": course, "bulletin": bulletin},
    }


# --- the table -----------------------------------------------------------------------------------


def test_each_item_has_its_totals_over_the_last_30_days_most_viewed_first(admin_client, world):
    response = admin_client.get(url("items"))

    assert figures(response) == {
        "SD-WAN deck": (6, 2, 2, 8, 2, 0.25),
        "MDF program": (4, 0, 1, 0, 0, None),
        "Security basics": (2, 0, 1, 1, 1, 1.0),
        "Firewall datasheet": (1, 0, 2, 8, 0, 0.0),
    }
    assert titles(response) == ["SD-WAN deck", "MDF program", "Security basics", "Firewall datasheet"]
    html = response.content.decode()
    assert "from April 11, 2027 to May 10, 2027, most viewed first. Test partners left out." in html
    assert "25%" in html and "100%" in html


def test_a_partner_active_on_several_days_counts_once(admin_client, world):
    acme = world["partners"]["acme"]
    deck = world["items"]["deck"]
    for days_ago in (6, 7, 8):
        activity(deck, acme, days_ago=days_ago, views=1)

    deck_row = next(row for row in rows(admin_client.get(url("items"))) if row["title"] == "SD-WAN deck")

    assert deck_row["views"] == 9
    assert deck_row["partners"] == 2  # Acme (five days) and Globex


def test_the_period_presets_and_custom_dates(admin_client, world):
    def deck_views(**params):
        listed = rows(admin_client.get(url("items", **params)))
        return next((row["views"] for row in listed if row["title"] == "SD-WAN deck"), None)

    assert deck_views() == 6
    assert deck_views(period="7") == 6
    assert deck_views(period="90") == 16  # Initech's 10 views, 40 days ago
    assert deck_views(days_from="2027-03-31", days_to="2027-03-31") == 10  # that day only
    assert deck_views(period="custom", days_from="2027-05-08", days_to="2027-05-09") == 5
    assert deck_views(days_from="2027-01-01", days_to="2027-01-31") is None  # nothing then


def test_filters_by_kind_tier_and_region(admin_client, world):
    gold, amer = world["tiers"]["gold"], world["regions"]["amer"]

    assert titles(admin_client.get(url("items", kind="asset"))) == ["SD-WAN deck", "Firewall datasheet"]
    assert titles(admin_client.get(url("items", kind="course"))) == ["Security basics"]
    by_gold = admin_client.get(url("items", tier=gold.pk))
    assert figures(by_gold) == {
        "SD-WAN deck": (5, 1, 1, 6, 1, 0.17),
        "MDF program": (4, 0, 1, 0, 0, None),
        "Firewall datasheet": (0, 0, 1, 5, 0, 0.0),
    }
    assert "by partners of the Gold tier" in by_gold.content.decode()
    assert titles(admin_client.get(url("items", region=amer.pk))) == [
        "MDF program",
        "Security basics",
        "SD-WAN deck",
        "Firewall datasheet",
    ]
    assert titles(admin_client.get(url("items", tier=gold.pk, region=amer.pk, kind="program"))) == ["MDF program"]


def test_test_partners_are_left_out_unless_asked(admin_client, world):
    assert "Price change" not in titles(admin_client.get(url("items")))

    everyone = admin_client.get(url("items", partners="everyone"))

    assert figures(everyone)["SD-WAN deck"] == (106, 2, 3, 8, 2, 0.25)
    assert figures(everyone)["Price change"] == (7, 0, 1, 0, 0, None)
    assert titles(everyone)[0] == "SD-WAN deck"
    assert "Test partners included." in everyone.content.decode()


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("views", ["Firewall datasheet", "Security basics", "MDF program", "SD-WAN deck"]),
        # Ties: the most viewed first.
        ("-downloads", ["SD-WAN deck", "MDF program", "Security basics", "Firewall datasheet"]),
        ("-partners", ["SD-WAN deck", "Firewall datasheet", "MDF program", "Security basics"]),
        ("-impressions", ["SD-WAN deck", "Firewall datasheet", "Security basics", "MDF program"]),
        ("-clicks", ["SD-WAN deck", "Security basics", "MDF program", "Firewall datasheet"]),
        # Never shown in search: no rate, last either way.
        ("-click_through_rate", ["Security basics", "SD-WAN deck", "Firewall datasheet", "MDF program"]),
        ("click_through_rate", ["Firewall datasheet", "SD-WAN deck", "Security basics", "MDF program"]),
    ],
)
def test_sorting_by_a_column(admin_client, world, ordering, expected):
    assert titles(admin_client.get(url("items", ordering=ordering))) == expected


def test_sortable_column_headers_and_an_unknown_order_falls_back_to_views(admin_client, world):
    response = admin_client.get(url("items", ordering="title"))

    assert titles(response) == ["SD-WAN deck", "MDF program", "Security basics", "Firewall datasheet"]
    html = response.content.decode()
    for key in ("downloads", "partners", "impressions", "clicks", "click_through_rate"):
        assert f"ordering=-{key}" in html or f"ordering={key}" in html


def test_pages_of_fifty(admin_client, world):
    acme = world["partners"]["acme"]
    for n in range(60):
        activity(AssetFactory(title=f"Brochure {n:02}"), acme, days_ago=1, views=100 + n)

    first = admin_client.get(url("items"))
    second = admin_client.get(url("items", p=2))

    assert len(rows(first)) == 50
    assert titles(first)[:2] == ["Brochure 59", "Brochure 58"]
    assert titles(second)[:3] == ["Brochure 09", "Brochure 08", "Brochure 07"]
    assert titles(second)[-1] == "Firewall datasheet"
    assert len(rows(second)) == 14
    assert "Page 2 of 2" in second.content.decode()


def test_titles_link_to_the_edit_page_and_a_deleted_item_says_so(admin_client, world):
    deck, sheet = world["items"]["deck"], world["items"]["sheet"]
    sheet_id = sheet.pk
    sheet.delete()

    response = admin_client.get(url("items"))

    html = response.content.decode()
    assert reverse("wagtailsnippets_cms_asset:edit", args=[deck.pk]) in html
    assert reverse("wagtailsnippets_courses_course:edit", args=[world["items"]["course"].pk]) in html
    assert f"(deleted item #{sheet_id})" in titles(response)
    assert reverse("wagtailsnippets_cms_asset:edit", args=[sheet_id]) not in html
    assert url("item", "asset", deck.pk) in html  # its breakdown


def test_an_editor_who_may_not_change_courses_gets_no_link_to_them(client, world):
    client.force_login(staff_user_with_permissions(PERMISSION, "cms.change_asset"))

    html = client.get(url("items")).content.decode()

    assert reverse("wagtailsnippets_cms_asset:edit", args=[world["items"]["deck"].pk]) in html
    assert reverse("wagtailsnippets_courses_course:edit", args=[world["items"]["course"].pk]) not in html
    assert "Security basics" in html


def test_csv_and_xlsx_exports_with_the_filters(admin_client, world):
    deck = world["items"]["deck"]

    exported = csv_rows(admin_client.get(url("items", export="csv", kind="asset")))

    assert exported[0] == [
        "Title",
        "Type",
        "ID",
        "Views",
        "Downloads",
        "Partners",
        "Search impressions",
        "Search clicks",
        "Click-through rate (%)",
        "Edit URL",
    ]
    assert exported[1] == [
        "SD-WAN deck",
        "Asset",
        str(deck.pk),
        "6",
        "2",
        "2",
        "8",
        "2",
        "25.0",
        f"http://testserver{reverse('wagtailsnippets_cms_asset:edit', args=[deck.pk])}",
    ]
    assert [row[0] for row in exported[1:]] == ["SD-WAN deck", "Firewall datasheet"]

    response = admin_client.get(url("items", export="xlsx"))
    assert response.status_code == 200
    assert 'filename="content-performance-2027-05-10.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[4]][:4] == ["Security basics", "Course", world["items"]["course"].pk, 2]


def test_the_export_titles_every_row_whatever_the_number(admin_client, world):
    acme = world["partners"]["acme"]
    for n in range(30):
        activity(ProgramFactory(title=f"Program {n:02}"), acme, days_ago=2, views=1)

    exported = csv_rows(admin_client.get(url("items", export="csv", kind="program")))

    assert len(exported) == 32
    assert not [row for row in exported if row[0].startswith("(deleted")]


def test_bad_filters_are_shown_as_errors_and_left_out(admin_client, world):
    for params, error in [
        ({"period": "13"}, "Period: Select a valid choice. 13 is not one of the available choices."),
        ({"period": "custom"}, "Custom dates: Give the first and the last day of the period."),
        ({"days_from": "2027-05-10", "days_to": "2027-05-01"}, "The first day must not be after the last."),
        ({"days_from": "2027-13-45"}, "Custom dates: Enter a valid date."),
        ({"tier": "999"}, "Partner tier: Select a valid choice."),
        ({"kind": "page"}, "Content: Select a valid choice. page is not one of the available choices."),
    ]:
        response = admin_client.get(url("items", **params))

        assert response.status_code == 200, params
        html = response.content.decode()
        assert "Some filters are not valid and are left out" in html, params
        assert error in html, params
        assert "SD-WAN deck" in titles(response)  # the rest of the report as usual: the last 30 days

    assert admin_client.get(url("items", p="999")).status_code == 200  # the last page


# --- one item ------------------------------------------------------------------------------------


def test_an_items_breakdown_by_tier_region_and_day(admin_client, world):
    deck = world["items"]["deck"]

    response = admin_client.get(url("item", "asset", deck.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "SD-WAN deck" in html
    assert reverse("wagtailsnippets_cms_asset:edit", args=[deck.pk]) in html
    assert dict(response.context["totals"]) == {
        "Views": 6,
        "Downloads": 2,
        "Partners": 2,
        "Search impressions": 8,
        "Search clicks": 2,
        "Click-through rate": "25%",
    }
    by_tier = [
        (row["tier__name"], row["views"], row["downloads"], row["partners"], row["impressions"], row["clicks"])
        for row in response.context["by_tier"].data
    ]
    assert by_tier == [("Gold", 5, 1, 1, 6, 1), ("Silver", 1, 1, 1, 2, 1)]
    assert [(row["region__name"], row["views"]) for row in response.context["by_region"].data] == [
        ("EMEA", 5),
        ("AMER", 1),
    ]
    chart = response.context["chart"]
    assert len(chart.labels) == 30
    assert chart.labels[0] == "2027-04-11" and chart.labels[-1] == "2027-05-10"
    views = dict(zip(chart.labels, chart.series[0].values, strict=True))
    assert (views["2027-05-09"], views["2027-05-08"], views["2027-05-05"], views["2027-05-04"]) == (3, 2, 1, 0)
    assert [series.name for series in chart.series] == ["Views", "Downloads"]


def test_an_items_breakdown_over_another_period_with_test_partners(admin_client, world):
    deck = world["items"]["deck"]

    response = admin_client.get(url("item", "asset", deck.pk, period="90", partners="everyone"))

    assert dict(response.context["totals"])["Views"] == 116
    assert [(row["tier__name"], row["views"], row["partners"]) for row in response.context["by_tier"].data] == [
        ("Gold", 115, 3),
        ("Silver", 1, 1),
    ]
    assert len(response.context["chart"].labels) == 90


def test_the_daily_chart_as_csv(admin_client, world):
    response = admin_client.get(url("item", "asset", world["items"]["deck"].pk, csv="item-daily"))

    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Day", "Views", "Downloads"]
    assert lines[-2] == ["2027-05-09", "3", "1"]
    assert len(lines) == 31


def test_a_deleted_item_and_one_with_nothing_in_the_period(admin_client, world):
    sheet = world["items"]["sheet"]
    sheet_id = sheet.pk
    sheet.delete()

    deleted = admin_client.get(url("item", "asset", sheet_id))
    quiet = admin_client.get(url("item", "bulletin", world["items"]["bulletin"].pk))

    assert f"(deleted item #{sheet_id})" in deleted.content.decode()
    assert "Edit" not in [button.label for button in deleted.context["header_buttons"]]
    assert "Price change" in quiet.content.decode()
    assert dict(quiet.context["totals"])["Views"] == 0
    assert "No activity in this period." in quiet.content.decode()
    assert admin_client.get(url("item", "page", 1)).status_code == 404


# --- not found -----------------------------------------------------------------------------------


def test_assets_nobody_found_beside_the_searches_that_found_nothing(admin_client, world):
    acme, globex, test_co = (world["partners"][key] for key in ("acme", "globex", "test"))
    shown_to_test_co_only = AssetFactory(title="Internal draft")
    activity(shown_to_test_co_only, test_co, days_ago=1, impressions=9)
    DailySearchTermFactory(normalized="sd-wan pricing", partner=acme, searches=3, without_results=2)
    DailySearchTermFactory(
        normalized="sd-wan pricing", partner=globex, searches=1, without_results=1, day=TODAY - timedelta(days=2)
    )
    DailySearchTermFactory(normalized="roadmap", partner=acme, searches=1, without_results=1)
    DailySearchTermFactory(normalized="firewall", partner=acme, searches=4, without_results=0)
    DailySearchTermFactory(normalized="roadmap 2024", partner=acme, day=TODAY - timedelta(days=45), without_results=5)
    DailySearchTermFactory(normalized="secret project", partner=test_co, searches=5, without_results=5)

    response = admin_client.get(url("not_found"))

    assert [(row["title"], row["impressions"], row["partners"], row["views"]) for row in rows(response)] == [
        ("Firewall datasheet", 8, 2, 1)
    ]
    searches = [
        (row["normalized"], row["without_results"], row["partners"]) for row in response.context["searches_table"].data
    ]
    assert searches == [("sd-wan pricing", 3, 2), ("roadmap", 1, 1)]
    html = response.content.decode()
    assert reverse("wagtailsnippets_cms_asset:edit", args=[world["items"]["sheet"].pk]) in html
    search_report = reverse("search_reports:no_results")
    assert f"{search_report}?created_at_from=2027-04-11&amp;created_at_to=2027-05-10&amp;q=sd-wan+pricing" in html
    assert "1 asset shown in search results and never opened from them." in html
    assert "2 search texts found nothing." in html

    everyone = admin_client.get(url("not_found", partners="everyone"))
    assert [row["title"] for row in rows(everyone)] == ["Internal draft", "Firewall datasheet"]
    assert everyone.context["searches_table"].data[0]["normalized"] == "secret project"
    assert "searchers=everyone" in everyone.content.decode()


def test_not_found_by_tier_and_region(admin_client, world):
    acme, globex = world["partners"]["acme"], world["partners"]["globex"]
    DailySearchTermFactory(normalized="sd-wan pricing", partner=acme, without_results=2)
    DailySearchTermFactory(normalized="mdf claim", partner=globex, without_results=1)

    silver = admin_client.get(url("not_found", tier=world["tiers"]["silver"].pk))
    emea = admin_client.get(url("not_found", region=world["regions"]["emea"].pk))

    assert [(row["title"], row["impressions"], row["partners"]) for row in rows(silver)] == [
        ("Firewall datasheet", 3, 1)
    ]
    assert [row["normalized"] for row in silver.context["searches_table"].data] == ["mdf claim"]
    assert [(row["title"], row["impressions"]) for row in rows(emea)] == [("Firewall datasheet", 5)]
    assert [row["normalized"] for row in emea.context["searches_table"].data] == ["sd-wan pricing"]


def test_an_asset_opened_once_from_search_is_found(admin_client, world):
    activity(world["items"]["sheet"], world["partners"]["initech"], days_ago=1, impressions=1, clicks=1)

    response = admin_client.get(url("not_found"))

    assert rows(response) == []
    assert "Every asset shown in search results in this period was opened from them" in response.content.decode()


def test_not_found_exports_the_assets(admin_client, world):
    exported = csv_rows(admin_client.get(url("not_found", export="csv")))

    assert exported[0] == ["Asset", "ID", "Search impressions", "Partners shown it", "Views", "Edit URL"]
    assert exported[1][:5] == ["Firewall datasheet", str(world["items"]["sheet"].pk), "8", "2", "1"]


def test_the_report_links_to_not_found_with_its_period(admin_client, world):
    html = admin_client.get(url("items", period="90", kind="asset")).content.decode()

    assert f'href="{url("not_found")}?period=90"' in html


# --- who may see it ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["items", "not_found", "item"])
def test_staff_without_the_permission_are_refused(client, world, view):
    args = ("asset", world["items"]["deck"].pk) if view == "item" else ()
    client.force_login(staff_user_with_permissions("cms.change_asset", "search.view_searchquery"))

    response = client.get(url(view, *args))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Sorry, you do not have permission to access this area." in message_texts(response)
    assert client.get(url(view, *args, export="csv", csv="item-daily")).status_code == 302


def menu_names(user) -> set[str]:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in reports_menu.menu_items_for_request(request)}


def test_the_menu_entry_only_for_those_with_the_permission(world):
    allowed = staff_user_with_permissions(PERMISSION)
    refused = staff_user_with_permissions("cms.change_asset")

    assert "content-performance" in menu_names(allowed)
    assert "content-performance" not in menu_names(refused)


@pytest.mark.parametrize("view", ["items", "not_found", "item"])
def test_staff_with_the_permission_see_every_view(client, world, view):
    args = ("asset", world["items"]["deck"].pk) if view == "item" else ()
    client.force_login(staff_user_with_permissions(PERMISSION))

    assert client.get(url(view, *args)).status_code == 200


def test_partner_users_and_visitors_are_sent_to_the_login(client, world):
    anonymous = client.get(url("items"))
    client.force_login(partner_user(partner=world["partners"]["acme"]))
    partner = client.get(url("items"))

    for response in (anonymous, partner):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_editors_and_moderators_have_the_permission_and_the_group_editor_offers_it(admin_client):
    permission = Permission.objects.get(content_type__app_label="analytics", codename="view_dailycontentactivity")
    registered = {permission for hook in hooks.get_hooks("register_permissions") for permission in hook()}

    assert permission in registered
    assert permission in Group.objects.get(name="Editors").permissions.all()
    assert permission in Group.objects.get(name="Moderators").permissions.all()
    editor = StaffUserFactory(is_superuser=False, second_factor=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert editor.has_perm(PERMISSION)
    response = admin_client.get(reverse("wagtailusers_groups:add"))
    assert f'value="{permission.pk}"' in response.content.decode()


# --- cost -------------------------------------------------------------------------------------------


def test_each_view_costs_a_fixed_number_of_queries_whatever_the_rows(
    admin_client, world, django_assert_max_num_queries
):
    RollupRunFactory(day=TODAY)
    deck = world["items"]["deck"]

    def visit():
        # The admin's own (session, user, menus), the filters' choices, whether the period's totals are kept, the
        # page (which also counts the rows), one title query per kind on it (at most four), the time of the last
        # rollup; for "not found" the searches; for an item its title, totals, tiers, regions and days.
        with django_assert_max_num_queries(17):
            assert admin_client.get(url("items")).status_code == 200
        with django_assert_max_num_queries(15):
            assert admin_client.get(url("not_found")).status_code == 200
        with django_assert_max_num_queries(13):
            assert admin_client.get(url("item", "asset", deck.pk)).status_code == 200

    visit()
    acme, globex = world["partners"]["acme"], world["partners"]["globex"]
    for n in range(40):
        for kind_factory in (AssetFactory, ProgramFactory, BulletinFactory, CourseFactory):
            item = kind_factory()
            activity(item, acme, days_ago=n % 30, views=1, impressions=2)
            activity(item, globex, days_ago=(n + 3) % 30, downloads=1)
            activity(deck, PartnerFactory(), days_ago=n % 30, views=1)
        DailySearchTermFactory(partner=acme, without_results=1)
    visit()


# --- from what partners did to the report -----------------------------------------------------------


def test_views_downloads_searches_and_clicks_rolled_up_show_in_the_report(admin_client):
    gold = TierFactory(key="gold", name="Gold", rank=30)
    emea = RegionFactory(key="emea", name="EMEA")
    acme = PartnerFactory(name="Acme", tier=gold, region=emea)
    globex = PartnerFactory(name="Globex", tier=gold, region=emea)
    ann, bob = partner_user(partner=acme), partner_user(partner=acme)
    cat = partner_user(partner=globex)
    deck, sheet = AssetFactory(title="SD-WAN deck"), AssetFactory(title="Firewall datasheet")
    program = ProgramFactory(title="MDF program")
    yesterday = TODAY - timedelta(days=1)
    at = datetime.combine(yesterday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)

    with time_machine.travel(at, tick=False):
        ContentViewFactory(user=ann, item=deck)
        ContentViewFactory(user=bob, item=deck)
        ContentViewFactory(user=cat, item=program)
        download_record(asset=deck, user=ann)
        for user in (ann, cat):
            query = SearchQueryFactory(
                text="SD-WAN",
                user=user,
                partner=user.partner_membership.partner,
                tier=gold,
                result_count=2,
                results=[["asset", deck.pk], ["asset", sheet.pk]],
            )
        SearchClickFactory(query=query, kind="asset", item_id=deck.pk)
        SearchQueryFactory(text="Roadmap 2028", user=bob, partner=acme, tier=gold, result_count=0, results=[])

    roll_up_day(day=yesterday, now=NOW)

    assert figures(admin_client.get(url("items"))) == {
        "SD-WAN deck": (2, 1, 2, 2, 1, 0.5),
        "MDF program": (1, 0, 1, 0, 0, None),
        "Firewall datasheet": (0, 0, 2, 2, 0, 0.0),
    }
    not_found = admin_client.get(url("not_found"))
    assert [(row["title"], row["impressions"], row["partners"]) for row in rows(not_found)] == [
        ("Firewall datasheet", 2, 2)
    ]
    assert [(row["normalized"], row["without_results"]) for row in not_found.context["searches_table"].data] == [
        ("roadmap 2028", 1)
    ]
    daily = admin_client.get(url("item", "asset", deck.pk, period="7")).context["chart"]
    assert dict(zip(daily.labels, daily.series[1].values, strict=True))[yesterday.isoformat()] == 1
    assert date.fromisoformat(daily.labels[-1]) == TODAY
