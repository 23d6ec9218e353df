"""The sign-in audit records what happens at the doors: sign-ins, failures, lock-outs, and what other apps report.

Sign-ins go through the real ``/accounts/login/`` that staff use too (django-axes in front of the password
check); the core signals are sent the way the apps that own those actions send them.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import connection

import pytest

from accounts.models import SignInEvent, SignInEventType, SignInMethod
from core.signals import access_revoked, identity_event
from partners.factories import PartnerFactory, StaffUserFactory, partner_user
from partners.models import Partner, PartnerMembership
from partners.services import partner_user_set_active

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "the-right-password-42"
WRONG = "Hunter2-wrong-secret"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
LIMIT = 3


@pytest.fixture
def editor(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    return StaffUserFactory(username="editor", email="editor@vendor.test", password=PASSWORD, second_factor=False)


def sign_in(client, login, password, **extra):
    """Sign in with an e-mail address; "editor" stands for the editor's."""
    extra.setdefault("REMOTE_ADDR", "198.51.100.20")
    extra.setdefault("HTTP_USER_AGENT", BROWSER)
    login = "editor@vendor.test" if login == "editor" else login
    return client.post(LOGIN, {"login": login, "password": password, "next": "/admin/"}, **extra)


def events(**filters) -> list[SignInEvent]:
    return list(SignInEvent.objects.filter(**filters).order_by("at", "pk"))


def kinds() -> list[str]:
    return [event.event for event in events()]


def test_a_password_sign_in_at_the_admin_is_recorded_with_address_and_browser(client, editor):
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    [event] = events()
    assert event.event == SignInEventType.SIGN_IN_SUCCEEDED
    assert event.user == editor
    assert event.identifier == "editor@vendor.test"
    assert event.partner is None  # staff belong to no partner
    assert event.ip_address == "198.51.100.20"
    assert event.user_agent == BROWSER
    assert event.method == SignInMethod.PASSWORD


def test_signing_out_is_recorded(client, editor):
    sign_in(client, "editor", PASSWORD)
    client.post("/admin/logout/", REMOTE_ADDR="198.51.100.20")
    assert kinds() == [SignInEventType.SIGN_IN_SUCCEEDED, SignInEventType.SIGNED_OUT]
    assert events()[-1].user == editor


def test_a_wrong_password_is_recorded_against_the_account_without_the_password(client, editor):
    assert sign_in(client, "editor", WRONG).status_code == 200  # the form again
    [event] = events()
    assert (event.event, event.user, event.identifier) == (
        SignInEventType.SIGN_IN_FAILED,
        editor,
        "editor@vendor.test",
    )
    assert (event.ip_address, event.user_agent, event.detail) == ("198.51.100.20", BROWSER, "Wrong password")
    stored = [str(value) for value in SignInEvent.objects.values_list().get()]
    assert not [value for value in stored if WRONG in value]


def test_a_failure_for_an_unknown_account_keeps_what_was_typed(client, editor):
    sign_in(client, "nobody@elsewhere.test", WRONG)
    [event] = events()
    assert (event.user, event.identifier, event.detail) == (None, "nobody@elsewhere.test", "Unknown account")


def test_a_deactivated_account_is_named_as_such(client, editor):
    editor.is_active = False
    editor.save()
    sign_in(client, "editor", PASSWORD)
    [event] = events()
    assert (event.event, event.detail) == (SignInEventType.SIGN_IN_FAILED, "Account deactivated")


def test_behind_a_proxy_the_address_is_the_clients(client, editor, settings):
    settings.NINJA_NUM_PROXIES = 1
    sign_in(client, "editor", WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert events()[0].ip_address == "198.51.100.7"  # the one our proxy appended, not the forged one


def test_an_address_that_is_not_one_is_left_empty_and_a_long_user_agent_cut(client, editor, settings):
    settings.NINJA_NUM_PROXIES = 1
    sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="unknown", HTTP_USER_AGENT="A" * 1000)
    [event] = events()
    assert event.ip_address is None
    assert len(event.user_agent) == 300 and event.user_agent.endswith("…")


