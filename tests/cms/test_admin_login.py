"""Editors' sign-in: one door (/accounts/login/, where /admin/login/ sends them), locked per account and address
after repeated failures."""

from django.test import Client

import pytest

from partners.factories import StaffUserFactory, give_second_factor

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "the-right-password-42"


LIMIT = 3


@pytest.fixture
def editor(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    return StaffUserFactory(username="editor", password=PASSWORD, second_factor=False)  # the password alone


def sign_in(client, username, password, **extra):
    """Staff sign in with their e-mail address (the factory's ``<username>@example.test``)."""
    email = f"{username}@example.test"
    return client.post(LOGIN, {"login": email, "password": password, "next": "/admin/"}, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_django_admin_is_not_a_second_door(client, editor):
    assert client.get("/django-admin/").status_code == 404
    assert client.post("/django-admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 404


def test_the_admins_sign_in_is_the_one_sign_in(client, editor):
    assert client.get("/admin/login/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert client.get("/admin/login/?next=/admin/pages/")["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    # Signed out of the admin, anyone is sent to the same sign-in.
    assert client.get("/admin/")["Location"] == "/accounts/login/?next=/admin/"


def test_staff_still_post_their_username_and_password_to_the_admin_and_get_allauths_checks(client, editor):
    wrong = client.post("/admin/login/", {"username": "editor", "password": "wrong", "next": "/admin/"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    posted = client.post("/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/admin/pages/"})
    assert posted.status_code == 302 and posted["Location"] == "/admin/pages/"
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_admins_door_never_skips_the_second_factor(client, editor):
    give_second_factor(editor)
    posted = client.post("/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/admin/"})
    assert posted["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # not signed in until the code


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_next_elsewhere_is_replaced_by_the_admin(client, target):
    response = client.get("/admin/login/", {"next": target})
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_repeated_failures_lock_that_account_from_that_address(client, editor):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "editor", "wrong").status_code == 200  # the form again, with its error
    locked = sign_in(client, "editor", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # Now even the right password waits, from that address...
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    # ...but the editor is not locked out from elsewhere, nor is another account from this address.
    assert signed_in(sign_in(client, "editor", PASSWORD, REMOTE_ADDR="192.0.2.50"))
    StaffUserFactory(username="colleague", password=PASSWORD, second_factor=False)
    assert signed_in(sign_in(Client(), "colleague", PASSWORD))


def test_behind_a_proxy_the_lock_is_per_client_not_per_proxy(client, editor, settings):
    settings.NINJA_NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(LIMIT):
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    # A forged entry before the one the proxy appended does not unlock it.
    forged = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7", **proxy)
    assert forged.status_code == 429
    assert signed_in(sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy))


def test_a_successful_sign_in_clears_the_failures(client, editor):
    for _ in range(LIMIT - 1):
        sign_in(client, "editor", "wrong")
    assert signed_in(sign_in(client, "editor", PASSWORD))
    client.logout()
    assert sign_in(client, "editor", "wrong").status_code == 200  # counting starts again


def test_a_password_checked_without_a_request_is_still_checked(client, editor):
    # Client.login and shells call authenticate() with no request: no address to lock, but the password counts.
    assert client.login(username="editor", password=PASSWORD)
    assert client.get("/api/v1/auth/session").json()["authenticated"] is True
    client.logout()
    assert not client.login(username="editor", password="wrong")


def test_failures_at_the_admins_door_count_toward_the_same_lock(client, editor):
    for _ in range(LIMIT - 1):
        assert client.post("/admin/login/", {"username": "editor", "password": "wrong"}).status_code == 200
    assert client.post("/admin/login/", {"username": "editor", "password": "wrong"}).status_code == 429
    assert sign_in(client, "editor", PASSWORD).status_code == 429  # at /accounts/login/ too, by e-mail
