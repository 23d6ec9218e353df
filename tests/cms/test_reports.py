"""Content reports (expiring soon, review overdue, expired not archived, not downloaded) and the dashboard panel."""

import io
import re
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.admin.menu import reports_menu

import openpyxl
import pytest
import time_machine

from cms.admin.dashboard import ContentHealthPanel
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.models import Asset, Bulletin, Download, Program
from cms.services.activity import download_record
from partners.factories import partner_user, staff_user_with_permissions
from tests.cms.reports import (
    CONTENT_REPORTS,
    STAFF_LOGIN,
    content_report_rows,
    csv_rows,
    report_url,
    titles,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 5, 10, 8, 0, tzinfo=UTC)
TODAY = date(2027, 5, 10)

EDIT_URL_NAMES = {
    Asset: "wagtailsnippets_cms_asset:edit",
    Program: "wagtailsnippets_cms_program:edit",
    Bulletin: "wagtailsnippets_cms_bulletin:edit",
}


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def days(n) -> datetime:
    return NOW + timedelta(days=n)


def download(asset, *, at=None):
    record = download_record(asset=asset, user=partner_user())
    if at is not None:
        Download.objects.filter(pk=record.pk).update(downloaded_at=at)
    return record


# --- expiring soon -----------------------------------------------------------------------------


@pytest.fixture
def expiring(editor):
    return {
        "asset": AssetFactory(title="Price list", live=True, expire_at=days(5), owner=editor),
        "program": ProgramFactory(title="MDF program", live=True, expire_at=days(20)),
        "bulletin": BulletinFactory(title="Summer promo", live=True, expire_at=days(29), owner=editor),
        "later": AssetFactory(title="Roadmap deck", live=True, expire_at=days(45)),
        # Not expiring soon, whatever the window:
        "draft": ProgramFactory(title="Draft program", live=False, expire_at=days(10)),
        "archived": BulletinFactory(title="Archived bulletin", live=True, expire_at=days(10), archived_at=NOW),
        "past": AssetFactory(title="Already past", live=True, expire_at=NOW - timedelta(hours=1)),
        "forever": AssetFactory(title="No expiry", live=True),
        "swept": BulletinFactory(title="Swept", live=False, expired=True, expire_at=days(-2)),
    }


def test_expiring_soon_lists_live_items_of_every_kind_within_30_days_soonest_first(superuser_client, expiring):
    response = superuser_client.get(report_url("expiring_soon"))

    assert titles(response) == ["Price list", "MDF program", "Summer promo"]
    html = response.content.decode()
    for item in (expiring["asset"], expiring["program"], expiring["bulletin"]):
        assert f'href="{reverse(EDIT_URL_NAMES[type(item)], args=[item.pk])}"' in html
    for text in ["Expiring soon", "Asset", "Program", "Bulletin", "Erin Editor", "Live", "Days left"]:
        assert text in html
    assert "expire within the next 30 days" in html
    assert "Download CSV" in html and "Download XLSX" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"days": 7}, ["Price list"]),
        ({"days": 14}, ["Price list"]),
        ({"days": 30}, ["Price list", "MDF program", "Summer promo"]),
        ({"days": 90}, ["Price list", "MDF program", "Summer promo", "Roadmap deck"]),
        ({"kind": "program"}, ["MDF program"]),
        ({"kind": "asset", "days": 90}, ["Price list", "Roadmap deck"]),
        ({"owner": "OWNER"}, ["Price list", "Summer promo"]),
        ({"owner": "null"}, ["MDF program"]),
        ({"owner": "OWNER", "kind": "bulletin"}, ["Summer promo"]),
        ({"q": "promo"}, ["Summer promo"]),
        ({"ordering": "-expire_at"}, ["Summer promo", "MDF program", "Price list"]),
        ({"ordering": "title"}, ["MDF program", "Price list", "Summer promo"]),
    ],
)
def test_expiring_soon_filters(superuser_client, expiring, editor, params, expected):
    params = {key: editor.pk if value == "OWNER" else value for key, value in params.items()}
    assert titles(superuser_client.get(report_url("expiring_soon", **params))) == expected


