"""Rate limits: per token (429 with Retry-After) and failed authentications per address."""

import pytest

from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


def test_each_token_has_its_own_budget(client, settings):
    settings.PARTNERHUB_API_RATE = "5/m"
    first, second = make_token_user(), make_token_user()
    for _ in range(5):
        assert client.get("/api/v1/me", **first.headers).status_code == 200
    limited = client.get("/api/v1/me", **first.headers)
    assert limited.status_code == 429
    assert limited.json() == {"detail": "Too many requests."}
    assert 0 < int(limited["Retry-After"]) <= 60
    assert client.get("/api/v1/me", **second.headers).status_code == 200  # another token is unaffected


def test_guessing_tokens_gets_an_address_refused(client, settings):
    settings.PARTNERHUB_API_AUTH_FAILURE_RATE = "3/m"
    valid = make_token_user()
    for n in range(3):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer wagtail_guess{n}").status_code == 401
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_guess4")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # While refused, even a valid token from that address waits: guessing cannot be told apart.
    assert client.get("/api/v1/me", **valid.headers).status_code == 429
    other_address = client.get("/api/v1/me", REMOTE_ADDR="10.0.0.9", **valid.headers)
    assert other_address.status_code == 200
