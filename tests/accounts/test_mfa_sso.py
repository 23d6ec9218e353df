"""A sign-in by single sign-on is held to MFA like any other: allauth's social login ends in the same login stages
as a password (``perform_login``), so its second-factor stage asks the code of a user who has set one up, and the
enforcement sends a user who must have one and has none to set it up.

The social login is allauth's own flow (``complete_login``), for an account an IdP vouched for, with allauth's
default social adapter: what the IdP said is not at stake here (the SSO tests cover that), only what comes after.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sites.models import Site
from django.test import Client

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal.flows.login import complete_login
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin

from accounts.factories import partner_user_with_password
from accounts.models import SignInEvent, SignInEventType
from partners.factories import PartnerFactory
from partners.models import PartnerMfaPolicy

from .mfa import enrol, forget_used_codes, fresh_totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.PARTNERHUB_MFA_ENFORCED = True
    settings.SOCIALACCOUNT_ADAPTER = "allauth.socialaccount.adapter.DefaultSocialAccountAdapter"
    forget_used_codes()


@pytest.fixture
def ann():
    partner = PartnerFactory(name="Acme", mfa_policy=PartnerMfaPolicy.REQUIRED)
    user = partner_user_with_password(email="ann@acme.example", partner=partner)
    SocialAccount.objects.create(user=user, provider="acme-oidc", uid="ann-at-acme")
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="acme-oidc",
        name="Acme",
        client_id="partnerhub",
        secret="not-used-here",
        settings={"server_url": "https://idp.acme.example/realms/acme"},
    )
    app.sites.add(Site.objects.get_current())
    return user


def sso_callback(rf, client: Client):
    """The IdP's callback, as allauth's provider view completes it: an existing social account signs in."""
    request = rf.get("/accounts/oidc/acme-oidc/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    with context.request_context(request):
        provider = get_adapter().get_provider(request, "acme-oidc")
    sociallogin = SocialLogin(account=SocialAccount(provider="acme-oidc", uid="ann-at-acme"), provider=provider)
    sociallogin.state = {"process": "login", "next": "/"}
    with context.request_context(request):
        response = complete_login(request, sociallogin)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key  # the browser carries on with that session
    return response


def test_a_user_with_an_app_is_asked_the_code_after_the_idp(rf, ann):
    secret, _codes = enrol(ann)
    client = Client()
    response = sso_callback(rf, client)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/api/v1/me").status_code == 401  # not signed in on the IdP's word alone
    assert client.post("/accounts/2fa/authenticate/", {"code": fresh_totp_code(secret)})["Location"] == "/"
    assert client.get("/api/v1/me").status_code == 200
    success = SignInEvent.objects.get(event=SignInEventType.SIGN_IN_SUCCEEDED)
    assert success.detail == "via acme-oidc, second factor: TOTP"


def test_a_user_who_must_have_one_and_has_none_sets_it_up_first(rf, ann):
    ann.set_unusable_password()  # a user of a partner's IdP has no password of ours
    ann.save()
    client = Client()
    assert sso_callback(rf, client)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/api/v1/me").json()["code"] == "mfa_required"
    # No password to confirm: allauth lets an SSO-only user set it up straight away.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
