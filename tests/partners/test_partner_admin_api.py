"""Partner admins manage their own people through the API: invitations and users of their partner, never another's."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

import pytest

from core.importer.engine import import_manifest
from partners.factories import InvitationFactory
from partners.models import Invitation
from partners.services import api_token_issue

from .conftest import last_link_token

pytestmark = pytest.mark.django_db

INVITATIONS = "/api/v1/me/partner/invitations"
USERS = "/api/v1/me/partner/users"


def post(client, url, who, **data):
    return client.post(url, data=data, content_type="application/json", **who.headers)


def test_a_partner_admin_invites_a_colleague_who_gets_the_link_by_e_mail(client, world, events):
    response = post(client, INVITATIONS, world["admin"], email="new.one@acme.test", roles=["technical", "sales"])

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.one@acme.test" and body["state"] == "pending"
    assert {r["key"] for r in body["roles"]} == {"technical", "sales"}
    assert "token" not in body and "token_hash" not in body
    assert last_link_token("new.one@acme.test")
    assert Invitation.objects.get().partner == world["acme"]
    assert [e[0] for e in events["identity"]] == ["invitation.sent"]


@pytest.mark.parametrize(
    "data, detail",
    [
        ({"email": "x@acme.test", "roles": ["no-such-role"]}, "Unknown role(s): no-such-role."),
        ({"email": "colleague-of-globex", "roles": []}, "is not a valid e-mail address"),
    ],
)
def test_bad_input_is_a_clear_400_that_changes_nothing(client, world, data, detail):
    response = post(client, INVITATIONS, world["admin"], **data)
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_address_that_has_an_account_anywhere_is_refused_without_naming_its_partner(client, world):
    response = post(client, INVITATIONS, world["admin"], email=world["globex_user"].user.email.upper())
    assert response.status_code == 400
    assert "already has an account" in response.json()["detail"]
    assert "Globex" not in response.json()["detail"]


def test_the_list_shows_my_partners_invitations_only_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(3):
        InvitationFactory(partner=world["acme"], email=f"a{n}@acme.test", roles=[world["sales"], world["technical"]])
    InvitationFactory(partner=world["acme"], email="late@acme.test", expires_at=timezone.now() - timedelta(days=1))
    InvitationFactory(partner=world["globex"], email="someone@globex.test")
    client.get("/api/v1/me", **world["admin"].headers)  # the token is touched once a minute: not in the count

    with django_assert_max_num_queries(8):
        body = client.get(INVITATIONS, **world["admin"].headers).json()
    assert body["count"] == 4
    emails = {row["email"] for row in body["results"]}
    assert emails == {"a0@acme.test", "a1@acme.test", "a2@acme.test", "late@acme.test"}

    expired = client.get(INVITATIONS, {"state": "expired"}, **world["admin"].headers).json()
    assert [row["email"] for row in expired["results"]] == ["late@acme.test"]
    assert client.get(INVITATIONS, {"state": "bogus"}, **world["admin"].headers).status_code == 422


def test_resend_and_revoke_an_invitation_of_mine(client, world, events):
    invitation = InvitationFactory(partner=world["acme"], email="maybe@acme.test", token="first")

    resent = post(client, f"{INVITATIONS}/{invitation.pk}/resend", world["admin"])
    assert resent.status_code == 200 and resent.json()["state"] == "pending"
    assert last_link_token("maybe@acme.test") != "first"

    revoked = client.delete(f"{INVITATIONS}/{invitation.pk}", **world["admin"].headers)
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = client.delete(f"{INVITATIONS}/{invitation.pk}", **world["admin"].headers)
    assert again.status_code == 400 and "revoked already" in again.json()["detail"]
    assert [e[0] for e in events["identity"]] == ["invitation.resent", "invitation.revoked"]


def test_another_partners_invitation_is_not_found(client, world):
    theirs = InvitationFactory(partner=world["globex"])
    assert post(client, f"{INVITATIONS}/{theirs.pk}/resend", world["admin"]).status_code == 404
    assert client.delete(f"{INVITATIONS}/{theirs.pk}", **world["admin"].headers).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "pending" and not mail.outbox


@pytest.mark.parametrize("url", [INVITATIONS, USERS])
def test_a_partner_user_who_is_not_an_admin_gets_404_as_for_compliance(client, world, url):
    assert client.get(url, **world["colleague"].headers).status_code == 404
    assert post(client, INVITATIONS, world["colleague"], email="x@acme.test").status_code == 404
    assert client.get(url).status_code == 401


def test_the_users_list_shows_my_partners_people_with_roles_activity_and_last_sign_in(
    client, world, django_assert_max_num_queries
):
    colleague = world["colleague"].user
    colleague.last_login = timezone.now()
    colleague.save(update_fields=["last_login"])
    client.get("/api/v1/me", **world["admin"].headers)

    with django_assert_max_num_queries(8):
        body = client.get(USERS, **world["admin"].headers).json()

    assert body["count"] == 2
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {world["admin"].user.pk, colleague.pk}
    assert rows[colleague.pk]["roles"] == [{"key": "sales", "name": "Sales"}]
    assert rows[colleague.pk]["is_active"] is True and rows[colleague.pk]["last_login"]
    assert rows[world["admin"].user.pk]["last_login"] is None


def test_deactivating_a_colleague_locks_them_out_at_once_and_reactivating_lets_them_back(client, world, events):
    colleague = world["colleague"]

    response = post(client, f"{USERS}/{colleague.user.pk}/deactivate", world["admin"])

    assert response.status_code == 200 and response.json()["is_active"] is False
    assert events["revoked"] == [colleague.user.pk]
    assert client.get("/api/v1/me", **colleague.headers).status_code == 401

    response = post(client, f"{USERS}/{colleague.user.pk}/reactivate", world["admin"])
    assert response.status_code == 200 and response.json()["is_active"] is True
    # Deactivating revoked their tokens: they are back, with new ones.
    assert client.get("/api/v1/me", **colleague.headers).status_code == 401
    assert [e[0] for e in events["identity"]] == ["access.restored"]


def test_an_admin_cannot_deactivate_themselves_nor_another_partners_user(client, world, events):
    me = post(client, f"{USERS}/{world['admin'].user.pk}/deactivate", world["admin"])
    assert me.status_code == 400 and "yourself" in me.json()["detail"]
    other = post(client, f"{USERS}/{world['globex_user'].user.pk}/deactivate", world["admin"])
    assert other.status_code == 404
    world["globex_user"].user.refresh_from_db()
    assert world["globex_user"].user.is_active and events["revoked"] == [] and events["identity"] == []


def test_a_partner_admin_imported_with_the_admin_role_manages_their_partners_people(client, world):
    manifest = {
        "users": [
            {"key": "pat", "email": "pat@acme.test", "partner": "acme", "roles": ["admin", "sales"], "active": True}
        ]
    }
    import_manifest(manifest, base_dir=None)
    pat = get_user_model().objects.get(username="pat")
    _token, plaintext = api_token_issue(user=pat)

    body = client.get(USERS, HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()
    assert {row["email"] for row in body["results"]} >= {"pat@acme.test", world["colleague"].user.email}
