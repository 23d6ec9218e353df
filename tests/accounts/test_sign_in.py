"""Everyone signs in at /accounts/login/ with their e-mail address: partner users, and staff (the admin sends them)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from accounts.access import NO_ACCESS_MESSAGE
from accounts.factories import PASSWORD
from partners.services import partner_set_active

from .conftest import LOGIN, sign_in, signed_in

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def test_the_sign_in_page_asks_for_email_and_password_and_offers_a_reset(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = page(response)
    assert 'type="email"' in html and 'name="login"' in html
    assert 'type="password"' in html
    assert 'href="/accounts/password/reset/"' in html
    assert "How to get access" in html
    assert "<script" not in html and "style=" not in html  # nothing inline: a CSP comes later


def test_a_partner_user_signs_in_with_their_email_and_lands_on_the_portal(client, member):
    assert signed_in(sign_in(client, "PAT@acme.example"))  # the address in any case
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_wrong_password_says_so_and_signs_nobody_in(client, member):
    response = sign_in(client, "pat@acme.example", "wrong")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in page(response)
    assert "_auth_user_id" not in client.session


def test_staff_sign_in_here_with_their_email_and_the_admins_door_leads_here(client, editor):
    assert signed_in(sign_in(client, "editor@vendor.example"))
    client.logout()
    door = client.get("/admin/login/", {"next": "/admin/pages/"})
    assert door["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    response = client.post(LOGIN, {"login": "editor@vendor.example", "password": PASSWORD, "next": "/admin/pages/"})
    assert signed_in(response, "/admin/pages/")


@pytest.mark.parametrize(
    "lose_access",
    [
        pytest.param(lambda user: setattr(user, "is_active", False) or user.save(), id="user-inactive"),
        pytest.param(
            lambda user: partner_set_active(partner=user.partner_membership.partner, is_active=False),
            id="partner-inactive",
        ),
        pytest.param(
            lambda user: (
                type(user.partner_membership)
                .objects.filter(user=user)
                .update(leaves_on=timezone.localdate() - timedelta(days=1))
            ),
            id="past-last-day",
        ),
    ],
)
def test_a_partner_user_without_access_is_refused_with_a_clear_message(client, member, lose_access):
    lose_access(member)
    response = sign_in(client, "pat@acme.example")
    assert response.status_code == 200
    assert "has no access to Partner Hub" in page(response)
    assert "_auth_user_id" not in client.session


def test_the_no_access_message_needs_the_right_password(client, member):
    member.is_active = False
    member.save()
    response = sign_in(client, "pat@acme.example", "wrong")
    assert NO_ACCESS_MESSAGE[:30] not in page(response)  # nothing told to someone guessing


def test_staff_need_no_partner(client, editor):
    assert not hasattr(editor, "partner_membership")
    assert signed_in(sign_in(client, "editor@vendor.example"))


def test_nobody_signs_up_and_the_page_says_how_to_get_access(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = page(response)
    assert "How to get access" in html and "partner administrator" in html
    client.post("/accounts/signup/", {"email": "new@x.example", "password1": PASSWORD, "password2": PASSWORD})
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="new@x.example").exists()


def test_password_reset_by_email_lets_an_imported_user_choose_a_password(client, member):
    member.set_unusable_password()  # as the importer creates partner users
    member.save()
    response = client.post("/accounts/password/reset/", {"email": "pat@acme.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat@acme.example"]
    assert mail.outbox[0].subject.startswith("[Partner Hub] ")
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/password/reset/key/" in word)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "another-Strong-passphrase-7"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert signed_in(sign_in(client, "pat@acme.example", new_password))


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, member):
    response = client.post("/accounts/password/reset/", {"email": "nobody@acme.example"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_changed_address_is_used_only_once_verified(client, member):
    client.force_login(member)
    response = client.post("/accounts/email/", {"action_add": "", "email": "pat.new@acme.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat.new@acme.example"]
    member.refresh_from_db()
    assert member.email == "pat@acme.example"  # until the new one is confirmed
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/confirm-email/" in word)
    client.post(link)
    member.refresh_from_db()
    assert member.email == "pat.new@acme.example"
