"""The search admin: synonyms under Settings, and the reports "Search: top queries" and "Search: no results"."""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import urlencode

from wagtail import hooks
from wagtail.admin.menu import reports_menu, settings_menu

import openpyxl
import pytest
import time_machine

from partners.factories import (
    PartnerFactory,
    PartnerMembershipFactory,
    TierFactory,
    UserFactory,
    partner_user,
    staff_user_with_permissions,
)
from search.factories import SearchClickFactory, SearchQueryFactory, SynonymFactory
from search.models import Synonym

pytestmark = pytest.mark.django_db
STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)

NOW = datetime(2027, 5, 10, 12, 0, tzinfo=UTC)
REPORT_NAMES = ["top_queries", "no_results"]
SYNONYMS = "wagtailsnippets_search_synonym"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def report_url(name, **params) -> str:
    url = reverse(f"search_reports:{name}")
    return f"{url}?{urlencode(params)}" if params else url


def listed(response) -> list[str]:
    """The queries listed, in their order."""
    assert response.status_code == 200
    return [row["normalized"] for row in response.context["object_list"]]


def rows_by_query(response) -> dict[str, dict]:
    assert response.status_code == 200
    return {row["normalized"]: row for row in response.context["object_list"]}


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def message_texts(response) -> list[str]:
    return [str(message.message).split("\n")[0] for message in get_messages(response.wsgi_request)]


def searched(text, *, member, days_ago, results=3, clicks=0):
    """A search ``member`` (a partner membership) ran ``days_ago`` days before now, and the results they opened."""
    query = SearchQueryFactory(
        text=text,
        user=member.user,
        partner=member.partner,
        tier=member.partner.tier,
        result_count=results,
        created_at=NOW - timedelta(days=days_ago),
    )
    for position in range(1, clicks + 1):
        SearchClickFactory(query=query, position=position)
    return query


@pytest.fixture
def searches():
    """Searches of two Gold partner users (Acme) and one Silver (Globex), over the last 45 days.

    In the last 30 days (the default range, Apr 11 to May 10):

    ==============  ========  =====  ========  ============  ======  ==============
    query           searches  users  partners  with results  clicks  with a click
    ==============  ========  =====  ========  ============  ======  ==============
    sd-wan pricing  4         3      2         3             3       2
    firewall        3         2      1         1             1       1
    roadmap         1         1      1         0             0       0
    warranty        1         1      1         1             0       0
    ==============  ========  =====  ========  ============  ======  ==============
    """
    gold = TierFactory(key="gold", name="Gold", rank=30)
    silver = TierFactory(key="silver", name="Silver", rank=20)
    acme = PartnerFactory(key="acme", name="Acme Networks", tier=gold)
    globex = PartnerFactory(key="globex", name="Globex", tier=silver)
    ann = PartnerMembershipFactory(partner=acme, user=UserFactory(username="ann"))
    bob = PartnerMembershipFactory(partner=acme, user=UserFactory(username="bob"))
    cat = PartnerMembershipFactory(partner=globex, user=UserFactory(username="cat"))

    searched("SD-WAN pricing", member=ann, days_ago=1, results=5, clicks=2)
    searched("sd-wan  PRICING", member=ann, days_ago=2, results=5)
    searched("SD-WAN pricing", member=bob, days_ago=3, results=5, clicks=1)
    searched("SD-WAN pricing", member=cat, days_ago=10, results=0)
    searched("Firewall", member=ann, days_ago=5, results=0)
    searched("firewall", member=bob, days_ago=6, results=0)
    searched("firewall", member=bob, days_ago=7, results=2, clicks=1)
    searched("Roadmap", member=cat, days_ago=20, results=0)
    searched("warranty", member=ann, days_ago=29, results=1)  # Apr 11: the first day of the default range
    searched("price list", member=ann, days_ago=30, results=0)  # Apr 10: before it
    searched("datasheet", member=bob, days_ago=45, results=4, clicks=1)
    return {"gold": gold, "silver": silver}


# --- top queries ---------------------------------------------------------------------------------