def test_expiring_soon_results_view_answers_the_filter_refresh(superuser_client, expiring):
    response = superuser_client.get(reverse("cms_reports:expiring_soon_results"), {"days": 7})

    assert titles(response) == ["Price list"]
    html = response.content.decode()
    assert "<html" not in html
    assert "expire within the next 7 days" in html


def test_expiring_soon_exports_csv_with_headings_and_rows(superuser_client, expiring):
    rows = csv_rows(superuser_client.get(report_url("expiring_soon", export="csv", days=90)))

    assert rows[0] == ["Title", "Type", "Owner", "State", "Expires", "Days left", "Review by", "Edit URL"]
    assert [[*row[:4], row[5]] for row in rows[1:]] == [
        ["Price list", "Asset", "Erin Editor", "Live", "5"],
        ["MDF program", "Program", "", "Live", "20"],
        ["Summer promo", "Bulletin", "Erin Editor", "Live", "29"],
        ["Roadmap deck", "Asset", "", "Live", "45"],
    ]
    assert rows[1][4].startswith("2027-05-15 08:00:00")
    assert rows[1][7] == "http://testserver" + reverse(EDIT_URL_NAMES[Asset], args=[expiring["asset"].pk])


def test_expiring_soon_export_follows_the_filters(superuser_client, expiring):
    rows = csv_rows(superuser_client.get(report_url("expiring_soon", export="csv", kind="bulletin")))

    assert [row[0] for row in rows[1:]] == ["Summer promo"]


@pytest.mark.parametrize("name", CONTENT_REPORTS)
def test_every_report_downloads_xlsx(superuser_client, expiring, name):
    AssetFactory(title="Never downloaded", live=True)
    ProgramFactory(title="Overdue", live=True, review_by=TODAY - timedelta(days=1))
    BulletinFactory(title="Expired", live=False, expired=True, expire_at=days(-1))

    response = superuser_client.get(report_url(name, export="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"{TODAY:%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Title", "Type")
    assert len(rows) >= 2


# --- review overdue ----------------------------------------------------------------------------


@pytest.fixture
def reviews(editor):
    yesterday = TODAY - timedelta(days=1)
    return {
        "asset": AssetFactory(title="Old battlecard", live=True, review_by=TODAY - timedelta(days=40), owner=editor),
        "program": ProgramFactory(title="Draft program", live=False, review_by=yesterday),
        "bulletin": BulletinFactory(title="Partner news", live=True, review_by=TODAY - timedelta(days=3)),
        # Not overdue:
        "today": AssetFactory(title="Due today", live=True, review_by=TODAY),
        "later": ProgramFactory(title="Due later", live=True, review_by=TODAY + timedelta(days=1)),
        "none": BulletinFactory(title="No review date", live=True),
        "archived": AssetFactory(title="Archived and overdue", live=False, review_by=yesterday, archived_at=NOW),
    }


def test_review_overdue_lists_unarchived_items_past_their_review_date_most_overdue_first(superuser_client, reviews):
    response = superuser_client.get(report_url("review_overdue"))

    assert titles(response) == ["Old battlecard", "Partner news", "Draft program"]
    html = response.content.decode()
    assert "Days overdue" in html and "Draft" in html
    assert f'href="{reverse(EDIT_URL_NAMES[Program], args=[reviews["program"].pk])}"' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "program"}, ["Draft program"]),
        ({"kind": "asset"}, ["Old battlecard"]),
        ({"owner": "OWNER"}, ["Old battlecard"]),
        ({"owner": "null"}, ["Partner news", "Draft program"]),
        ({"ordering": "-review_by"}, ["Draft program", "Partner news", "Old battlecard"]),
    ],
)
def test_review_overdue_filters(superuser_client, reviews, editor, params, expected):
    params = {key: editor.pk if value == "OWNER" else value for key, value in params.items()}
    assert titles(superuser_client.get(report_url("review_overdue", **params))) == expected


