"""What the tests of the admin's content reports share: their names and URLs, reading their rows and CSV exports,
rows for every report, and the check that a report's queries do not grow with its rows. (Staff with chosen
permissions: ``partners.factories.staff_user_with_permissions``.)"""

import csv
import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cms.factories import AssetFactory, BulletinFactory, LinkAssetFactory, ProgramFactory
from cms.hygiene.probe import Outcome, ProbeResult
from cms.models import Download
from cms.services.activity import download_record
from cms.services.link_checks import link_check_record
from partners.factories import partner_user

STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)

#: What needs an editor's attention by date or use, across assets, programs and bulletins (tests/cms/test_reports.py).
CONTENT_REPORTS = ["expiring_soon", "review_overdue", "expired_not_archived", "not_downloaded"]
#: The asset hygiene reports of ``cms.hygiene`` (tests/cms/test_hygiene_reports.py).
HYGIENE_REPORTS = ["duplicate_files", "broken_links"]


def report_url(name, **params) -> str:
    url = reverse(f"cms_reports:{name}")
    return f"{url}?{urlencode(params)}" if params else url


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [item.title for item in response.context["object_list"]]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def content_report_rows(n, owner) -> None:
    """``n`` rows in every report of ``CONTENT_REPORTS``, of every kind, every other one owned by ``owner``."""
    now = timezone.now()
    for i in range(n):
        item_owner = owner if i % 2 else None
        for factory in (AssetFactory, ProgramFactory, BulletinFactory):
            factory(
                live=True,
                expire_at=now + timedelta(days=3 + i % 20),
                review_by=now.date() - timedelta(days=1 + i),
                owner=item_owner,
            )
            factory(live=False, expired=True, expire_at=now - timedelta(days=1 + i), owner=item_owner)
        stale = download_record(asset=AssetFactory(live=True, owner=item_owner), user=partner_user())
        Download.objects.filter(pk=stale.pk).update(downloaded_at=now - timedelta(days=120))
        AssetFactory(live=True, owner=item_owner)


def hygiene_report_rows(n, owner) -> None:
    """``n`` rows in every report of ``HYGIENE_REPORTS``: a file held twice, a broken link; every other one owned by
    ``owner``."""
    now = timezone.now()
    for i in range(n):
        item_owner = owner if i % 2 else None
        content = b"%PDF-1.4\n% shared " + str(i).encode() + b"\n"
        AssetFactory(file=ContentFile(content, name="file.pdf"), owner=item_owner)
        AssetFactory(file=ContentFile(content, name="file.pdf"), owner=item_owner, live=False)
        link = LinkAssetFactory(owner=item_owner)
        link_check_record(
            asset_id=link.pk,
            url=link.external_url,
            result=ProbeResult(Outcome.BROKEN, 404, "HTTP 404 Not Found"),
            now=now - timedelta(days=i),
        )


def assert_report_queries_do_not_grow(client, name, *, export, make_rows, assert_max_num_queries) -> None:
    """Report ``name`` (its page, or its ``export``) costs no more queries with ten times the rows ``make_rows(n)``
    makes; ``assert_max_num_queries`` is pytest-django's ``django_assert_max_num_queries``."""
    params = {"export": export} if export else {}

    def get():
        response = client.get(report_url(name, **params))
        assert response.status_code == 200
        return csv_rows(response) if export else response.context["object_list"]

    make_rows(3)
    get()  # warm up caches (content types, site) the first admin request fills
    with CaptureQueriesContext(connection) as small:
        few = get()
    assert len(few) >= 3

    make_rows(27)
    with assert_max_num_queries(len(small.captured_queries)):
        many = get()
    assert len(many) > len(few)
