"""The admin's report "Learning packages: attempts and results": per package and per package x partner."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

import pytest

from elearning.factories import PackageFactory
from elearning.factories_runtime import launched
from elearning.models import PackageAttempt
from partners.factories import PartnerFactory, UserFactory, give_second_factor, partner_user

pytestmark = pytest.mark.django_db


def report_url(**params) -> str:
    url = reverse("elearning_reports:packages")
    return f"{url}?{urlencode(params)}" if params else url


def attempt(user, package, *, context="course:1", **fields):
    launch, _token = launched(user, package, context=context)
    PackageAttempt.objects.filter(pk=launch.attempt_id).update(**fields)
    return launch.attempt


@pytest.fixture
def scorm12():
    return PackageFactory(standard="scorm12", title="Security basics")


@pytest.fixture
def attempts(scorm12):
    """Security basics: Acme's Ann completes and passes (90%, 10 min) then retakes (in progress); Acme's Bo
    completes and fails (50%, 20 min); Brick's Cy has started. Selling with partners: Cy passes, long ago."""
    acme, brick = PartnerFactory(name="Acme"), PartnerFactory(name="Brick")
    ann, bo = partner_user(partner=acme), partner_user(partner=acme)
    cy = partner_user(partner=brick)
    scorm2004 = PackageFactory(standard="scorm2004", title="Selling with partners")
    done = {"completion_status": "completed", "status": "completed"}
    attempt(ann, scorm12, **done, success_status="passed", score_percent=Decimal(90), total_seconds=600)
    attempt(ann, scorm12, context="course:1:round:2", completion_status="incomplete", total_seconds=60)
    attempt(bo, scorm12, **done, success_status="failed", score_percent=Decimal(50), total_seconds=1200)
    attempt(cy, scorm12, completion_status="incomplete")
    old = timezone.now() - timedelta(days=100)
    attempt(cy, scorm2004, **done, success_status="passed", score_percent=Decimal(80), last_activity_at=old)
    return {"acme": acme, "brick": brick, "security": scorm12, "selling": scorm2004}


def rows_of(response) -> list[tuple]:
    return [
        (
            row["package_title"],
            row.get("partner_label"),
            *(row["attempts"], row["learners"], row["completed"], row["passed"]),
            round(row["completion_rate"], 2),
            round(row["success_rate"], 2),
            None if row["average_score"] is None else round(float(row["average_score"]), 1),
        )
        for row in response.context["object_list"]
    ]


def test_per_package_and_partner(admin_client, attempts):
    response = admin_client.get(report_url())
    assert response.status_code == 200
    assert rows_of(response) == [
        ("Security basics", "Acme", 3, 2, 2, 1, 0.67, 0.33, 70.0),
        ("Security basics", "Brick", 1, 1, 0, 0, 0.0, 0.0, None),
        ("Selling with partners", "Brick", 1, 1, 1, 1, 1.0, 1.0, 80.0),
    ]
    acme = response.context["object_list"][0]
    assert round(float(acme["average_seconds"])) == 620  # (600 + 60 + 1200) / 3


def test_per_package_and_filtered_by_partner_package_and_date(admin_client, attempts):
    assert rows_of(admin_client.get(report_url(group_by="package"))) == [
        ("Security basics", None, 4, 3, 2, 1, 0.5, 0.25, 70.0),
        ("Selling with partners", None, 1, 1, 1, 1, 1.0, 1.0, 80.0),
    ]
    by_brick = rows_of(admin_client.get(report_url(partner=attempts["brick"].pk)))
    assert [(row[0], row[1]) for row in by_brick] == [("Security basics", "Brick"), ("Selling with partners", "Brick")]
    selling = rows_of(admin_client.get(report_url(package=attempts["selling"].pk)))
    assert [row[0] for row in selling] == ["Selling with partners"]
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    recent = rows_of(admin_client.get(report_url(group_by="package", last_activity_at_from=since)))
    assert [row[0] for row in recent] == ["Security basics"]


def test_the_csv_export(admin_client, attempts):
    response = admin_client.get(report_url(export="csv", group_by="package_partner"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Package",
        "Partner",
        "Attempts",
        "Learners",
        "Completed",
        "Passed",
        "Completion rate (%)",
        "Success rate (%)",
        "Average score (%)",
        "Average time (minutes)",
        "Last activity",
    ]
    assert rows[1][:10] == ["Security basics", "Acme", "3", "2", "2", "1", "66.7", "33.3", "70.0", "10.3"]
    assert admin_client.get(report_url(export="xlsx")).status_code == 200


def test_only_users_with_the_view_permission_see_it(client, attempts):
    editor = UserFactory(is_staff=True)
    give_second_factor(editor)
    group = Group.objects.create(name="Package report test")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    assert client.get(report_url()).status_code == 302  # Wagtail sends them to the dashboard
    group.permissions.add(Permission.objects.get(codename="view_packageattempt"))
    assert client.get(report_url()).status_code == 200


def test_a_fixed_number_of_queries(admin_client, attempts, scorm12, django_assert_max_num_queries):
    admin_client.get(report_url())  # warm caches (permissions, content types)
    with django_assert_max_num_queries(20) as small:
        admin_client.get(report_url())
    for index in range(6):
        attempt(partner_user(partner=PartnerFactory(name=f"Partner {index}")), scorm12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(report_url())
