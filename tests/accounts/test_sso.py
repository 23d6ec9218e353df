"""Single sign-on: what an identity provider's answer means here, through allauth's real login flow.

The protocol itself (Keycloak's pages, the code exchange, the SAML signature) is proven against a
real Keycloak in tests/integration/test_sso.py. Here allauth's OIDC provider turns claims into its
``SocialLogin`` and runs its own flow (``complete_login``), and the hub decides: the user created just
in time in the connection's partner, roles from groups at every sign-in, refusals that say why.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.factories import PASSWORD, SSOConnectionFactory, partner_user_with_password
from accounts.models import SignInEvent, SignInEventType, SignInMethod
from partners.factories import PartnerFactory, RoleFactory, partner_user
from partners.models import PartnerMembership

from .conftest import LOGIN, sign_in
from .sso import sso_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    return {key: RoleFactory(key=key, name=key.title()) for key in ("sales", "marketing", "technical", "admin")}


@pytest.fixture
def acme(roles):
    return SSOConnectionFactory(
        name="Acme SSO",
        slug="acme",
        partner=PartnerFactory(key="acme", name="Acme Networks"),
        domains=["acme.example"],
        mappings={"sales": roles["sales"], "marketing": roles["marketing"], "partner-admins": roles["admin"]},
    )


@pytest.fixture
def wideworld(roles):
    return SSOConnectionFactory(
        name="Wide World SSO",
        slug="wideworld",
        partner=PartnerFactory(key="wideworld", name="Wide World"),
        domains=["wideworld.example"],
        mappings={"sales": roles["sales"]},
    )


def signed_in_as(request):
    user = request.user
    return user if user.is_authenticated else None


def role_keys(user) -> set[str]:
    return set(PartnerMembership.objects.get(user=user).roles.values_list("key", flat=True))


def test_first_sign_in_creates_the_user_in_the_connections_partner_with_mapped_roles(rf, acme):
    response, request = sso_sign_in(rf, acme, email="Ann@Acme.example", groups=["sales", "marketing", "golf"])
    assert response.status_code == 302 and response["Location"] == "/"
    user = signed_in_as(request)
    assert user.email == "ann@acme.example" and (user.first_name, user.last_name) == ("Sam", "Sample")
    assert user.partner_membership.partner == acme.partner
    assert role_keys(user) == {"sales", "marketing"}
    assert not user.has_usable_password()  # their IdP's password is the only one
    events = list(SignInEvent.objects.filter(user=user).values_list("event", "method", "partner"))
    assert (SignInEventType.SSO_USER_CREATED, SignInMethod.SSO, acme.partner.pk) in events
    assert (SignInEventType.SIGN_IN_SUCCEEDED, SignInMethod.SSO, acme.partner.pk) in events


def test_roles_follow_the_idp_groups_at_every_sign_in_and_unmapped_roles_stay(rf, acme, roles):
    _, request = sso_sign_in(rf, acme, email="ann@acme.example", groups=["sales"])
    user = signed_in_as(request)
    user.partner_membership.roles.add(roles["technical"])  # given here, not by the IdP's mapping
    _, request = sso_sign_in(rf, acme, email="ann@acme.example", groups=["marketing", "partner-admins"])
    assert signed_in_as(request) == user
    assert role_keys(user) == {"marketing", "admin", "technical"}
    assert PartnerMembership.objects.filter(user__email="ann@acme.example").count() == 1


def test_a_user_whose_groups_no_longer_map_is_refused_and_keeps_nothing_new(rf, acme):
    _, request = sso_sign_in(rf, acme, email="ann@acme.example", groups=["sales"])
    user = signed_in_as(request)
    response, request = sso_sign_in(rf, acme, email="ann@acme.example", groups=["golf"])
    assert response.status_code == 403
    assert "none of your groups is one that does" in response.content.decode()
    assert signed_in_as(request) is None
    assert role_keys(user) == {"sales"}
    refusal = SignInEvent.objects.get(event=SignInEventType.SSO_REFUSED)
    assert (refusal.user, refusal.partner, refusal.method) == (user, acme.partner, SignInMethod.SSO)
    assert "no mapped group among golf" in refusal.detail


def test_partner_as_idp_never_signs_in_an_address_of_partner_bs_domain(rf, acme, wideworld):
    b_user = partner_user(partner=wideworld.partner, user__email="kim@wideworld.example")
    response, request = sso_sign_in(rf, acme, email="kim@wideworld.example", groups=["sales"])
    assert response.status_code == 403
    assert "belongs to another organisation" in response.content.decode()
    assert signed_in_as(request) is None
    assert b_user.partner_membership.partner == wideworld.partner
    assert not SocialAccount.objects.exists()
    # Nor a new address of B's domain: nobody is created, in either partner.
    response, _ = sso_sign_in(rf, acme, email="new.person@wideworld.example", groups=["sales"])
    assert response.status_code == 403
    assert not PartnerMembership.objects.filter(user__email="new.person@wideworld.example").exists()


def test_a_user_of_the_domain_who_belongs_to_another_partner_is_refused(rf, acme, wideworld):
    moved = partner_user(partner=wideworld.partner, user__email="lee@acme.example")
    response, request = sso_sign_in(rf, acme, email="lee@acme.example", groups=["sales"])
    assert response.status_code == 403
    assert signed_in_as(request) is None
    assert moved.partner_membership.partner == wideworld.partner
    assert "Wide World" in SignInEvent.objects.get(event=SignInEventType.SSO_REFUSED).detail


def test_an_existing_user_is_linked_by_address_and_loses_their_local_password(rf, acme, roles):
    user = partner_user_with_password(email="pat@acme.example", partner=acme.partner, roles=[roles["technical"]])
    _, request = sso_sign_in(rf, acme, email="pat@acme.example", groups=["sales"])
    assert signed_in_as(request) == user
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert role_keys(user) == {"technical", "sales"}
    assert SocialAccount.objects.get(user=user).provider == acme.provider_id


def test_a_deactivated_user_or_partner_is_refused_with_the_reason(rf, acme):
    _, request = sso_sign_in(rf, acme, email="ann@acme.example", groups=["sales"])
    user = signed_in_as(request)
    user.is_active = False
    user.save()
    response, request = sso_sign_in(rf, acme, email="ann@acme.example", groups=["sales"])
    assert response.status_code == 403 and signed_in_as(request) is None
    assert "no access to Partner Hub" in response.content.decode()


def test_the_vendors_idp_signs_staff_in_with_mapped_groups_and_never_a_partner_user(rf, acme, roles):
    editors = Group.objects.get(name="Editors")
    vendor = SSOConnectionFactory(
        name="Vendor SSO", slug="vendor", partner=None, domains=["vendor.example"], mappings={"editors": editors}
    )
    _, request = sso_sign_in(rf, vendor, email="maria@vendor.example", groups=["editors"])
    staff = signed_in_as(request)
    assert list(staff.groups.all()) == [editors]
    assert staff.has_perm("wagtailadmin.access_admin")
    assert not PartnerMembership.objects.filter(user=staff).exists()

    partner_user(partner=acme.partner, user__email="mole@vendor.example")
    response, _ = sso_sign_in(rf, vendor, email="mole@vendor.example", groups=["editors"])
    assert response.status_code == 403
    assert "belongs to a partner" in response.content.decode()


def test_a_password_is_never_accepted_for_an_sso_domain(client, acme):
    user = partner_user_with_password(email="pat@acme.example", partner=acme.partner)
    assert authenticate(email="pat@acme.example", password=PASSWORD) is None
    assert authenticate(username=user.username, password=PASSWORD) is None
    assert not client.login(username=user.username, password=PASSWORD)
    acme.is_active = False  # a connection switched off gives its domain its passwords back
    acme.save()
    assert authenticate(email="pat@acme.example", password=PASSWORD) == user


def test_an_sso_address_at_the_sign_in_page_goes_to_its_idp_without_a_password(client, acme):
    acme.issuer = "http://127.0.0.1:9/realms/acme"  # nothing listens there: the IdP is down
    acme.save()
    response = client.post(LOGIN, {"login": "ann@acme.example", "password": ""})
    assert response.status_code == 502
    assert "identity provider (Acme SSO) cannot be reached right now" in response.content.decode()
    error = SignInEvent.objects.get(event=SignInEventType.SSO_ERROR)
    assert error.identifier == "ann@acme.example" and "could not be reached" in error.detail


def test_other_addresses_still_need_their_password(client, member):
    response = sign_in(client, "pat@acme.example", "")
    assert response.status_code == 200
    assert "Enter your password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_reset_is_refused_for_an_sso_domain(client, acme):
    partner_user_with_password(email="pat@acme.example", partner=acme.partner)
    response = client.post("/accounts/password/reset/", {"email": "pat@acme.example"})
    assert response.status_code == 200
    assert "sign in through Acme SSO" in response.content.decode()


def test_an_invitation_to_an_sso_address_sets_no_password_and_is_answered_at_the_first_sso_sign_in(
    rf, client, acme, roles
):
    from partners.factories import InvitationFactory
    from partners.models import Invitation

    invitation = InvitationFactory(partner=acme.partner, email="noah@acme.example", token="sso-invitation-token")
    invitation.roles.set([roles["technical"]])
    page = client.get("/accounts/invitations/sso-invitation-token/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Continue with Acme SSO" in html and 'type="password"' not in html

    _, request = sso_sign_in(rf, acme, email="noah@acme.example", groups=["sales"])
    user = signed_in_as(request)
    assert role_keys(user) == {"sales", "technical"}  # the IdP's, and the partner admin's choice
    invitation.refresh_from_db()
    assert invitation.accepted_user == user and invitation.state == Invitation.State.ACCEPTED
    assert SignInEvent.objects.filter(event=SignInEventType.INVITATION_ACCEPTED, user=user).exists()


def test_an_invitation_to_an_address_another_partners_idp_owns_is_refused(client, acme, wideworld):
    from partners.factories import InvitationFactory

    InvitationFactory(partner=acme.partner, email="kim@wideworld.example", token="wrong-partner-token")
    page = client.get("/accounts/invitations/wrong-partner-token/")
    assert page.status_code == 409
    assert "which is not" in page.content.decode()


def test_allauth_is_handed_only_the_connection_it_asks_for(acme, wideworld, django_assert_num_queries):
    from accounts.sso.connections import apps_for

    with django_assert_num_queries(1):
        assert [app.name for app in apps_for(provider=acme.provider_id)] == ["Acme SSO"]
    assert [app.name for app in apps_for(provider="openid_connect")] == ["Acme SSO", "Wide World SSO"]
    assert apps_for(provider="saml") == [] and apps_for(provider="github") == []
    assert [app.name for app in apps_for(provider="openid_connect", client_id="partnerhub")] == [
        "Acme SSO",
        "Wide World SSO",
    ]
    wideworld.is_active = False
    wideworld.save()
    assert apps_for(provider=wideworld.provider_id) == []
