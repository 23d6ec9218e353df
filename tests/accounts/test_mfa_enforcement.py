"""A user who must have a second factor and has none sets one up before anything else: pages send them to the
activation page saying why; the API refuses their session with the code ``mfa_required``; tokens are unaffected."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

import pytest

from accounts.factories import PASSWORD, partner_user_with_password, staff_user_with_password
from partners.factories import PartnerFactory
from partners.models import PartnerMfaPolicy
from partners.services import api_token_issue

from .mfa import enrol

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
REAUTHENTICATE = "/accounts/reauthenticate/"
SESSION = "/api/v1/auth/session"
ME = "/api/v1/me"


@pytest.fixture
def superuser():
    return staff_user_with_password(username="boss", email="boss@vendor.example", is_superuser=True)


@pytest.fixture
def strict_member():
    partner = PartnerFactory(name="Strict", mfa_policy=PartnerMfaPolicy.REQUIRED)
    return partner_user_with_password(email="sam@strict.example", partner=partner)


def signed_in(user) -> Client:
    """Signed in at /accounts/login/ with the password (allauth then knows it was just now)."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def test_staff_who_must_have_it_are_sent_to_set_it_up_and_told_why(superuser):
    client = signed_in(superuser)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    # allauth asks for the password again before any change to MFA (a borrowed session cannot enrol its own app).
    confirm = client.get(ACTIVATE, follow=True)
    assert confirm.redirect_chain[-1][0] == f"{REAUTHENTICATE}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    assert "Set up two-factor authentication to continue: your account can publish content or administer" in (
        confirm.content.decode()
    )
    assert client.post(REAUTHENTICATE, {"password": PASSWORD, "next": ACTIVATE})["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="authenticator_secret"' in html and "data:image/svg+xml;base64," in html  # the key and its QR code
    assert "Required: your account can publish content or administer Partner Hub." in html
    assert "<script" not in html and "style=" not in html  # nothing inline (CSP)


def test_every_page_but_the_mfa_pages_sign_out_and_static_files_is_held(superuser, settings):
    client = signed_in(superuser)
    for path in ("/admin/", "/", "/accounts/email/x/", "/accounts/password/change/", "/accounts/sessions/"):
        assert client.get(path)["Location"] == ACTIVATE, path
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get(f"{settings.STATIC_URL}accounts/accounts.css").status_code != 302
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")  # signed out, not held


def test_once_set_up_they_go_where_they_wanted(superuser):
    client = signed_in(superuser)
    client.get("/admin/pages/")
    enrol(superuser)
    assert client.get("/admin/pages/").status_code == 200
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    codes = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert 'href="/admin/pages/"' in codes  # "I have saved them: continue"


def test_partner_users_of_a_partner_that_requires_it_are_held_too(strict_member):
    client = signed_in(strict_member)
    assert client.get("/")["Location"] == ACTIVATE
    assert "your company requires it" in client.get(ACTIVATE, follow=True).content.decode()


def test_the_api_refuses_their_session_with_a_clear_code_and_says_why_in_the_session(strict_member):
    client = signed_in(strict_member)
    refused = client.get(ME)
    assert refused.status_code == 403
    assert refused.json()["code"] == "mfa_required"
    assert "/accounts/2fa/totp/activate/" in refused.json()["detail"]
    session = client.get(SESSION)
    assert session.status_code == 200
    assert session.json()["mfa"] == {"enabled": False, "required": True, "setup_url": ACTIVATE}
    assert session.json()["api_access"] is False  # not with this session, yet
    enrol(strict_member)
    assert client.get(ME).status_code == 200
    assert client.get(SESSION).json()["mfa"]["enabled"] is True
    assert client.get(SESSION).json()["api_access"] is True


def test_personal_tokens_are_unaffected(strict_member):
    _token, plaintext = api_token_issue(user=strict_member, name="integration")
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200
    # ...even sent with the session of someone held to the policy: the token is the credential.
    assert signed_in(strict_member).get(ME, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200


def test_users_it_is_optional_for_are_never_held(superuser):
    member = partner_user_with_password(email="pat@relaxed.example")
    client = signed_in(member)
    assert client.get(ME).status_code == 200
    assert client.get(SESSION).json()["mfa"] == {"enabled": False, "required": False, "setup_url": ACTIVATE}
    assert Client().get(SESSION).json()["mfa"]["required"] is False  # signed out


def test_a_deployment_that_does_not_enforce_it_fails_the_deploy_check(settings):
    settings.PARTNERHUB_MFA_ENFORCED = False
    with pytest.raises(SystemCheckError, match=r"accounts\.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
