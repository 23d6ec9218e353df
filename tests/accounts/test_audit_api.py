"""GET /api/v1/me/partner/sign-ins: a partner admin reads their own partner's sign-in audit, and nothing else."""

from datetime import timedelta

from django.utils import timezone

import pytest

from accounts.factories import SignInEventFactory
from accounts.models import SignInEvent, SignInEventType
from partners.factories import PartnerFactory, RoleFactory, StaffUserFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/partner/sign-ins"


@pytest.fixture
def world():
    """Acme's admin and colleague Ann; Brick's Bob. Events of both partners, and a failure for an unknown e-mail."""
    admin_role = RoleFactory(key="admin", name="Admin")
    acme, brick = PartnerFactory(name="Acme"), PartnerFactory(name="Brick")
    admin = make_token_user(partner=acme, roles=[admin_role])
    ann = make_token_user(partner=acme)
    bob = make_token_user(partner=brick, roles=[admin_role])
    now = timezone.now()
    staff = StaffUserFactory(email="ops@vendor.test")
    SignInEventFactory(user=ann.user, at=now - timedelta(days=3), ip_address="198.51.100.7")
    SignInEventFactory(
        user=ann.user, event=SignInEventType.SIGN_IN_FAILED, at=now - timedelta(days=1), detail="Wrong password"
    )
    SignInEventFactory(
        user=None,
        identifier="new@acme.test",
        event=SignInEventType.INVITATION_SENT,
        actor=admin.user,
        partner=acme,
        method="",
        at=now - timedelta(hours=2),
    )
    SignInEventFactory(
        user=ann.user, event=SignInEventType.MFA_RESET, actor=staff, method="", at=now - timedelta(hours=1)
    )
    SignInEventFactory(user=bob.user, at=now, ip_address="203.0.113.1")  # Brick's
    SignInEventFactory(user=None, identifier="ann@acme.test", partner=None, event=SignInEventType.SIGN_IN_FAILED)
    return {"acme": acme, "admin": admin, "ann": ann, "bob": bob, "staff": staff}


def test_a_partner_admin_sees_their_partners_events_newest_first(client, world):
    response = client.get(URL, **world["admin"].headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [(row["event"], row["email"]) for row in body["results"]] == [
        ("mfa.reset", world["ann"].user.email),
        ("invitation.sent", "new@acme.test"),
        ("sign_in.failed", world["ann"].user.email),
        ("sign_in.succeeded", world["ann"].user.email),
    ]
    mfa, invitation, failure, success = body["results"]
    assert mfa["actor"] == "An administrator"  # vendor staff are not named to partners
    assert invitation["actor"] == world["admin"].user.email  # a colleague is
    assert (failure["event_label"], failure["detail"], failure["method"]) == (
        "Sign-in failed",
        "Wrong password",
        "password",
    )
    assert success["ip_address"] == "198.51.100.7" and success["user_agent"].startswith("Mozilla/5.0")
    assert success["user_id"] == world["ann"].user.pk and success["name"] == world["ann"].user.get_full_name()
    assert success["actor"] is None and invitation["method"] is None


def test_never_another_partners_rows_nor_unknown_accounts(client, world):
    brick = client.get(URL, **world["bob"].headers).json()
    assert [row["ip_address"] for row in brick["results"]] == ["203.0.113.1"]
    acme = client.get(URL, {"page_size": 100}, **world["admin"].headers).json()
    assert all(row["ip_address"] != "203.0.113.1" for row in acme["results"])
    assert SignInEvent.objects.filter(partner=None).exists()  # the unknown failure is kept, for staff only
    assert len(acme["results"]) == 4


def test_only_partner_admins_may_read_it(client, world):
    assert client.get(URL, **world["ann"].headers).status_code == 404  # as me/partner/compliance answers
    assert client.get(URL).status_code == 401


def test_filters_by_event_and_days(client, world):
    def events(**params):
        response = client.get(URL, params, **world["admin"].headers)
        assert response.status_code == 200, response.content
        return [row["event"] for row in response.json()["results"]]

    assert events(event="sign_in.failed") == ["sign_in.failed"]
    today = timezone.localdate()
    assert events(**{"from": (today - timedelta(days=2)).isoformat()}) == [
        "mfa.reset",
        "invitation.sent",
        "sign_in.failed",
    ]
    assert events(to=(today - timedelta(days=2)).isoformat()) == ["sign_in.succeeded"]
    three_days_ago = (today - timedelta(days=3)).isoformat()
    assert events(**{"from": three_days_ago, "to": three_days_ago}) == ["sign_in.succeeded"]


def test_bad_filters_are_a_clear_4xx(client, world):
    headers = world["admin"].headers
    bad_event = client.get(URL, {"event": "teleported"}, **headers)
    assert bad_event.status_code == 422 and "event" in bad_event.json()["detail"]
    assert client.get(URL, {"from": "yesterday"}, **headers).status_code == 422
    backwards = client.get(URL, {"from": "2026-05-10", "to": "2026-05-01"}, **headers)
    assert backwards.status_code == 400 and backwards.json()["detail"] == "`from` is after `to`."


def test_pages_cost_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    def count_queries():
        with django_assert_max_num_queries(50) as captured:
            response = client.get(URL, {"page_size": 100}, **world["admin"].headers)
        assert response.status_code == 200
        return len(captured.captured_queries), response.json()["count"]

    count_queries()  # the first request of a token also notes when it was last used
    queries, count = count_queries()
    for n in range(20):
        SignInEventFactory(user=world["ann"].user, actor=world["admin"].user if n % 2 else world["staff"])
    assert count_queries() == (queries, count + 20)