def test_top_queries_lists_the_last_30_days_most_searched_first_with_users_partners_results_and_clicks(
    admin_client, searches
):
    response = admin_client.get(report_url("top_queries"))

    assert listed(response) == ["sd-wan pricing", "firewall", "roadmap", "warranty"]
    numbers = ["searches", "users", "partners", "with_results", "clicks", "clicked"]
    assert {query: [row[key] for key in numbers] for query, row in rows_by_query(response).items()} == {
        "sd-wan pricing": [4, 3, 2, 3, 3, 2],
        "firewall": [3, 2, 1, 1, 1, 1],
        "roadmap": [1, 1, 1, 0, 0, 0],
        "warranty": [1, 1, 1, 1, 0, 0],
    }
    html = response.content.decode()
    for text in ["Search: top queries", "Query", "Searches", "Users", "Partners", "With results", "Result rate"]:
        assert text in html
    assert "Click-through rate" in html
    assert "75%" in html and "50%" in html and "33%" in html  # sd-wan pricing's rates, and firewall's
    assert "from April 11, 2027 to May 10, 2027" in html
    assert "Download CSV" in html and "Download XLSX" in html


def test_top_queries_exports_csv_with_headings_numbers_and_rates(admin_client, searches):
    rows = csv_rows(admin_client.get(report_url("top_queries", export="csv")))

    assert rows == [
        [
            "Query",
            "Searches",
            "Users",
            "Partners",
            "Searches with results",
            "Result rate (%)",
            "Clicks",
            "Click-through rate (%)",
        ],
        ["sd-wan pricing", "4", "3", "2", "3", "75.0", "3", "50.0"],
        ["firewall", "3", "2", "1", "1", "33.3", "1", "33.3"],
        ["roadmap", "1", "1", "1", "0", "0.0", "0", "0.0"],
        ["warranty", "1", "1", "1", "1", "100.0", "0", "0.0"],
    ]


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_every_report_downloads_xlsx(admin_client, searches, name):
    response = admin_client.get(report_url(name, export="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "2027-05-10.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Query", "Searches", "Users", "Partners")
    assert rows[1][:4] == (("sd-wan pricing", 4, 3, 2) if name == "top_queries" else ("firewall", 2, 2, 1))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["sd-wan pricing", "firewall", "roadmap", "warranty"]),
        # Between May 1 and May 8: the searches of 2 to 7 days ago.
        ({"created_at_from": "2027-05-01", "created_at_to": "2027-05-08"}, ["firewall", "sd-wan pricing"]),
        ({"created_at_from": "2027-05-09"}, ["sd-wan pricing"]),
        ({"created_at_to": "2027-04-10"}, ["datasheet", "price list"]),
        # Both dates cleared: the last 30 days again; an early first date: all of them.
        ({"created_at_from": "", "created_at_to": ""}, ["sd-wan pricing", "firewall", "roadmap", "warranty"]),
        (
            {"created_at_from": "2020-01-01", "created_at_to": ""},
            ["sd-wan pricing", "firewall", "datasheet", "price list", "roadmap", "warranty"],
        ),
        ({"tier": "GOLD"}, ["firewall", "sd-wan pricing", "warranty"]),
        ({"tier": "SILVER"}, ["roadmap", "sd-wan pricing"]),
        ({"tier": "SILVER", "created_at_from": "2027-05-01"}, []),
        ({"q": "SD-WAN"}, ["sd-wan pricing"]),
        ({"ordering": "normalized"}, ["firewall", "roadmap", "sd-wan pricing", "warranty"]),
        ({"ordering": "-result_rate"}, ["warranty", "sd-wan pricing", "firewall", "roadmap"]),
        ({"ordering": "-click_through_rate"}, ["sd-wan pricing", "firewall", "roadmap", "warranty"]),
    ],
)
def test_top_queries_filters(admin_client, searches, params, expected):
    params = {
        key: searches[value.lower()].pk if value in ("GOLD", "SILVER") else value for key, value in params.items()
    }
    assert listed(admin_client.get(report_url("top_queries", **params))) == expected


def test_the_tier_filter_counts_only_that_tiers_searches(admin_client, searches):
    response = admin_client.get(report_url("top_queries", tier=searches["gold"].pk))

    pricing = rows_by_query(response)["sd-wan pricing"]
    assert (pricing["searches"], pricing["users"], pricing["partners"], pricing["with_results"]) == (3, 2, 1, 3)
    assert "by partners of the Gold tier" in response.content.decode()


def test_the_export_follows_the_filters(admin_client, searches):
    params = {"export": "csv", "created_at_from": "2027-05-01", "created_at_to": "2027-05-08"}
    rows = csv_rows(admin_client.get(report_url("top_queries", **params)))

    assert rows[1:] == [
        ["firewall", "3", "2", "1", "1", "33.3", "1", "33.3"],
        ["sd-wan pricing", "2", "2", "1", "2", "100.0", "1", "50.0"],
    ]