def test_review_overdue_exports_csv(superuser_client, reviews):
    rows = csv_rows(superuser_client.get(report_url("review_overdue", export="csv")))

    assert rows[0] == ["Title", "Type", "Owner", "State", "Review by", "Days overdue", "Expires", "Edit URL"]
    assert [row[:6] for row in rows[1:]] == [
        ["Old battlecard", "Asset", "Erin Editor", "Live", "2027-03-31", "40"],
        ["Partner news", "Bulletin", "", "Live", "2027-05-07", "3"],
        ["Draft program", "Program", "", "Draft", "2027-05-09", "1"],
    ]


# --- expired, not archived ---------------------------------------------------------------------


@pytest.fixture
def expired(editor):
    return {
        "past": AssetFactory(title="Past expiry, not swept", live=True, expire_at=NOW - timedelta(hours=2)),
        "swept": ProgramFactory(title="Swept program", live=False, expired=True, expire_at=days(-10), owner=editor),
        "bulletin": BulletinFactory(title="Expired bulletin", live=False, expired=True, expire_at=days(-40)),
        "draft": AssetFactory(title="Draft past its date", live=False, expire_at=days(-1)),
        # Not listed:
        "archived": BulletinFactory(title="Archived", live=False, expired=True, expire_at=days(-50), archived_at=NOW),
        "future": ProgramFactory(title="Still live", live=True, expire_at=days(3)),
        "forever": AssetFactory(title="No expiry", live=True),
    }


def test_expired_not_archived_lists_swept_and_unswept_expired_items_oldest_first(superuser_client, expired):
    response = superuser_client.get(report_url("expired_not_archived"))

    assert titles(response) == ["Expired bulletin", "Swept program", "Draft past its date", "Past expiry, not swept"]
    html = response.content.decode()
    assert "Days since expiry" in html and "Expired" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "asset"}, ["Draft past its date", "Past expiry, not swept"]),
        ({"kind": "bulletin"}, ["Expired bulletin"]),
        ({"owner": "OWNER"}, ["Swept program"]),
    ],
)
def test_expired_not_archived_filters(superuser_client, expired, editor, params, expected):
    params = {key: editor.pk if value == "OWNER" else value for key, value in params.items()}
    assert titles(superuser_client.get(report_url("expired_not_archived", **params))) == expected


def test_expired_not_archived_exports_csv(superuser_client, expired, settings):
    settings.ARCHIVE_AFTER_EXPIRY_DAYS = 30

    rows = csv_rows(superuser_client.get(report_url("expired_not_archived", export="csv", kind="program")))

    assert rows[0] == [
        "Title",
        "Type",
        "Owner",
        "State",
        "Expired",
        "Days since expiry",
        "Archived automatically on",
        "Edit URL",
    ]
    assert len(rows) == 2
    assert rows[1][:4] == ["Swept program", "Program", "Erin Editor", "Expired"]
    assert rows[1][5:7] == ["10", "2027-05-30"]


# --- not downloaded ----------------------------------------------------------------------------


@pytest.fixture
def downloads(editor):
    never = AssetFactory(title="Never downloaded", live=True, owner=editor, asset_type=Asset.AssetType.VIDEO)
    stale = AssetFactory(title="Stale deck", live=True)
    download(stale, at=days(-200))
    download(stale, at=days(-100))
    recent = AssetFactory(title="Popular deck", live=True)
    download(recent, at=days(-100))
    download(recent, at=days(-10))
    fresh = AssetFactory(title="Downloaded today", live=True)
    download(fresh)
    return {
        "never": never,
        "stale": stale,
        "recent": recent,
        "fresh": fresh,
        # Not live for partners, so not listed:
        "draft": AssetFactory(title="Draft asset", live=False),
        "archived": AssetFactory(title="Archived asset", live=False, archived_at=NOW),
        "past": AssetFactory(title="Past expiry", live=True, expire_at=days(-1)),
        # Not assets:
        "program": ProgramFactory(title="A program", live=True),
        "bulletin": BulletinFactory(title="A bulletin", live=True),
    }


