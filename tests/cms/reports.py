"""What the tests of the admin's content reports share: their URLs, reading their rows and CSV exports, staff with
chosen permissions, and the check that a report's queries do not grow with its rows."""

import csv
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)


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


def staff_with(*codenames):
    """A staff user who may open the admin, with these permissions of cms (``change_asset``…)."""
    user = get_user_model().objects.create_user("staff", "staff@example.test", "pw", is_staff=True)
    group = Group.objects.create(name="Report readers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *(Permission.objects.get(content_type__app_label="cms", codename=codename) for codename in codenames),
    )
    user.groups.add(group)
    return user


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