def test_the_results_view_answers_the_filter_refresh(admin_client, searches):
    response = admin_client.get(reverse("search_reports:top_queries_results"), {"tier": searches["silver"].pk})

    assert listed(response) == ["roadmap", "sd-wan pricing"]
    html = response.content.decode()
    assert "<html" not in html
    assert "by partners of the Silver tier" in html


def test_staff_and_test_partners_searches_are_left_out_unless_everyone_is_asked_for(admin_client, searches):
    trial = PartnerFactory(key="trial", name="Trial Co", tier=searches["gold"], is_test=True)
    tester = PartnerMembershipFactory(partner=trial, user=UserFactory(username="tess"))
    searched("SD-WAN pricing", member=tester, days_ago=1)
    searched("trial query", member=tester, days_ago=1)
    staff = PartnerMembershipFactory(partner=PartnerFactory(key="acme-2"), user=UserFactory(is_staff=True))
    searched("SD-WAN pricing", member=staff, days_ago=1)

    by_default = rows_by_query(admin_client.get(report_url("top_queries")))
    assert by_default["sd-wan pricing"]["searches"] == 4  # as before: only real partners' users
    assert "trial query" not in by_default

    everyone = rows_by_query(admin_client.get(report_url("top_queries", searchers="everyone")))
    assert everyone["sd-wan pricing"]["searches"] == 6
    assert everyone["trial query"]["searches"] == 1
    exported = csv_rows(admin_client.get(report_url("top_queries", export="csv", searchers="everyone")))
    assert "trial query" in [row[0] for row in exported[1:]]  # the export follows the choice
    exported = csv_rows(admin_client.get(report_url("top_queries", export="csv")))
    assert "trial query" not in [row[0] for row in exported[1:]]


def test_an_empty_period_says_so(admin_client):
    response = admin_client.get(report_url("top_queries"))

    assert listed(response) == []
    assert "No searches in this period." in response.content.decode()


# --- no results ----------------------------------------------------------------------------------


def test_no_results_lists_only_the_searches_that_found_nothing(admin_client, searches):
    response = admin_client.get(report_url("no_results"))

    assert listed(response) == ["firewall", "roadmap", "sd-wan pricing"]
    assert {
        query: (row["searches"], row["users"], row["partners"]) for query, row in rows_by_query(response).items()
    } == {
        "firewall": (2, 2, 1),
        "roadmap": (1, 1, 1),
        "sd-wan pricing": (1, 1, 1),  # Globex's search; Acme's found something
    }
    html = response.content.decode()
    assert "Search: no results" in html and "Last searched" in html
    assert "Searches that found nothing from April 11, 2027 to May 10, 2027" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "GOLD"}, ["firewall"]),
        ({"tier": "SILVER"}, ["roadmap", "sd-wan pricing"]),
        (
            {"created_at_from": "2027-04-01", "created_at_to": "2027-04-30"},
            ["price list", "roadmap", "sd-wan pricing"],
        ),
    ],
)
def test_no_results_filters(admin_client, searches, params, expected):
    params = {
        key: searches[value.lower()].pk if value in ("GOLD", "SILVER") else value for key, value in params.items()
    }
    assert listed(admin_client.get(report_url("no_results", **params))) == expected


def test_no_results_exports_csv(admin_client, searches):
    rows = csv_rows(admin_client.get(report_url("no_results", export="csv")))

    assert rows[0] == ["Query", "Searches", "Users", "Partners", "Last searched"]
    assert [row[:4] for row in rows[1:]] == [
        ["firewall", "2", "2", "1"],
        ["roadmap", "1", "1", "1"],
        ["sd-wan pricing", "1", "1", "1"],
    ]
    assert rows[1][4].startswith("2027-05-05 12:00:00")


def test_no_results_says_when_everything_was_found(admin_client):
    SearchQueryFactory(text="pricing", result_count=2, created_at=NOW - timedelta(days=1))

    response = admin_client.get(report_url("no_results"))

    assert listed(response) == []
    assert "Every search in this period found something." in response.content.decode()


# --- who sees the reports ------------------------------------------------------------------------


def menu_names(user, menu=reports_menu) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in menu.menu_items_for_request(request)}