def test_not_downloaded_lists_live_assets_never_or_not_lately_downloaded_with_counts(superuser_client, downloads):
    response = superuser_client.get(report_url("not_downloaded"))

    assert titles(response) == ["Never downloaded", "Stale deck"]
    never, stale = response.context["object_list"]
    assert (never.download_count, never.last_downloaded_at) == (0, None)
    assert (stale.download_count, stale.last_downloaded_at) == (2, days(-100))
    html = response.content.decode()
    assert "Last downloaded" in html and "Downloads" in html and "Video" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"downloads": "never"}, ["Never downloaded"]),
        ({"downloads": "stale"}, ["Stale deck"]),
        ({"asset_type": "video"}, ["Never downloaded"]),
        ({"asset_type": "document"}, ["Stale deck"]),
        ({"owner": "OWNER"}, ["Never downloaded"]),
        ({"owner": "null"}, ["Stale deck"]),
        ({"ordering": "-last_downloaded_at"}, ["Stale deck", "Never downloaded"]),
    ],
)
def test_not_downloaded_filters(superuser_client, downloads, editor, params, expected):
    params = {key: editor.pk if value == "OWNER" else value for key, value in params.items()}
    assert titles(superuser_client.get(report_url("not_downloaded", **params))) == expected


def test_not_downloaded_exports_csv(superuser_client, downloads):
    rows = csv_rows(superuser_client.get(report_url("not_downloaded", export="csv")))

    assert rows[0] == [
        "Title",
        "Type",
        "Asset type",
        "Owner",
        "State",
        "First published",
        "Last downloaded",
        "Downloads",
        "Edit URL",
    ]
    assert [row[:5] + row[6:8] for row in rows[1:]] == [
        ["Never downloaded", "Asset", "Video", "Erin Editor", "Live", "", "0"],
        ["Stale deck", "Asset", "Document", "", "Live", "2027-01-30 08:00:00+00:00", "2"],
    ]


# --- listing across models: pagination ----------------------------------------------------------


def test_a_report_paginates_the_merged_list(superuser_client):
    for n in range(20):
        AssetFactory(title=f"Asset {n:02}", live=True, expire_at=days(1) + timedelta(minutes=3 * n))
        ProgramFactory(title=f"Program {n:02}", live=True, expire_at=days(1) + timedelta(minutes=3 * n + 1))
        BulletinFactory(title=f"Bulletin {n:02}", live=True, expire_at=days(1) + timedelta(minutes=3 * n + 2))

    first = superuser_client.get(report_url("expiring_soon"))
    second = superuser_client.get(report_url("expiring_soon", p=2))

    expected = [f"{kind} {n:02}" for n in range(20) for kind in ("Asset", "Program", "Bulletin")]
    assert titles(first) == expected[:50]
    assert titles(second) == expected[50:]
    assert first.context["paginator"].count == 60


# --- the dashboard panel -----------------------------------------------------------------------


@pytest.fixture
def dashboard_content(editor):
    items = {
        "expiring": [
            AssetFactory(live=True, expire_at=days(10)),
            BulletinFactory(live=True, expire_at=days(29)),
        ],
        "not_expiring_soon": [ProgramFactory(live=True, expire_at=days(31))],
        "overdue": [ProgramFactory(live=False, review_by=TODAY - timedelta(days=2))],
        "expired": [
            AssetFactory(live=False, expired=True, expire_at=days(-3)),
            ProgramFactory(live=True, expire_at=days(-1)),
            BulletinFactory(live=False, expired=True, expire_at=days(-5)),
        ],
        "archived": [BulletinFactory(live=False, archived_at=NOW)],
    }
    downloaded = AssetFactory(live=True)
    download(downloaded)
    return items


