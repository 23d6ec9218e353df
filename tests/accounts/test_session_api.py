"""A front end uses the partner API with the session of a user signed in at /accounts/login/, CSRF checked."""

from django.test import Client

import pytest

from .conftest import sign_in, signed_in

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
SESSION = "/api/v1/auth/session"
LOGOUT = "/api/v1/auth/logout"


@pytest.fixture
def browser(member) -> Client:
    client = Client(enforce_csrf_checks=True)
    token = client.get(SESSION).json()["csrf_token"]  # the sign-in form needs it too
    response = client.post(
        "/accounts/login/",
        {"login": "pat@acme.example", "password": "a-Strong-passphrase-42", "csrfmiddlewaretoken": token},
    )
    assert signed_in(response)
    return client


def test_a_signed_in_partner_user_calls_the_api_with_the_session_cookie(browser, member):
    response = browser.get(ME)
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "pat@acme.example"


def test_session_answers_who_is_signed_in_and_a_csrf_token(browser, member):
    response = browser.get(SESSION)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["authenticated"] is True and body["api_access"] is True
    assert body["user"]["email"] == "pat@acme.example"
    assert body["partner"]["key"] == member.partner_membership.partner.key
    assert body["csrf_token"]
    assert body["login_url"] == "/accounts/login/" and body["logout_url"] == LOGOUT


def test_session_answers_anonymous_callers_too(client):
    body = client.get(SESSION).json()
    assert body["authenticated"] is False and body["user"] is None and body["api_access"] is False
    assert body["csrf_token"]


def test_staff_are_signed_in_but_have_no_api_access(client, editor):
    assert signed_in(sign_in(client, "editor@vendor.example"))
    body = client.get(SESSION).json()
    assert body["authenticated"] is True and body["api_access"] is False and body["partner"] is None
    refused = client.get(ME)  # a superuser without a second factor yet: held to enrolment before anything else
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"


def test_an_unsafe_request_without_the_csrf_token_is_refused_with_the_reason(browser):
    response = browser.post(LOGOUT)
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.startswith("CSRF check failed: CSRF token missing.")
    assert "X-CSRFToken" in detail and SESSION in detail
    assert browser.get(ME).status_code == 200  # still signed in: nothing changed


def test_a_wrong_csrf_token_is_refused(browser):
    response = browser.post(LOGOUT, HTTP_X_CSRFTOKEN="x" * 64)
    assert response.status_code == 403
    assert "CSRF check failed" in response.json()["detail"]


def test_with_the_csrf_token_logout_signs_the_session_out(browser):
    token = browser.get(SESSION).json()["csrf_token"]
    response = browser.post(LOGOUT, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204
    assert browser.get(ME).status_code == 401
    assert browser.get(SESSION).json()["authenticated"] is False


def test_without_a_session_an_unsafe_request_is_unauthenticated_not_a_csrf_failure():
    response = Client(enforce_csrf_checks=True).post(LOGOUT)
    assert response.status_code == 401


def test_a_bearer_token_needs_no_csrf_token(gold_partner_user):
    client = Client(enforce_csrf_checks=True)
    assert client.get(ME, **gold_partner_user.headers).status_code == 200