def test_the_reports_are_in_the_reports_menu_for_a_superuser(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    items = {item.name: item for item in reports_menu.menu_items_for_request(request)}

    assert items["search-top-queries"].label == "Search: top queries"
    assert str(items["search-top-queries"].url) == reverse("search_reports:top_queries")
    assert items["search-no-results"].label == "Search: no results"
    assert str(items["search-no-results"].url) == reverse("search_reports:no_results")


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_staff_without_the_permission_are_refused_and_see_no_menu_items(client, searches, name):
    user = staff_user_with_permissions("search.add_synonym", "search.change_synonym")
    client.force_login(user)

    response = client.get(report_url(name))

    # Wagtail answers PermissionDenied with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Sorry, you do not have permission to access this area." in message_texts(response)
    assert client.get(report_url(name, export="csv")).status_code == 302
    assert {"search-top-queries", "search-no-results"}.isdisjoint(menu_names(user))


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_staff_with_the_view_permission_of_search_queries_see_the_reports(client, searches, name):
    user = staff_user_with_permissions("search.view_searchquery")
    client.force_login(user)

    assert listed(client.get(report_url(name)))
    assert csv_rows(client.get(report_url(name, export="csv")))[1][0]
    assert {"search-top-queries", "search-no-results"} <= menu_names(user)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_partner_users_and_visitors_are_sent_to_the_login(client, name):
    anonymous = client.get(report_url(name))
    client.force_login(partner_user())
    partner = client.get(report_url(name))

    for response in (anonymous, partner):
        assert response.status_code == 302
        assert response["Location"].startswith(STAFF_LOGIN)


def test_the_view_permission_is_offered_in_the_group_editor(admin_client):
    registered = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for hook in hooks.get_hooks("register_permissions")
        for permission in hook()
    }
    assert "search.view_searchquery" in registered

    response = admin_client.get(reverse("wagtailusers_groups:add"))
    assert response.status_code == 200
    assert f'value="{Permission.objects.get(codename="view_searchquery").pk}"' in response.content.decode()


# --- synonyms ------------------------------------------------------------------------------------


def test_synonyms_are_in_the_settings_menu(admin_user):
    assert "search-synonyms" in menu_names(admin_user, settings_menu)


def test_the_synonym_listing_shows_terms_and_notes_and_searches_them(admin_client):
    SynonymFactory(terms="sd-wan, sdwan", note="Product name, two spellings")
    SynonymFactory(terms="mdf, market development funds")

    html = admin_client.get(reverse(f"{SYNONYMS}:list")).content.decode()
    found = admin_client.get(reverse(f"{SYNONYMS}:list"), {"q": "spellings"})

    assert (
        "sd-wan, sdwan" in html and "Product name, two spellings" in html and "mdf, market development funds" in html
    )
    assert "Updated" in html
    assert [synonym.terms for synonym in found.context["object_list"]] == ["sd-wan, sdwan"]


def test_the_add_form_explains_the_background_rebuild(admin_client):
    html = admin_client.get(reverse(f"{SYNONYMS}:add")).content.decode()

    assert "Saving rebuilds the search index in the background, without downtime" in html


def test_the_add_form_saves_a_valid_synonym_cleaned(admin_client):
    response = admin_client.post(
        reverse(f"{SYNONYMS}:add"), {"terms": "SD-WAN, sdwan , Software-defined  WAN, sdwan", "note": "Spellings"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(f"{SYNONYMS}:list")
    synonym = Synonym.objects.get()
    assert (synonym.terms, synonym.note) == ("sd-wan, sdwan, software-defined wan", "Spellings")


def test_the_add_form_refuses_a_single_term(admin_client):
    response = admin_client.post(reverse(f"{SYNONYMS}:add"), {"terms": "sdwan", "note": ""})

    assert response.status_code == 200
    assert "Give at least two terms, separated by commas." in response.content.decode()
    assert not Synonym.objects.exists()


def test_the_edit_form_saves_through_full_clean(admin_client):
    synonym = SynonymFactory(terms="mdf, market development funds")

    refused = admin_client.post(reverse(f"{SYNONYMS}:edit", args=[synonym.pk]), {"terms": "mdf => funds, x"})
    saved = admin_client.post(reverse(f"{SYNONYMS}:edit", args=[synonym.pk]), {"terms": "MDF, co-op funds"})

    assert refused.status_code == 200 and "Each term is plain words" in refused.content.decode()
    assert saved.status_code == 302
    synonym.refresh_from_db()
    assert synonym.terms == "mdf, co-op funds"
