"""Invitations (``partners.invitations``): sending, the link's life (expiry, resend, revoke), accepting once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

import pytest

from partners.factories import InvitationFactory, PartnerFactory, UserFactory
from partners.invitations import (
    InvitationNotUsable,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from partners.models import Invitation

from .conftest import last_link_token

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"


def invite(world, email="new.colleague@acme.test", roles=None):
    return invitation_create(
        partner=world["acme"], email=email, roles=roles or [world["technical"]], actor=world["admin"].user
    )


def accept(token, password=PASSWORD):
    return invitation_accept(token=token, password=password, first_name="Nina", last_name="Novak")


def test_an_invitation_emails_a_link_that_makes_a_member_with_the_invited_roles_who_signs_in_with_the_password(
    world, events
):
    invitation = invite(world, roles=[world["technical"], world["sales"]])

    (message,) = mail.outbox
    assert message.to == ["new.colleague@acme.test"]
    assert "Acme Networks" in message.subject
    assert "Acme Networks" in message.body and "Sales, Technical" in message.body
    assert f"http://localhost:8000/accounts/invitations/{last_link_token(message.to[0])}/" in message.body
    assert invitation.state == "pending"
    assert invitation.expires_at == pytest.approx(timezone.now() + timedelta(days=14), abs=timedelta(seconds=5))

    user = accept(last_link_token("new.colleague@acme.test"))

    assert user.email == "new.colleague@acme.test" and user.get_full_name() == "Nina Novak"
    assert user.check_password(PASSWORD) and user.is_active and not user.is_staff
    assert user.partner_membership.partner == world["acme"]
    assert {r.key for r in user.partner_membership.roles.all()} == {"sales", "technical"}
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.accepted_user == user
    assert [e[0] for e in events["identity"]] == ["invitation.sent", "invitation.accepted"]
    assert events["identity"][0][1:4] == ("new.colleague@acme.test", world["acme"], world["admin"].user)
    assert events["identity"][1][4] == user


def test_only_a_digest_of_the_link_is_stored(world):
    invitation = invite(world)
    token = last_link_token("new.colleague@acme.test")
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(row)
    assert len(invitation.token_hash) == 64


@override_settings(PARTNERHUB_PUBLIC_URL="https://partners.example.com", PARTNER_INVITATION_DAYS=3)
def test_the_link_uses_the_public_address_and_the_configured_lifetime(world):
    invitation = invite(world)
    assert "https://partners.example.com/accounts/invitations/" in mail.outbox[0].body
    assert invitation.expires_at == pytest.approx(timezone.now() + timedelta(days=3), abs=timedelta(seconds=5))


@pytest.mark.parametrize(
    "email, why",
    [
        ("Colleague@ACME.test", "already has an account"),  # any case: addresses are one account each
        ("not-an-address", "is not a valid e-mail address"),
    ],
)
def test_an_address_with_an_account_or_an_invalid_one_is_refused(world, email, why):
    UserFactory(username="someone", email="colleague@acme.test")
    with pytest.raises(ValidationError, match=why):
        invite(world, email=email)
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_address_with_an_open_invitation_anywhere_is_refused_but_an_expired_one_is_no_obstacle(world):
    InvitationFactory(partner=world["globex"], email="wanted@example.test")
    with pytest.raises(ValidationError, match="already has an invitation waiting"):
        invite(world, email="WANTED@example.test")

    InvitationFactory(email="late@example.test", expires_at=timezone.now() - timedelta(days=1))
    assert invite(world, email="late@example.test").state == "pending"


def test_nobody_can_be_invited_to_an_inactive_partner(world):
    with pytest.raises(ValidationError, match="not active"):
        invitation_create(
            partner=PartnerFactory(is_active=False), email="x@example.test", roles=[], actor=world["admin"].user
        )


def test_a_link_works_once(world):
    invite(world)
    token = last_link_token("new.colleague@acme.test")
    accept(token)
    with pytest.raises(InvitationNotUsable, match="accepted already: sign in instead") as refused:
        accept(token)
    assert refused.value.state == "accepted"
    assert get_user_model().objects.filter(email="new.colleague@acme.test").count() == 1


def test_an_expired_link_is_refused_saying_when_it_expired(world):
    InvitationFactory(partner=world["acme"], token="old-link", expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvitationNotUsable, match=r"expired on .* Ask Acme Networks's administrator to send it again"):
        accept("old-link")
    assert not get_user_model().objects.filter(first_name="Nina").exists()


def test_an_unknown_link_is_refused(world):
    with pytest.raises(InvitationNotUsable, match="not valid") as refused:
        accept("no-such-token")
    assert refused.value.state is None


def test_resending_sends_a_new_link_and_the_old_one_stops_working(world, events):
    invitation = InvitationFactory(
        partner=world["acme"], token="first-link", expires_at=timezone.now() - timedelta(days=1)
    )
    invitation_resend(invitation=invitation, actor=world["admin"].user)

    assert invitation.state == "pending"
    new_token = last_link_token(invitation.email)
    assert new_token != "first-link"
    with pytest.raises(InvitationNotUsable):
        accept("first-link")
    assert accept(new_token).email == invitation.email
    assert [e[0] for e in events["identity"]] == ["invitation.resent", "invitation.accepted"]


def test_a_revoked_link_is_refused_and_cannot_be_resent(world, events):
    invite(world)
    invitation = Invitation.objects.get()
    invitation_revoke(invitation=invitation, actor=world["admin"].user)

    with pytest.raises(InvitationNotUsable, match="withdrawn"):
        accept(last_link_token("new.colleague@acme.test"))
    with pytest.raises(ValidationError, match="revoked"):
        invitation_resend(invitation=invitation, actor=world["admin"].user)
    with pytest.raises(ValidationError, match="revoked already"):
        invitation_revoke(invitation=invitation, actor=world["admin"].user)
    assert [e[0] for e in events["identity"]] == ["invitation.sent", "invitation.revoked"]


def test_an_accepted_invitation_cannot_be_revoked(world):
    invite(world)
    accept(last_link_token("new.colleague@acme.test"))
    with pytest.raises(ValidationError, match="deactivate the user instead"):
        invitation_revoke(invitation=Invitation.objects.get(), actor=world["admin"].user)


def test_a_weak_password_or_a_missing_name_changes_nothing(world):
    invitation = invite(world)
    token = last_link_token("new.colleague@acme.test")
    with pytest.raises(ValidationError) as refused:
        invitation_accept(token=token, password="password", first_name="", last_name="Novak")
    assert "first_name" in refused.value.message_dict
    assert any("too common" in m for m in refused.value.message_dict["password"])
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert not get_user_model().objects.filter(email="new.colleague@acme.test").exists()


def test_an_account_made_meanwhile_for_the_address_keeps_the_invitation_open(world):
    invite(world)
    UserFactory(username="made-elsewhere", email="new.colleague@acme.test")
    with pytest.raises(ValidationError, match="already has an account"):
        accept(last_link_token("new.colleague@acme.test"))
    assert Invitation.objects.get().state == "pending"
