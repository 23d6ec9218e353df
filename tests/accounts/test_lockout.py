"""Lock-out: losing access ends sessions at once; sign-in throttling never locks out the right password elsewhere."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from accounts.factories import PASSWORD
from partners.factories import RoleFactory
from partners.services import partner_set_active, partner_user_set_active, partner_user_upsert

from .conftest import LOGIN, sign_in, signed_in

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
LIMIT = 3


def signed_in_client(email: str, **extra) -> Client:
    client = Client(**extra)
    assert signed_in(sign_in(client, email))
    assert client.get(ME).status_code == 200
    return client


def session_count(user) -> int:
    from django.contrib.sessions.models import Session

    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


def test_deactivating_a_user_ends_every_session_of_theirs_at_once(member, editor):
    laptop, phone = signed_in_client("pat@acme.example"), signed_in_client("pat@acme.example")
    assert session_count(member) == 2
    partner_user_set_active(user=member, active=False, actor=editor)
    assert session_count(member) == 0
    for client in (laptop, phone):
        assert client.get(ME).status_code == 401
    partner_user_set_active(user=member, active=True, actor=editor)
    assert laptop.get(ME).status_code == 401  # reactivation gives no session back: they sign in again
    assert signed_in_client("pat@acme.example").get(ME).status_code == 200


def test_deactivating_a_partner_ends_its_users_sessions_and_no_one_elses(member):
    from accounts.factories import partner_user_with_password

    other = partner_user_with_password(email="olga@other.example")
    mine, theirs = signed_in_client("pat@acme.example"), signed_in_client("olga@other.example")
    partner_set_active(partner=member.partner_membership.partner, is_active=False)
    assert session_count(member) == 0
    assert mine.get(ME).status_code == 401
    assert session_count(other) == 1 and theirs.get(ME).status_code == 200


def test_the_importer_deactivating_a_user_ends_their_sessions(member):
    client = signed_in_client("pat@acme.example")
    membership = member.partner_membership
    partner_user_upsert(
        username=member.username, email=member.email, partner=membership.partner, roles=[], is_active=False
    )
    assert session_count(member) == 0
    assert client.get(ME).status_code == 401


def test_an_admin_sign_in_is_ended_too(editor, member):
    # Staff sessions are tracked like any other: ending them by the same signal works for them.
    from accounts.sessions import sessions_end
    from partners.factories import give_second_factor

    give_second_factor(editor)  # a superuser in the admin has one (accounts.mfa)
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert sessions_end(user_ids=[editor.pk]) == 1
    assert client.get("/admin/").status_code == 302  # back to the sign-in


def test_a_last_day_passing_signs_the_user_out_on_their_next_request(member):
    member.partner_membership.leaves_on = timezone.localdate()
    member.partner_membership.save()
    api_client, browser = signed_in_client("pat@acme.example"), signed_in_client("pat@acme.example")
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert api_client.get(ME).status_code == 401
        page = browser.get("/accounts/email/", follow=True)
    assert page.redirect_chain[-1][0].startswith(LOGIN)
    assert "You were signed out: your account no longer has access" in page.content.decode()
    assert session_count(member) == 0


def test_staff_are_not_signed_out_for_having_no_partner(editor):
    client = Client()
    assert signed_in(sign_in(client, "editor@vendor.example"))
    assert client.get("/accounts/email/").status_code == 200
    assert "_auth_user_id" in client.session


def test_deactivating_staff_or_a_stranger_is_refused(editor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="staff"):
        partner_user_set_active(user=editor, active=False)
    stranger = get_user_model().objects.create_user("stranger", "s@x.example", PASSWORD)
    with pytest.raises(ValidationError, match="not a member"):
        partner_user_set_active(user=stranger, active=False)
    assert get_user_model().objects.get(pk=stranger.pk).is_active


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def test_repeated_failures_lock_that_account_from_that_address_only(client, member, limit):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "pat@acme.example", "wrong").status_code == 200
    locked = sign_in(client, "pat@acme.example", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert sign_in(client, "pat@acme.example").status_code == 429  # even the right password, from there
    # The right password from elsewhere gets in, and so does another account from this address.
    assert signed_in(sign_in(Client(), "pat@acme.example", REMOTE_ADDR="192.0.2.50"))
    from accounts.factories import partner_user_with_password

    partner_user_with_password(email="colleague@acme.example")
    assert signed_in(sign_in(client, "colleague@acme.example"))


def test_the_lock_is_per_account_whichever_spelling_and_the_admin_has_no_other_door(client, editor, limit):
    sign_in(client, "editor@vendor.example", "wrong")
    sign_in(client, "Editor@Vendor.example", "wrong")
    # A password posted to the admin's door goes through the same sign-in: it counts, by username too.
    client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    admin = client.post(LOGIN, {"login": "editor@vendor.example", "password": PASSWORD, "next": "/admin/"})
    assert admin.status_code == 429
    assert client.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_allauth_limits_count_per_address_never_per_account(client, member, settings):
    settings.AXES_FAILURE_LIMIT = 1000  # only allauth's own limit here
    attacker = {"REMOTE_ADDR": "198.51.100.9"}
    for _ in range(10):
        sign_in(client, "pat@acme.example", "wrong", **attacker)
    throttled = sign_in(client, "pat@acme.example", "wrong", **attacker)
    assert "Too many failed login attempts" in throttled.content.decode()
    # The account itself is not locked: its owner signs in from their own address.
    assert signed_in(sign_in(Client(), "pat@acme.example", REMOTE_ADDR="192.0.2.10"))


def test_a_successful_sign_in_clears_the_failures(client, member, limit):
    for _ in range(LIMIT - 1):
        sign_in(client, "pat@acme.example", "wrong")
    assert signed_in(sign_in(client, "pat@acme.example"))
    client.logout()
    assert sign_in(client, "pat@acme.example", "wrong").status_code == 200


def test_a_user_whose_role_changes_keeps_their_session(member):
    client = signed_in_client("pat@acme.example")
    membership = member.partner_membership
    partner_user_upsert(
        username=member.username,
        email=member.email,
        partner=membership.partner,
        roles=[RoleFactory(key="sales")],
    )
    assert client.get(ME).status_code == 200


@pytest.fixture
def superuser_client(db):
    from partners.factories import StaffUserFactory

    client = Client()
    client.force_login(StaffUserFactory(is_superuser=True))
    return client


def test_deactivating_a_partner_in_its_admin_form_ends_its_users_sessions_at_once(member, superuser_client):
    from django.urls import reverse

    client = signed_in_client("pat@acme.example")
    partner = member.partner_membership.partner
    response = superuser_client.post(
        reverse("partners:edit", args=[partner.pk]),
        {
            "name": partner.name,
            "key": partner.key,
            "tier": partner.tier_id,
            "partner_type": partner.partner_type_id,
            "region": partner.region_id,
            "mfa_policy": "optional",
            # "is_active" unchecked: the checkbox is absent
        },
    )
    assert response.status_code == 302
    assert session_count(member) == 0
    assert client.get(ME).status_code == 401


def test_deactivating_a_partner_user_in_wagtails_user_editor_ends_their_sessions_at_once(member, superuser_client):
    from django.urls import reverse

    client = signed_in_client("pat@acme.example")
    response = superuser_client.post(
        reverse("wagtailusers_users:edit", args=[member.pk]),
        {
            "username": member.username,
            "email": member.email,
            "first_name": member.first_name or "Pat",
            "last_name": member.last_name or "Member",
            # "is_active" unchecked
        },
    )
    assert response.status_code == 302, response.content[:2000]
    member.refresh_from_db()
    assert member.is_active is False
    assert session_count(member) == 0
    assert client.get(ME).status_code == 401


def test_deactivating_partner_users_in_bulk_in_the_admin_ends_their_sessions_at_once(member, superuser_client):
    from django.urls import reverse

    client = signed_in_client("pat@acme.example")
    response = superuser_client.post(
        reverse("wagtail_bulk_action", args=("auth", "user", "set_active_state")) + f"?id={member.pk}",
        {"mark_as_active": "False"},
    )
    assert response.status_code == 302
    assert session_count(member) == 0
    assert client.get(ME).status_code == 401
