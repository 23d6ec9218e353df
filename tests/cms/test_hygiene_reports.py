"""Reports "Assets: duplicate files" and "Assets: broken links", the edit view's duplicate notice and the upload
warning: what they list, their filters and exports, who may see them, and the notice's query count (the reports':
tests/cms/test_report_query_counts.py)."""

import io
from datetime import UTC, datetime, timedelta

from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.admin.menu import reports_menu

import openpyxl
import pytest
import time_machine

from cms.factories import AssetFactory, LinkAssetFactory
from cms.hygiene.probe import Outcome, ProbeResult
from cms.models import Asset, LinkCheck
from cms.services.link_checks import link_check_record
from partners.factories import partner_user, staff_user_with_permissions
from tests.cms.reports import HYGIENE_REPORTS, STAFF_LOGIN, csv_rows, report_url, titles

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 5, 10, 8, 0, tzinfo=UTC)
PDF_A = b"%PDF-1.4\n% the partner guide\n"
PDF_B = b"%PDF-1.4\n% the battlecard\n"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def edit_url(asset) -> str:
    return reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk])


def pdf(content: bytes, name="file.pdf") -> ContentFile:
    return ContentFile(content, name=name)


def broken(asset, *, status=404, error="HTTP 404 Not Found", at=None):
    return link_check_record(
        asset_id=asset.pk, url=asset.external_url, result=ProbeResult(Outcome.BROKEN, status, error), now=at or NOW
    )


# --- duplicate files -----------------------------------------------------------------------------------


@pytest.fixture
def duplicates(editor):
    return {
        "guide": AssetFactory(title="Partner guide", file=pdf(PDF_A, "guide.pdf"), owner=editor),
        "guide_copy": AssetFactory(title="Guide (copy)", file=pdf(PDF_A, "guide-2024.pdf"), live=False),
        "battlecard": AssetFactory(title="Battlecard", file=pdf(PDF_B, "battlecard.pdf")),
        "battlecard_again": AssetFactory(
            title="Battlecard EMEA", asset_type=Asset.AssetType.BATTLECARD, file=pdf(PDF_B, "bc.pdf")
        ),
        "unique": AssetFactory(title="Unique deck", file=pdf(b"%PDF-1.4\n% unique\n")),
        "archived_copy": AssetFactory(title="Archived guide", file=pdf(PDF_A), archived_at=NOW, live=False),
        "link": LinkAssetFactory(title="A link"),
        "other_link": LinkAssetFactory(title="Another link"),  # no file: no hash, never a duplicate
    }


def test_duplicate_files_lists_assets_with_identical_files_grouped_and_not_the_others(superuser_client, duplicates):
    response = superuser_client.get(report_url("duplicate_files"))

    # Groups by their first title (Battlecard…, Guide…), each group's assets by title.
    assert titles(response) == ["Battlecard", "Battlecard EMEA", "Guide (copy)", "Partner guide"]
    html = response.content.decode()
    assert "Assets: duplicate files" in html
    assert f'href="{edit_url(duplicates["guide_copy"])}">Guide (copy)</a>' in html  # "same file as" of the guide
    for text in ["Same file as", "Erin Editor", "Draft", "Live", "guide-2024", "Download CSV", "Download XLSX"]:
        assert text in html
    assert "Unique deck" not in html and "Archived guide" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "OWNER"}, ["Partner guide"]),
        ({"asset_type": "battlecard"}, ["Battlecard EMEA"]),
        ({"q": "guide"}, ["Guide (copy)", "Partner guide"]),
        ({"ordering": "title"}, ["Battlecard", "Battlecard EMEA", "Guide (copy)", "Partner guide"]),
        ({"ordering": "-title"}, ["Partner guide", "Guide (copy)", "Battlecard EMEA", "Battlecard"]),
    ],
)
def test_duplicate_files_filters(superuser_client, duplicates, editor, params, expected):
    params = {key: editor.pk if value == "OWNER" else value for key, value in params.items()}
    assert titles(superuser_client.get(report_url("duplicate_files", **params))) == expected


