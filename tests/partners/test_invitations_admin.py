"""Invitations in the admin: listed and filtered, sent for any partner, resent and revoked; the link never shown."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from partners.factories import InvitationFactory, give_second_factor
from partners.models import Invitation

from .conftest import last_link_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@vendor.test", "admin-password")
    give_second_factor(admin)
    client.force_login(admin)
    return client


def test_the_listing_filters_by_partner_and_state(staff, world, django_assert_max_num_queries):
    InvitationFactory(partner=world["acme"], email="pending@acme.test", roles=[world["sales"]])
    InvitationFactory(partner=world["acme"], email="late@acme.test", expires_at=timezone.now() - timedelta(days=1))
    InvitationFactory(partner=world["globex"], email="pending@globex.test")
    url = reverse("partner_invitations:index")

    with django_assert_max_num_queries(40):
        html = staff.get(url).content.decode()
    assert all(e in html for e in ("pending@acme.test", "late@acme.test", "pending@globex.test"))

    html = staff.get(url, {"partner": world["acme"].pk, "state": "pending"}).content.decode()
    assert "pending@acme.test" in html and "late@acme.test" not in html and "pending@globex.test" not in html
    assert "Expired" in staff.get(url, {"state": "expired"}).content.decode()


def test_staff_invite_for_any_partner_and_the_invitee_gets_the_link(staff, world, events):
    response = staff.post(
        reverse("partner_invitations:add"),
        {"partner": world["globex"].pk, "email": "new@globex.test", "roles": [world["technical"].pk]},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.partner == world["globex"] and [r.key for r in invitation.roles.all()] == ["technical"]
    assert last_link_token("new@globex.test")
    assert events["identity"][0][0] == "invitation.sent"


def test_a_refused_address_is_a_form_error(staff, world):
    response = staff.post(
        reverse("partner_invitations:add"),
        {"partner": world["acme"].pk, "email": world["colleague"].user.email, "roles": []},
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_resend_and_revoke_from_the_admin(staff, world):
    invitation = InvitationFactory(partner=world["acme"], email="again@acme.test", token="first")
    resend = reverse("partner_invitations:resend", args=[invitation.pk])
    assert "again@acme.test" in staff.get(resend).content.decode()

    assert staff.post(resend).status_code == 302
    assert last_link_token("again@acme.test") != "first"

    assert staff.post(reverse("partner_invitations:revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    staff.post(resend)  # refused with a message: nothing is sent
    assert len(mail.outbox) == 1


def test_the_token_is_never_shown_and_invitations_are_never_edited(staff, world):
    invitation = InvitationFactory(partner=world["acme"], token="secret-link")
    html = staff.get(reverse("partner_invitations:inspect", args=[invitation.pk])).content.decode()
    assert invitation.email in html
    assert "secret-link" not in html and invitation.token_hash not in html
    assert staff.get(reverse("partner_invitations:edit", args=[invitation.pk])).status_code in (302, 403)
    assert staff.post(reverse("partner_invitations:delete", args=[invitation.pk])).status_code in (302, 403)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_editor_without_the_invitation_permission_cannot_resend(client, world):
    editor = get_user_model().objects.create_user("ed", "ed@vendor.test", "pw", is_staff=True)
    group = Group.objects.create(name="Admins only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    invitation = InvitationFactory(partner=world["acme"])
    response = client.post(reverse("partner_invitations:resend", args=[invitation.pk]))
    assert response.status_code in (302, 403) and not mail.outbox
