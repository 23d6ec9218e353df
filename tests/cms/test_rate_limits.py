"""Rate limits: per token (429 with Retry-After) and failed authentications per address."""

from django.test import Client

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
    for n in range(3):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer wagtail_guess{n}").status_code == 401
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_guess4")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    other_address = client.get("/api/v1/me", REMOTE_ADDR="10.0.0.9", HTTP_AUTHORIZATION="Bearer wagtail_guess5")
    assert other_address.status_code == 401


def test_a_valid_token_is_never_refused_by_the_failure_limit(client, settings):
    settings.PARTNERHUB_API_AUTH_FAILURE_RATE = "3/m"
    valid = make_token_user()
    for n in range(4):
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer wagtail_guess{n}")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_guess9").status_code == 429
    # A colleague behind the same address, with a real token, is not locked out by the guesser.
    assert client.get("/api/v1/me", **valid.headers).status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_guess10").status_code == 429


def test_a_signed_in_session_is_never_refused_by_the_failure_limit(client, settings):
    settings.PARTNERHUB_API_AUTH_FAILURE_RATE = "3/m"
    member = make_token_user()
    for n in range(4):
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer wagtail_guess{n}")
    client.force_login(member.user)
    assert client.get("/api/v1/me").status_code == 200


def test_a_stale_token_beside_a_session_is_neither_counted_nor_refused_by_the_failure_limit(client, settings):
    settings.PARTNERHUB_API_AUTH_FAILURE_RATE = "3/m"
    member = make_token_user()
    client.force_login(member.user)
    for n in range(4):  # others at this address (the same office) guess tokens
        Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer wagtail_guess{n}")
    stale = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_revoked-or-stale")
    assert stale.status_code == 401  # a bad token makes the request anonymous, never a 429
    for _ in range(5):  # and it did not count as a guess
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_stale").status_code == 401
    assert client.get("/api/v1/me").status_code == 200


def test_a_token_has_one_budget_however_the_scheme_is_spelled(client, settings):
    settings.PARTNERHUB_API_RATE = "4/m"
    member = make_token_user()
    spellings = ["Bearer", "bearer", "bEaReR", "BEARER"]
    for scheme in spellings:
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"{scheme} {member.token}").status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"bEARer {member.token}").status_code == 429


PROXY = "10.0.0.1"  # the load balancer in front of the app: every request arrives from it


def test_behind_a_proxy_each_client_has_its_own_failure_budget(client, settings):
    settings.NINJA_NUM_PROXIES = 1
    settings.PARTNERHUB_API_AUTH_FAILURE_RATE = "3/m"

    def guess(forwarded_for):
        return client.get(
            "/api/v1/me", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for, HTTP_AUTHORIZATION="Bearer wagtail_x"
        ).status_code

    assert [guess("198.51.100.7") for _ in range(4)] == [401, 401, 401, 429]
    assert guess("198.51.100.8") == 401  # another client behind the same proxy
    # The proxy appends the address it saw; what the client put before it is not believed.
    assert guess("198.51.100.8, 198.51.100.7") == 429
    assert guess("198.51.100.7, 198.51.100.9") == 401


def test_behind_a_proxy_each_client_has_its_own_verify_budget(client, settings):
    settings.NINJA_NUM_PROXIES = 1

    def verify(forwarded_for):
        return client.get("/api/v1/verify/nope", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert [verify("198.51.100.7") for _ in range(31)][-2:] == [404, 429]  # 30/m by default
    assert verify("198.51.100.8") == 404