def test_duplicate_files_exports_csv_with_the_hash_and_the_other_assets(superuser_client, duplicates):
    rows = csv_rows(superuser_client.get(report_url("duplicate_files", export="csv")))

    assert rows[0] == [
        "Title", "Type", "Asset type", "Owner", "State", "File", "Content hash (SHA-256)", "Assets with this file",
        "Same file as", "Edit URL",
    ]  # fmt: skip
    guide = next(row for row in rows if row[0] == "Partner guide")
    assert guide[1:5] == ["Asset", "Document", "Erin Editor", "Live"]
    assert guide[5].startswith("guide") and guide[5].endswith(".pdf")  # the stored name, without its folder
    assert guide[6] == duplicates["guide"].file_sha256 and len(guide[6]) == 64
    assert guide[7:9] == ["2", "Guide (copy)"]
    assert guide[9] == "http://testserver" + edit_url(duplicates["guide"])


def test_duplicate_files_downloads_xlsx(superuser_client, duplicates):
    response = superuser_client.get(report_url("duplicate_files", export="xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]][:2] == ["Title", "Type"]
    assert sheet.max_row == 5


def test_the_edit_view_says_which_assets_have_the_same_file(superuser_client, duplicates):
    html = superuser_client.get(edit_url(duplicates["guide"])).content.decode()
    unique = superuser_client.get(edit_url(duplicates["unique"])).content.decode()

    assert "Duplicate file: this asset&#x27;s file is identical to the file of another asset." in html
    assert f'href="{edit_url(duplicates["guide_copy"])}"' in html
    assert edit_url(duplicates["archived_copy"]) not in html
    assert "Duplicate file" not in unique


def test_uploading_a_file_already_in_the_library_warns_and_saves(superuser_client, duplicates):
    response = superuser_client.post(
        reverse("wagtailsnippets_cms_asset:add"),
        {"title": "Guide, again", "asset_type": "document", "file": SimpleUploadedFile("again.pdf", PDF_A)},
    )

    assert response.status_code == 302
    created = Asset.objects.get(title="Guide, again")
    assert created.file_sha256 == duplicates["guide"].file_sha256
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "The file you uploaded is already in the library: “Guide (copy)”, “Partner guide”" in warnings[0]
    assert edit_url(duplicates["guide"]) in warnings[0]


def test_uploading_a_new_file_says_nothing_of_duplicates(superuser_client, duplicates):
    response = superuser_client.post(
        reverse("wagtailsnippets_cms_asset:add"),
        {"title": "New", "asset_type": "document", "file": SimpleUploadedFile("new.pdf", b"%PDF-1.4\n% new\n")},
    )

    assert response.status_code == 302
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_replacing_a_file_with_one_already_in_the_library_warns(superuser_client, duplicates):
    unique = duplicates["unique"]
    unique.live = False
    unique.save()

    response = superuser_client.post(
        edit_url(unique),
        {
            "title": "Unique deck",
            "asset_type": "document",
            "file": SimpleUploadedFile("battle.pdf", PDF_B),
            "version_note": "Now the battlecard",
        },
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "“Battlecard”, “Battlecard EMEA”" in warnings[0]


# --- broken links -----------------------------------------------------------------------------------------


@pytest.fixture
def links(editor):
    items = {
        "gone": LinkAssetFactory(title="Old product page", owner=editor, external_url="https://old.example/page"),
        "down": LinkAssetFactory(title="Configurator", external_url="https://down.example/"),
        "video": AssetFactory(
            title="Launch video", asset_type=Asset.AssetType.VIDEO, file=None, external_url="https://v.example/1"
        ),
        "fine": LinkAssetFactory(title="Fine page"),
        "changed": LinkAssetFactory(title="Fixed since", external_url="https://new.example/"),
        "archived": LinkAssetFactory(title="Archived link", archived_at=NOW, live=False),
        "never": LinkAssetFactory(title="Never checked"),
    }
    broken(items["gone"], at=NOW - timedelta(days=10))
    broken(items["gone"], at=NOW - timedelta(days=1))
    broken(items["down"], status=None, error="No answer within 10 seconds.", at=NOW - timedelta(days=2))
    broken(items["video"], status=500, error="HTTP 500 Internal Server Error", at=NOW - timedelta(hours=3))
    link_check_record(asset_id=items["fine"].pk, url=items["fine"].external_url, result=ProbeResult(Outcome.OK, 200))
    broken(items["changed"])
    Asset.objects.filter(pk=items["changed"].pk).update(external_url="https://fixed.example/")
    broken(items["archived"])
    return items


def test_broken_links_lists_assets_whose_current_url_failed_broken_longest_first(superuser_client, links):
    response = superuser_client.get(report_url("broken_links"))

    assert titles(response) == ["Old product page", "Configurator", "Launch video"]
    html = response.content.decode()
    assert "Assets: broken links" in html
    for text in [
        "HTTP 404 Not Found",
        "No answer within 10 seconds.",
        'href="https://old.example/page" title="https://old.example/page" target="_blank" rel="noopener noreferrer"',
        "Broken since",
        "10 days",
        "2 failed checks in a row",
        "Erin Editor",
        "Download CSV",
    ]:
        assert text in html
    gone = response.context["object_list"][0]
    assert (gone.report_days_broken, gone.link_check.failures) == (10, 2)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"problem": "http_error"}, ["Old product page", "Launch video"]),
        ({"problem": "no_answer"}, ["Configurator"]),
        ({"asset_type": "video"}, ["Launch video"]),
        ({"owner": "OWNER"}, ["Old product page"]),
        ({"ordering": "-broken_since"}, ["Launch video", "Configurator", "Old product page"]),
        ({"ordering": "title"}, ["Configurator", "Launch video", "Old product page"]),
    ],
)
def test_broken_links_filters(superuser_client, links, editor, params, expected):
    params = {key: editor.pk if value == "OWNER" else value for key, value in params.items()}
    assert titles(superuser_client.get(report_url("broken_links", **params))) == expected


