"""The Profile page (/profile/): name, second factor, personal API tokens, signing out elsewhere; access and queries.

Language is in test_profile_language.py, e-mail preferences in test_profile_notifications.py.
"""

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from wagtail.models import APIToken

import pytest

from accounts.factories import SSOConnectionFactory
from accounts.models import SignInEvent, SignInEventType
from partners.factories import StaffUserFactory, give_second_factor, partner_user
from partners.tokens import personal_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    user = gold_partner_user.user
    user.first_name, user.last_name = "Ann", "Archer"
    user.save()
    client.force_login(user)
    return user


def html(response) -> str:
    return response.content.decode()


# --- access ----------------------------------------------------------------------------------


def test_signed_out_goes_to_sign_in_staff_are_told_and_the_switch_hides_it(client, member):
    assert Client().get("/profile/").url.startswith("/accounts/login/?next=/profile/")
    staff = Client()
    staff.force_login(StaffUserFactory())
    assert staff.get("/profile/").status_code == 403
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        assert client.get("/profile/").status_code == 404
        assert client.post("/profile/name/", {"first_name": "X"}).status_code == 404
    assert client.get("/profile/").status_code == 200


def test_the_header_links_to_the_profile(client, member):
    page = html(client.get("/"))
    assert 'href="/profile/"' in page
    assert 'href="/profile/" aria-current="page"' in html(client.get("/profile/"))


# --- name and e-mail ---------------------------------------------------------------------------


def test_the_page_shows_my_name_and_my_address_read_only(client, member):
    page = html(client.get("/profile/"))
    assert 'value="Ann"' in page and 'value="Archer"' in page
    assert member.email in page and f'value="{member.email}"' not in page  # shown, not a field
    assert 'href="/accounts/email/"' in page  # changed (verified) on allauth's page
    assert "single sign-on" not in page


def test_an_address_of_an_sso_domain_says_the_company_manages_it(client, member):
    domain = member.email.rpartition("@")[2]
    SSOConnectionFactory(name="Acme Okta", domains=[domain])
    page = html(client.get("/profile/"))
    assert "managed by your company's single sign-on (Acme Okta)" in page
    assert 'href="/accounts/email/"' not in page


def test_editing_my_name(client, member):
    response = client.post("/profile/name/", {"first_name": " Anna ", "last_name": "Berg"})
    assert response.status_code == 302 and response.url == "/profile/"
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Anna", "Berg")
    assert "Your name is saved." in html(client.get("/profile/"))


@pytest.mark.parametrize(
    "data",
    [{"first_name": "", "last_name": "Berg"}, {"first_name": "   ", "last_name": "Berg"}, {"first_name": "A" * 151}],
)
def test_a_bad_name_is_400_with_the_error_and_nothing_changes(client, member, data):
    response = client.post("/profile/name/", data)
    assert response.status_code == 400
    page = html(response)
    assert "nothing was saved" in page and 'class="errorlist' in page and 'aria-invalid="true"' in page
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Ann", "Archer")


def test_the_forms_only_take_posts(client, member):
    assert client.get("/profile/name/").status_code == 405
    assert client.get("/profile/tokens/").status_code == 405
    assert client.get("/profile/sessions/end-others/").status_code == 405


# --- second factor -----------------------------------------------------------------------------


def test_without_a_second_factor_the_page_offers_to_set_one_up(client, member):
    page = html(client.get("/profile/"))
    assert ">Off<" in page and 'href="/accounts/2fa/totp/activate/"' in page
    assert 'href="/accounts/2fa/webauthn/add/"' in page  # passkeys / security keys are offered
    assert 'href="/accounts/2fa/"' in page
    assert "/accounts/2fa/recovery-codes/" not in page  # nothing to back up yet


def test_with_a_second_factor_the_page_shows_it_and_the_recovery_codes(client, member):
    give_second_factor(member)
    page = html(client.get("/profile/"))
    assert ">On<" in page
    assert 'href="/accounts/2fa/totp/deactivate/"' in page
    assert "/accounts/2fa/recovery-codes/" in page


def test_when_the_company_requires_it_it_cannot_be_turned_off_here(client, member):
    give_second_factor(member)
    partner = member.partner_membership.partner
    partner.mfa_policy = "required"
    partner.save()
    page = html(client.get("/profile/"))
    assert "Your company requires a second factor" in page
    assert "/accounts/2fa/totp/deactivate/" not in page


