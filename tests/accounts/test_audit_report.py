"""Reports → Sign-ins: the audit with its filters and exports, for those allowed to see it."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from wagtail import hooks

import openpyxl
import pytest

from accounts.factories import SignInEventFactory
from accounts.models import SignInEvent, SignInEventType
from partners.factories import PartnerFactory, StaffUserFactory, partner_user

pytestmark = pytest.mark.django_db
STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)


def report_url(results=False, **params) -> str:
    url = reverse("accounts_reports:sign_ins_results" if results else "accounts_reports:sign_ins")
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def listed(client, **params) -> list[str]:
    response = client.get(report_url(**params))
    assert response.status_code == 200
    return [row.identifier for row in response.context["object_list"]]


@pytest.fixture
def audit():
    """Ann (Acme) signed in yesterday from 198.51.100.7; someone failed as bob@brick.test today from 203.0.113.5;
    Carol (Brick) was locked out 10 days ago from 2001:db8::1."""
    SignInEvent.objects.all().delete()  # the test client's own sign-in
    now = timezone.now()
    acme, brick = PartnerFactory(name="Acme"), PartnerFactory(name="Brick")
    ann = partner_user(partner=acme, user__email="ann@acme.test", user__first_name="Ann", user__last_name="Archer")
    carol = partner_user(partner=brick, user__email="carol@brick.test")
    SignInEventFactory(user=ann, at=now - timedelta(days=1), ip_address="198.51.100.7")
    SignInEventFactory(
        user=None,
        identifier="bob@brick.test",
        partner=None,
        event=SignInEventType.SIGN_IN_FAILED,
        at=now,
        ip_address="203.0.113.5",
        detail="Unknown account",
    )
    SignInEventFactory(
        user=carol, event=SignInEventType.LOCKED_OUT, at=now - timedelta(days=10), ip_address="2001:db8::1"
    )
    return {"acme": acme, "brick": brick, "ann": ann, "carol": carol}


def test_the_report_lists_every_event_newest_first(admin_client, audit):
    response = admin_client.get(report_url())
    assert response.status_code == 200
    assert [row.identifier for row in response.context["object_list"]] == [
        "bob@brick.test",
        "ann@acme.test",
        "carol@brick.test",
    ]
    html = response.content.decode()
    for text in ("Sign-in failed", "Unknown account", "Ann Archer &lt;ann@acme.test&gt;", "Locked out", "Brick"):
        assert text in html


def test_the_report_filters_by_event_partner_account_dates_and_address(admin_client, audit):
    assert listed(admin_client, event=SignInEventType.SIGN_IN_FAILED) == ["bob@brick.test"]
    assert listed(admin_client, event=[SignInEventType.SIGN_IN_FAILED, SignInEventType.LOCKED_OUT]) == [
        "bob@brick.test",
        "carol@brick.test",
    ]
    assert listed(admin_client, partner=audit["brick"].pk) == ["carol@brick.test"]
    assert listed(admin_client, account="archer") == ["ann@acme.test"]  # by name too
    assert listed(admin_client, account="brick.test") == ["bob@brick.test", "carol@brick.test"]
    today = timezone.localdate()
    week_ago = (today - timedelta(days=7)).isoformat()
    assert listed(admin_client, at_from=week_ago, at_to=today.isoformat()) == ["bob@brick.test", "ann@acme.test"]
    assert listed(admin_client, at_to=week_ago) == ["carol@brick.test"]
    assert listed(admin_client, ip_address="198.51.100.7") == ["ann@acme.test"]
    assert listed(admin_client, ip_address="203.0.") == ["bob@brick.test"]  # the beginning of addresses
    assert listed(admin_client, ip_address="2001:db8::1") == ["carol@brick.test"]
    response = admin_client.get(report_url(results=True, ip_address="192.0.2.99"))
    assert "Nothing matches your filters." in response.content.decode()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_report_exports_csv_with_its_filters(admin_client, audit):
    rows = csv_rows(admin_client.get(report_url(export="csv", partner=audit["brick"].pk)))
    assert rows[0] == [
        "When (UTC)",
        "Event",
        "User",
        "E-mail or username",
        "Partner",
        "Method",
        "IP address",
        "User agent",
        "By",
        "Detail",
    ]
    assert len(rows) == 2
    assert rows[1][1] == "Locked out"
    assert rows[1][2] == f"{audit['carol'].get_full_name()} <carol@brick.test>"
    assert rows[1][3:7] == ["carol@brick.test", "Brick", "Password", "2001:db8::1"]
    assert rows[1][0].count(":") == 2 and "+" not in rows[1][0]  # 2026-05-10 12:00:00, in UTC
    assert "attachment" in admin_client.get(report_url(export="csv"))["Content-Disposition"]


def test_the_report_exports_xlsx(admin_client, audit):
    response = admin_client.get(report_url(export="xlsx", event=SignInEventType.SIGN_IN_FAILED))
    assert response.status_code == 200
    assert f"sign-ins-{timezone.localdate():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("When (UTC)", "Event")
    assert [row[1:5] for row in rows[1:]] == [("Sign-in failed", "bob@brick.test", "bob@brick.test", None)]


def test_a_typed_formula_reaches_the_csv_as_text(admin_client):
    SignInEvent.objects.all().delete()
    SignInEventFactory(user=None, partner=None, identifier='=HYPERLINK("http://evil.example","x")')
    rows = csv_rows(admin_client.get(report_url(export="csv")))
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","x")'


def test_the_report_needs_its_view_permission(client, audit):
    editor = StaffUserFactory(username="auditor", is_superuser=False)
    editor.groups.add(group := Group.objects.create(name="Security"))
    Permission.objects.get(codename="access_admin").group_set.add(group)
    client.force_login(editor)
    assert client.get(report_url()).status_code == 302  # back to the dashboard
    assert "Sign-ins" not in client.get(reverse("wagtailadmin_home")).content.decode()
    group.permissions.add(Permission.objects.get(codename="view_signinevent"))
    assert client.get(report_url()).status_code == 200
    assert reverse("accounts_reports:sign_ins") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_partner_users_and_visitors_never_see_it(client, audit):
    assert client.get(report_url())["Location"].startswith(STAFF_LOGIN)
    client.force_login(audit["ann"])
    assert client.get(report_url()).status_code == 302


def test_the_view_permission_is_offered_in_the_group_editor(admin_client):
    registered = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for hook in hooks.get_hooks("register_permissions")
        for permission in hook()
    }
    assert "accounts.view_signinevent" in registered
    response = admin_client.get(reverse("wagtailusers_groups:add"))
    assert f'value="{Permission.objects.get(codename="view_signinevent").pk}"' in response.content.decode()
    # Nobody is offered writing the audit: the events are recorded by the code only.
    assert not Permission.objects.filter(
        content_type__app_label="accounts", content_type__model="signinevent", codename__regex="^(add|change|delete)_"
    )


def test_the_report_costs_a_fixed_number_of_queries(admin_client, audit, django_assert_max_num_queries):
    def count_queries():
        with django_assert_max_num_queries(100) as captured:
            admin_client.get(report_url())
        return len(captured.captured_queries)

    before = count_queries()
    for _ in range(20):
        SignInEventFactory(user=partner_user(partner=audit["acme"]), actor=StaffUserFactory())
    assert count_queries() == before


def test_a_failure_under_a_username_shows_the_account_and_what_was_typed(admin_client, audit):
    SignInEventFactory(user=audit["ann"], identifier="ANN-typed", event=SignInEventType.SIGN_IN_FAILED)
    response = admin_client.get(report_url(event=SignInEventType.SIGN_IN_FAILED, partner=audit["acme"].pk))
    assert [row.user_text for row in response.context["object_list"]] == ["Ann Archer <ann@acme.test>, as “ANN-typed”"]