def test_broken_links_exports_csv(superuser_client, links):
    rows = csv_rows(superuser_client.get(report_url("broken_links", export="csv")))

    assert rows[0] == [
        "Title", "Type", "Asset type", "Owner", "State", "URL", "HTTP status", "Problem", "Redirected to",
        "Broken since", "Days broken", "Last checked", "Failed checks", "Edit URL",
    ]  # fmt: skip
    assert rows[1][:8] == [
        "Old product page", "Asset", "Link", "Erin Editor", "Live", "https://old.example/page", "404",
        "HTTP 404 Not Found",
    ]  # fmt: skip
    assert rows[1][9].startswith("2027-04-30 08:00:00") and rows[1][10] == "10" and rows[1][12] == "2"
    assert [row[0] for row in rows[1:]] == ["Old product page", "Configurator", "Launch video"]


def test_a_link_that_answers_again_leaves_the_report(superuser_client, links):
    asset = links["gone"]
    link_check_record(asset_id=asset.pk, url=asset.external_url, result=ProbeResult(Outcome.OK, 200))

    assert "Old product page" not in titles(superuser_client.get(report_url("broken_links")))


# --- who may see them ---------------------------------------------------------------------------------------

#: Every report of issue 18's asset hygiene, for the checks of who may open them.
ASSET_REPORTS = [*HYGIENE_REPORTS, "file_text", "file_scans"]


@pytest.mark.parametrize("name", ASSET_REPORTS)
def test_partner_users_and_visitors_are_sent_to_the_login(client, name, duplicates, links):
    anonymous = client.get(report_url(name))
    client.force_login(partner_user())
    partner = client.get(report_url(name))
    partner_export = client.get(report_url(name, export="csv"))

    for response in (anonymous, partner, partner_export):
        assert response.status_code == 302
        assert response["Location"].startswith(STAFF_LOGIN)


