"""CORS for front ends hosted elsewhere: only the configured origins, with credentials, on the API only."""

import importlib

from django.test import Client

import pytest

from .conftest import signed_in

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.example.com"
STRANGER = "https://evil.example.net"
SESSION = "/api/v1/auth/session"


@pytest.fixture(autouse=True)
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [PORTAL]
    settings.CSRF_TRUSTED_ORIGINS = [PORTAL]


def preflight(client, origin, path="/api/v1/auth/logout"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-csrftoken",
    )


def test_an_allowed_origin_may_call_the_api_with_credentials(client, member):
    response = client.get(SESSION, HTTP_ORIGIN=PORTAL)
    assert response["Access-Control-Allow-Origin"] == PORTAL
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_a_preflight_from_an_allowed_origin_allows_the_csrf_header(client):
    response = preflight(client, PORTAL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PORTAL
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "x-csrftoken" in response["Access-Control-Allow-Headers"]


def test_another_origin_gets_no_cors_headers(client):
    for response in (client.get(SESSION, HTTP_ORIGIN=STRANGER), preflight(client, STRANGER)):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Credentials" not in response


def test_sign_in_pages_and_the_admin_never_answer_another_origin(client):
    for path in ("/accounts/login/", "/admin/login/"):
        assert "Access-Control-Allow-Origin" not in client.get(path, HTTP_ORIGIN=PORTAL)


def test_an_allowed_origin_passes_csrf_with_the_token_and_a_stranger_does_not(member):
    browser = Client(enforce_csrf_checks=True)
    token = browser.get(SESSION).json()["csrf_token"]
    assert signed_in(
        browser.post(
            "/accounts/login/",
            {"login": "pat@acme.example", "password": "a-Strong-passphrase-42", "csrfmiddlewaretoken": token},
        )
    )
    token = browser.get(SESSION).json()["csrf_token"]
    secure = {"HTTP_X_CSRFTOKEN": token, "secure": True}
    refused = browser.post("/api/v1/auth/logout", HTTP_ORIGIN=STRANGER, **secure)
    assert refused.status_code == 403
    assert f"Origin checking failed - {STRANGER} does not match any trusted origins." in refused.json()["detail"]
    response = browser.post("/api/v1/auth/logout", HTTP_ORIGIN=PORTAL, **secure)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == PORTAL


def test_origins_come_from_the_environment_and_are_trusted_for_csrf(monkeypatch):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", f"{PORTAL},https://app.example.org")
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "https://partners.example.com")
    from cms.settings import base

    try:
        importlib.reload(base)
        assert base.CORS_ALLOWED_ORIGINS == [PORTAL, "https://app.example.org"]
        assert base.CSRF_TRUSTED_ORIGINS == ["https://partners.example.com", PORTAL, "https://app.example.org"]
        assert base.CORS_ALLOW_CREDENTIALS is True
    finally:
        monkeypatch.delenv("CORS_ALLOWED_ORIGINS")
        monkeypatch.delenv("CSRF_TRUSTED_ORIGINS")
        importlib.reload(base)
    assert base.CORS_ALLOWED_ORIGINS == []  # none by default
