"""A sign-in by single sign-on is held to MFA like any other: allauth's social login ends in the same login stages
as a password (``perform_login``), so its second-factor stage asks the code of a user who has set one up, and the
enforcement sends a user who must have one and has none to set it up.

The IdP's answer goes through our SSO connection and adapter (``accounts.sso``) and allauth's own flow
(``complete_login``), as in tests/accounts/test_sso.py; here only what comes after is at stake.
"""

from django.test import Client

import pytest

from accounts.factories import SSOConnectionFactory, partner_user_with_password
from accounts.models import SignInEvent, SignInEventType
from partners.factories import PartnerFactory, RoleFactory
from partners.models import PartnerMfaPolicy

from .mfa import enrol, fresh_totp_code
from .sso import sso_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    partner = PartnerFactory(name="Acme", mfa_policy=PartnerMfaPolicy.REQUIRED)
    return SSOConnectionFactory(
        name="Acme SSO", slug="acme", partner=partner, domains=["acme.example"], mappings={"sales": RoleFactory()}
    )


@pytest.fixture
def ann(acme):
    return partner_user_with_password(email="ann@acme.example", partner=acme.partner)


def sso_callback(rf, client: Client, connection):
    """The IdP's callback completed by allauth; the browser (``client``) carries on with the session it made."""
    response, request = sso_sign_in(rf, connection, email="ann@acme.example", groups=["sales"])
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    return response


def test_a_user_with_an_app_is_asked_the_code_after_the_idp(rf, acme, ann):
    secret, _codes = enrol(ann)
    client = Client()
    response = sso_callback(rf, client, acme)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/api/v1/me").status_code == 401  # not signed in on the IdP's word alone
    assert client.post("/accounts/2fa/authenticate/", {"code": fresh_totp_code(secret)})["Location"] == "/"
    assert client.get("/api/v1/me").status_code == 200
    success = SignInEvent.objects.get(event=SignInEventType.SIGN_IN_SUCCEEDED)
    assert success.detail == "via sso-acme, second factor: TOTP"


def test_a_user_who_must_have_one_and_has_none_sets_it_up_first(rf, acme, ann):
    client = Client()
    assert sso_callback(rf, client, acme)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/api/v1/me").json()["code"] == "mfa_required"
    # No password of ours (the IdP's sign-in wiped it): allauth lets an SSO-only user set it up straight away.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