def test_a_lock_out_is_one_line_per_refused_attempt_not_a_failure_as_well(client, editor):
    for _ in range(LIMIT):
        sign_in(client, "editor", WRONG)
    assert sign_in(client, "editor", PASSWORD).status_code == 429  # the right password waits too
    assert kinds() == [SignInEventType.SIGN_IN_FAILED] * (LIMIT - 1) + [SignInEventType.LOCKED_OUT] * 2
    locked = events(event=SignInEventType.LOCKED_OUT)
    assert {(e.user, e.ip_address) for e in locked} == {(editor, "198.51.100.20")}
    assert locked[0].detail.startswith("Too many failed sign-ins for this account from this address")
    # From elsewhere the editor still signs in, and that is recorded as usual.
    assert sign_in(client, "editor", PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 302
    assert kinds()[-1] == SignInEventType.SIGN_IN_SUCCEEDED


def test_a_partner_users_events_carry_their_partner(client):
    acme = PartnerFactory(name="Acme")
    ann = partner_user(partner=acme)
    client.force_login(ann)
    [event] = events()
    assert (event.event, event.user, event.partner) == (SignInEventType.SIGN_IN_SUCCEEDED, ann, acme)


def test_identity_events_of_other_apps_are_recorded(rf):
    acme = PartnerFactory(name="Acme")
    admin = partner_user(partner=acme)
    request = rf.post("/api/v1/invitations", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT=BROWSER)
    identity_event.send(
        sender=PartnerMembership,
        event="invitation.sent",
        user=None,
        actor=admin,
        partner=acme,
        email="new.colleague@acme.test",
        request=request,
    )
    ann = partner_user(partner=acme)
    staff = StaffUserFactory()
    identity_event.send(sender=get_user_model(), event="mfa.reset", user=ann, actor=staff, email="", request=None)
    sent, reset = events()
    assert (sent.event, sent.user, sent.actor, sent.partner) == ("invitation.sent", None, admin, acme)
    assert (sent.identifier, sent.ip_address, sent.user_agent) == ("new.colleague@acme.test", "192.0.2.7", BROWSER)
    assert (reset.event, reset.user, reset.actor, reset.partner) == ("mfa.reset", ann, staff, acme)
    assert reset.identifier == ann.email and reset.ip_address is None


def test_an_event_that_is_not_ours_is_logged_and_changes_nothing(caplog):
    with caplog.at_level(logging.ERROR, logger="accounts.audit"):
        identity_event.send(sender=Partner, event="sign_in.teleported", user=None, actor=None, partner=None)
    assert events() == []
    assert "sign_in.teleported" in caplog.text


def test_revoked_access_is_recorded_for_each_user_with_why_and_who(rf):
    acme = PartnerFactory(name="Acme")
    ann, bob = partner_user(partner=acme), partner_user(partner=acme)
    staff = StaffUserFactory()
    access_revoked.send(sender=Partner, user_ids=[ann.pk, bob.pk], actor=staff, request=rf.post("/admin/"))
    rows = events(event=SignInEventType.ACCESS_REVOKED)
    assert {(r.user, r.partner, r.actor, r.detail, r.method) for r in rows} == {
        (ann, acme, staff, "Partner deactivated", SignInMethod.ADMIN),
        (bob, acme, staff, "Partner deactivated", SignInMethod.ADMIN),
    }
    access_revoked.send(sender=PartnerMembership, user_ids=[ann.pk])  # the nightly check: no one did it
    last = events()[-1]
    assert (last.user, last.actor, last.detail, last.method) == (
        ann,
        None,
        "Last day at the partner passed",
        SignInMethod.SYSTEM,
    )


def test_a_failure_to_record_never_stands_in_the_way_of_a_sign_in(client, editor, caplog):
    # The audit's table is gone (a failed migration, a full disk): the insert fails for real.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {SignInEvent._meta.db_table}")
    with caplog.at_level(logging.ERROR, logger="accounts.audit"):
        assert sign_in(client, "editor", WRONG).status_code == 200
        response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/api/v1/auth/session").json()["authenticated"] is True  # signed in, and the session works
    assert "Could not record the sign-in event sign_in.failed" in caplog.text
    assert "Could not record the sign-in event sign_in.succeeded" in caplog.text


def test_deactivating_and_reactivating_a_user_is_in_the_audit_with_who_did_it():
    user = partner_user(partner=PartnerFactory())
    administrator = StaffUserFactory()

    partner_user_set_active(user=user, active=False, actor=administrator)
    partner_user_set_active(user=user, active=True, actor=administrator)

    rows = SignInEvent.objects.filter(user=user).order_by("at", "pk").values_list("event", "actor_id", "detail")
    assert list(rows) == [
        (SignInEventType.ACCESS_REVOKED, administrator.pk, "User deactivated"),
        (SignInEventType.ACCESS_RESTORED, administrator.pk, "User reactivated"),
    ]