@pytest.mark.parametrize("name", ASSET_REPORTS)
@pytest.mark.parametrize("permissions", [(), ("cms.change_program", "cms.change_bulletin"), ("cms.view_asset",)])
def test_staff_who_may_not_change_assets_are_refused(client, name, permissions, duplicates, links):
    client.force_login(staff_user_with_permissions(*permissions))

    for response in (client.get(report_url(name)), client.get(report_url(name, export="csv"))):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        assert b"Partner guide" not in response.content and b"old.example" not in response.content


@pytest.mark.parametrize("name", HYGIENE_REPORTS)
def test_staff_who_may_change_assets_see_them(client, name, duplicates, links):
    client.force_login(staff_user_with_permissions("cms.change_asset"))

    assert len(titles(client.get(report_url(name)))) == (4 if name == "duplicate_files" else 3)


def test_the_reports_are_in_the_reports_menu_for_asset_editors_only(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    items = {item.name: item for item in reports_menu.menu_items_for_request(request)}
    request.user = staff_user_with_permissions("cms.change_program")
    program_editor_items = {item.name for item in reports_menu.menu_items_for_request(request)}

    assert str(items["content-duplicate-files"].url) == reverse("cms_reports:duplicate_files")
    assert str(items["content-broken-links"].url) == reverse("cms_reports:broken_links")
    assert items["content-duplicate-files"].label == "Assets: duplicate files"
    assert "content-duplicate-files" not in program_editor_items
    assert "content-broken-links" not in program_editor_items


# --- query counts -----------------------------------------------------------------------------------------------


def test_the_edit_view_notice_costs_one_query(superuser_client, duplicates, django_assert_max_num_queries):
    superuser_client.get(edit_url(duplicates["unique"]))
    with CaptureQueriesContext(connection) as without:
        superuser_client.get(edit_url(duplicates["unique"]))
    with django_assert_max_num_queries(len(without.captured_queries) + 1):
        superuser_client.get(edit_url(duplicates["guide"]))


def test_a_link_check_is_kept_apart_from_the_assets_revisions(links):
    """Publishing an old revision must not bring an old check back: the check is its own row."""
    asset = links["gone"]
    revision = asset.save_revision()
    revision.publish()

    assert LinkCheck.objects.get(asset=asset).failures == 2


# --- the dashboard's content health panel ------------------------------------------------------------------------


def test_the_dashboard_counts_duplicate_files_and_broken_links_with_links_to_the_reports(
    superuser_client, duplicates, links
):
    html = superuser_client.get(reverse("wagtailadmin_home")).content.decode()

    assert f'<a href="{report_url("duplicate_files")}"><strong>4</strong> assets with a duplicate file</a>' in html
    assert f'<a href="{report_url("broken_links")}"><strong>3</strong> broken links</a>' in html


def test_the_dashboard_says_nothing_of_assets_to_program_editors(client, duplicates, links):
    client.force_login(staff_user_with_permissions("cms.change_program"))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Content health" in html
    assert "duplicate file" not in html and "broken links" not in html


def test_a_live_assets_file_replaced_in_a_draft_gets_its_own_hash_when_published(superuser_client, duplicates):
    """A live asset's edits are a revision until published: the new file's hash travels with it."""
    live = duplicates["unique"]
    old_hash = live.file_sha256

    response = superuser_client.post(
        edit_url(live),
        {
            "title": "Unique deck",
            "asset_type": "document",
            "file": SimpleUploadedFile("battle.pdf", PDF_B),
            "version_note": "Now the battlecard",
        },
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.file_sha256 == old_hash  # the row is still what partners get
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "“Battlecard”, “Battlecard EMEA”" in warnings[0]  # warned at upload all the same

    live.get_latest_revision().publish()

    live.refresh_from_db()
    assert live.file_sha256 == duplicates["battlecard"].file_sha256
    assert "Unique deck" in titles(superuser_client.get(report_url("duplicate_files")))