def attention_counts(html) -> dict[str, int]:
    return {
        label.strip(): int(count) for count, label in re.findall(r"<strong>(\d+)</strong>\s*([^<]+?)\s*</a>", html)
    }


def test_dashboard_panel_shows_what_needs_attention_with_links_to_the_reports(superuser_client, dashboard_content):
    response = superuser_client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Content health" in html
    assert attention_counts(html) == {
        "expiring in the next 30 days": 2,
        "past their review date": 1,
        "expired, not archived": 3,
        "live assets never downloaded": 1,  # the expiring asset; the other asset was downloaded
        "assets with a duplicate file": 0,
        "broken links": 0,
    }
    assert f'href="{report_url("expiring_soon", days=30)}"' in html
    assert f'href="{report_url("review_overdue")}"' in html
    assert f'href="{report_url("expired_not_archived")}"' in html
    assert f'href="{report_url("not_downloaded", downloads="never")}"' in html


def test_dashboard_panel_counts_content_by_state(admin_user, dashboard_content):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    context = ContentHealthPanel(request).get_context_data({})

    assert [column["label"] for column in context["columns"]] == ["Assets", "Programs", "Bulletins"]
    counts = {
        state["label"]: ([cell["count"] for cell in state["cells"]], state["total"]) for state in context["states"]
    }
    assert counts == {
        "Live": ([2, 1, 1], 4),
        "Scheduled": ([0, 0, 0], 0),
        "In review": ([0, 0, 0], 0),
        "Draft": ([0, 1, 0], 1),
        "Expired": ([1, 1, 1], 3),
        "Archived": ([0, 0, 1], 1),
    }
    live = next(state for state in context["states"] if state["label"] == "Live")
    assert live["cells"][0]["url"] == reverse("wagtailsnippets_cms_asset:list") + "?state=live"


def test_dashboard_panel_query_count_does_not_grow_with_content(admin_user, editor, django_assert_max_num_queries):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    content_report_rows(3, editor)
    with CaptureQueriesContext(connection) as small:
        ContentHealthPanel(request).render_html({"request": request})
    assert len(small.captured_queries) <= 3  # one aggregate per model

    content_report_rows(27, editor)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = ContentHealthPanel(request).render_html({"request": request})
    assert attention_counts(html)["past their review date"] == 90


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONTENT_REPORTS)
def test_a_partner_user_is_sent_to_the_login(client, name):
    client.force_login(partner_user())

    response = client.get(report_url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(STAFF_LOGIN)


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(report_url("expiring_soon"))

    assert response.status_code == 302
    assert response["Location"].startswith(STAFF_LOGIN)


def test_staff_without_the_change_permission_is_refused_and_sees_no_panel(client, dashboard_content):
    client.force_login(staff_user_with_permissions())

    response = client.get(report_url("expiring_soon"))
    home = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Content health" not in home.content.decode()


def test_staff_who_may_change_programs_only_see_programs(client, dashboard_content):
    client.force_login(staff_user_with_permissions("cms.change_program"))

    expiring = client.get(report_url("expiring_soon", days=90))
    not_downloaded = client.get(report_url("not_downloaded"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert {type(item) for item in expiring.context["object_list"]} == {Program}
    assert not_downloaded.status_code == 302  # assets only
    assert "Content health" in home
    assert "live assets never downloaded" not in home


def test_wagtails_own_reports_still_answer(superuser_client):
    assert superuser_client.get(reverse("wagtailadmin_reports:locked_pages")).status_code == 200


def test_the_reports_are_in_the_reports_menu(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    items = {item.name: item for item in reports_menu.menu_items_for_request(request)}

    for name in CONTENT_REPORTS:
        menu_name = "content-" + name.replace("_", "-")
        assert str(items[menu_name].url) == reverse(f"cms_reports:{name}")
