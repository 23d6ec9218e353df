"""Personal API tokens: a signed-in partner user creates (from their session only), lists and revokes their own."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import APIToken

import pytest
import time_machine

from partners.models import APITokenExpiry
from partners.tokens import live_api_token, personal_token_create

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens"


def create(client, **data):
    return client.post(TOKENS, data=data, content_type="application/json")


def test_a_signed_in_user_creates_a_token_shown_once_that_works_and_expires_in_90_days_by_default(client, world):
    client.force_login(world["colleague"].user)

    response = create(client, name="CRM sync")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "CRM sync" and body["token"].startswith(body["prefix"])
    expires_at = APITokenExpiry.objects.get(token_id=body["id"]).expires_at
    assert expires_at == pytest.approx(timezone.now() + timedelta(days=90), abs=timedelta(seconds=5))
    client.logout()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["user"]["id"] == world["colleague"].user.pk


def test_my_list_shows_name_dates_and_never_the_token(client, world, django_assert_max_num_queries):
    user = world["colleague"].user
    personal_token_create(user=user, name="Reporting", expires_in_days=7)
    other = world["globex_user"].user
    personal_token_create(user=other, name="Theirs")
    client.force_login(user)
    client.get(TOKENS)

    with django_assert_max_num_queries(6):
        rows = client.get(TOKENS).json()

    assert [row["name"] for row in rows] == ["Reporting", "test"]  # "test": the fixture's operator-issued token
    assert rows[0]["expires_at"] and rows[1]["expires_at"] is None
    assert all("token" not in row for row in rows)
    assert set(rows[0]) == {"id", "name", "prefix", "created", "expires_at", "last_used_at"}


@pytest.mark.parametrize("days", [0, 366])
def test_a_lifetime_outside_1_to_365_days_is_refused(client, world, days):
    client.force_login(world["colleague"].user)
    response = create(client, name="Too long", expires_in_days=days)
    assert response.status_code == 422 and "expires_in_days" in response.json()["detail"]
    assert not APIToken.objects.filter(name="Too long").exists()


def test_a_token_cannot_create_tokens(client, world):
    response = client.post(
        TOKENS, data={"name": "Minted"}, content_type="application/json", **world["colleague"].headers
    )
    assert response.status_code == 403
    assert "signed-in session" in response.json()["detail"]
    assert not APIToken.objects.filter(name="Minted").exists()


def test_i_revoke_my_token_and_it_is_refused_at_once_but_not_someone_elses(client, world):
    mine, plaintext = personal_token_create(user=world["colleague"].user, name="Old script")
    theirs, _ = personal_token_create(user=world["globex_user"].user, name="Theirs")
    client.force_login(world["colleague"].user)

    assert client.delete(f"{TOKENS}/{theirs.pk}").status_code == 404
    assert client.delete(f"{TOKENS}/{mine.pk}").status_code == 204

    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_anonymous_callers_get_401(client, world):
    assert client.get(TOKENS).status_code == 401
    assert create(client, name="x").status_code == 401


def test_an_expired_token_is_not_found_and_leaves_my_list(client, world):
    token, plaintext = personal_token_create(user=world["colleague"].user, name="Short", expires_in_days=1)
    assert live_api_token(plaintext) == token

    APITokenExpiry.objects.filter(token=token).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert live_api_token(plaintext) is None
    client.force_login(world["colleague"].user)
    assert "Short" not in [row["name"] for row in client.get(TOKENS).json()]


def test_an_expired_token_is_refused_by_the_api(client, world):
    _token, plaintext = personal_token_create(user=world["colleague"].user, name="Short", expires_in_days=1)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert client.get("/api/v1/me", **bearer).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):  # a day later: it has expired
        assert client.get("/api/v1/me", **bearer).status_code == 401


def test_an_operators_token_never_expires(world):
    operator_issued = APIToken.objects.get(user=world["colleague"].user)
    assert live_api_token(world["colleague"].token, now=timezone.now() + timedelta(days=3650)) == operator_issued