# --- personal API tokens -----------------------------------------------------------------------


def test_creating_a_token_shows_its_secret_once_and_stores_only_a_digest(client, member):
    response = client.post("/profile/tokens/", {"name": "CRM sync", "expires_in_days": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = APIToken.objects.get(user=member, name="CRM sync")
    page = html(response)
    secret = page.split('id="new-token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert len(secret) > 20 and secret.startswith(token.prefix)
    assert token.key_hash != secret and secret not in str(APIToken.objects.filter(pk=token.pk).values().get())
    assert secret not in str(dict(client.session))  # not kept in the session either
    assert secret not in html(client.get("/profile/"))  # shown once
    # It works with the API, and the page lists it with its expiry.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    page = html(client.get("/profile/"))
    assert "CRM sync" in page and f"{token.prefix}…" in page and "Never" in page  # not used from here


@pytest.mark.parametrize(
    "data", [{"name": "", "expires_in_days": "30"}, {"name": "x", "expires_in_days": "9999"}, {"name": "y" * 256}]
)
def test_a_bad_token_request_is_400_and_creates_nothing(client, member, data):
    before = APIToken.objects.filter(user=member).count()
    response = client.post("/profile/tokens/", data)
    assert response.status_code == 400 and "nothing was saved" in html(response)
    assert APIToken.objects.filter(user=member).count() == before
    assert 'id="new-token"' not in html(response)


def test_revoking_my_token_and_not_someone_else_s(client, member):
    mine, secret = personal_token_create(user=member, name="Old script")
    theirs, _secret = personal_token_create(user=partner_user(), name="Not yours")
    assert client.post(f"/profile/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert "Old script" in html(client.get("/profile/"))
    response = client.post(f"/profile/tokens/{mine.pk}/revoke/", follow=True)
    assert response.redirect_chain == [("/profile/", 302)]
    assert "The token “Old script” is revoked" in html(response)
    assert "Old script</th>" not in html(response)
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert client.post(f"/profile/tokens/{mine.pk}/revoke/").status_code == 404  # once


# --- sessions ----------------------------------------------------------------------------------


def test_sign_out_everywhere_else_ends_my_other_sessions_and_keeps_this_one(member):
    laptop, phone, colleague_client = Client(), Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    colleague = partner_user()
    colleague_client.force_login(colleague)
    assert "also signed in on 2 other devices" in html(laptop.get("/profile/"))  # the fixture's client and phone

    response = laptop.post("/profile/sessions/end-others/", follow=True)
    assert "You are signed out on 2 other devices or browsers." in html(response)
    assert phone.get("/profile/").status_code == 302  # to the sign-in
    assert laptop.get("/profile/").status_code == 200
    assert colleague_client.get("/profile/").status_code == 200  # nobody else's
    assert "You are signed in only here." in html(laptop.get("/profile/"))
    event = SignInEvent.objects.filter(user=member, event=SignInEventType.SIGNED_OUT).get()
    assert "2 other session(s) ended" in event.detail
    again = laptop.post("/profile/sessions/end-others/", follow=True)
    assert "You were not signed in anywhere else." in html(again)


def test_the_page_signs_out_too(client, member):
    page = html(client.get("/profile/"))
    assert 'action="/accounts/logout/"' in page and 'href="/accounts/sessions/"' in page
    client.post("/accounts/logout/")
    assert client.get("/profile/").status_code == 302


# --- queries -----------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_whatever_i_have(client, member, django_assert_max_num_queries):
    give_second_factor(member)
    personal_token_create(user=member, name="one")
    with django_assert_max_num_queries(20) as few:
        assert client.get("/profile/").status_code == 200
    for n in range(6):
        personal_token_create(user=member, name=f"more {n}")
    Client().force_login(member)  # another session
    with django_assert_max_num_queries(len(few)):
        assert html(client.get("/profile/")).count("/revoke/") == 8  # and the fixture's token


def test_a_user_model_without_a_name_still_renders(client, db):
    user = partner_user()
    get_user_model().objects.filter(pk=user.pk).update(first_name="", last_name="")
    client.force_login(user)
    assert client.get("/profile/").status_code == 200
