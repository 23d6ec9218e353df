"""Single sign-on end to end: the hub on a live server, Keycloak's realms as the partners' and vendor's IdPs,
a real browser between them (Playwright driving Debian's chromium).

What a partner user sees: they type their work address at /accounts/login/, land on their company's own
sign-in page, and come back signed in, created just in time in their partner with the roles their groups
give. What the hub refuses: an IdP vouching for another partner's address, a user whose groups no longer
map, a user their IdP disabled (Keycloak itself refuses them: they never come back).

Screenshots of each step are kept in .stack/screenshots (``screenshot_dir``).
"""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from accounts.factories import SSOConnectionFactory
from accounts.models import SignInEvent, SignInEventType, SSOProtocol
from devtools.keycloak.idp import sign_in
from partners.factories import PartnerFactory
from partners.models import PartnerMembership
from partners.services import role_upsert

# live_server is transactional; serialized_rollback gives each test what migrations made (Wagtail's root page).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROLE_GROUPS = {"sales": "sales", "marketing": "marketing", "technical": "technical", "partner-admins": "admin"}


@pytest.fixture
def roles():
    return {key: role_upsert(key=key, name=key.title())[0] for key in ROLE_GROUPS.values()}


def oidc_connection(realm, *, slug, partner, domain, roles):
    return SSOConnectionFactory(
        name=f"{partner.name} SSO",
        slug=slug,
        partner=partner,
        protocol=SSOProtocol.OIDC,
        issuer=realm.issuer,
        client_id=realm.oidc_client_id,
        client_secret=realm.oidc_client_secret,
        domains=[domain],
        mappings={group: roles[key] for group, key in ROLE_GROUPS.items()},
    )


@pytest.fixture
def acme(keycloak, roles):
    partner = PartnerFactory(key="acme", name="Acme Networks")
    return oidc_connection(
        keycloak.realms["acme"], slug="acme", partner=partner, domain="acme-networks.example", roles=roles
    )


@pytest.fixture
def wideworld_oidc(keycloak, roles):
    partner = PartnerFactory(key="wideworld", name="Wide World Networks")
    return oidc_connection(
        keycloak.realms["wideworld"],
        slug="wideworld",
        partner=partner,
        domain="wide-world-networks.example",
        roles=roles,
    )


def start_sign_in(page, live_server, email, next_url=""):
    page.goto(f"{live_server.url}/accounts/login/{next_url}")
    page.fill("input[name=login]", email)
    page.click("button[type=submit]")


def session_of(page, live_server) -> dict:
    page.goto(f"{live_server.url}/api/v1/auth/session")
    return json.loads(page.inner_text("body"))


def role_keys(email) -> set[str]:
    return set(PartnerMembership.objects.get(user__email=email).roles.values_list("key", flat=True))


def test_a_partner_users_first_sso_sign_in_creates_them_in_their_partner(
    keycloak, acme, live_server, page, screenshot_dir
):
    realm = keycloak.realms["acme"]
    ann = realm.users["ann.andersen@acme-networks.example"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", ann.email)
    page.screenshot(path=screenshot_dir / "sso-1-hub-sign-in.png")
    page.click("button[type=submit]")  # no password typed: the address decides
    page.wait_for_url(f"{realm.issuer}/**")
    assert page.input_value("#username") == ann.email  # login_hint: the IdP's page starts with the address
    page.screenshot(path=screenshot_dir / "sso-2-acme-idp.png")
    sign_in(page, ann.email, ann.password)
    page.wait_for_url(f"{live_server.url}/")
    page.screenshot(path=screenshot_dir / "sso-3-signed-in.png")

    user = get_user_model().objects.get(email=ann.email)
    assert user.partner_membership.partner == acme.partner
    assert role_keys(ann.email) == {"sales", "marketing"}
    assert not user.has_usable_password()
    session = session_of(page, live_server)
    assert session["authenticated"] and session["user"]["email"] == ann.email
    assert session["partner"]["key"] == "acme" and session["api_access"]
    assert SignInEvent.objects.filter(user=user, event=SignInEventType.SIGN_IN_SUCCEEDED, method="sso").exists()


def test_saml_sign_in_creates_the_user_with_roles_from_the_assertions_groups(keycloak, roles, live_server, page):
    realm = keycloak.realms["wideworld"]
    partner = PartnerFactory(key="wideworld", name="Wide World Networks")
    SSOConnectionFactory(
        name="Wide World SAML",
        slug="wideworld-saml",
        partner=partner,
        protocol=SSOProtocol.SAML,
        issuer="",
        client_id="",
        client_secret="",
        idp_metadata_url=realm.saml_metadata_url,
        idp_entity_id=realm.issuer,
        sp_entity_id=realm.saml_entity_id,
        domains=["wide-world-networks.example"],
        mappings={group: roles[key] for group, key in ROLE_GROUPS.items()},
    )
    kavya = realm.users["kavya.patel@wide-world-networks.example"]
    start_sign_in(page, live_server, kavya.email)
    page.wait_for_url(f"{realm.issuer}/**")
    sign_in(page, kavya.email, kavya.password)
    page.wait_for_url(f"{live_server.url}/")
    user = get_user_model().objects.get(email=kavya.email)
    assert user.partner_membership.partner == partner
    assert role_keys(kavya.email) == {"marketing", "sales"}
    assert user.socialaccount_set.get().provider == "sso-wideworld-saml"


def test_a_group_change_at_the_idp_changes_roles_at_the_next_sign_in_and_no_group_is_refused(
    keycloak, keycloak_admin, acme, live_server, browser, page, screenshot_dir
):
    realm = keycloak.realms["acme"]
    ann = realm.users["ann.andersen@acme-networks.example"]
    start_sign_in(page, live_server, ann.email)
    sign_in(page, ann.email, ann.password)
    page.wait_for_url(f"{live_server.url}/")
    assert role_keys(ann.email) == {"sales", "marketing"}

    keycloak_admin.set_groups("acme", ann.email, ["technical", "partner-admins"])
    keycloak_admin.end_sessions("acme", ann.email)
    with browser.new_context() as context:
        again = context.new_page()
        start_sign_in(again, live_server, ann.email)
        sign_in(again, ann.email, ann.password)
        again.wait_for_url(f"{live_server.url}/")
    assert role_keys(ann.email) == {"technical", "admin"}

    keycloak_admin.set_groups("acme", ann.email, [])
    keycloak_admin.end_sessions("acme", ann.email)
    with browser.new_context() as context:
        refused = context.new_page()
        start_sign_in(refused, live_server, ann.email)
        sign_in(refused, ann.email, ann.password)
        refused.wait_for_selector("text=We could not sign you in")
        refused.screenshot(path=screenshot_dir / "sso-refused-no-group.png")
        assert "none of your groups is one that does" in refused.inner_text("body")
        assert not session_of(refused, live_server)["authenticated"]
    assert role_keys(ann.email) == {"technical", "admin"}  # a refusal changes nothing


def test_partner_bs_idp_vouching_for_an_acme_address_never_lands_in_either_partner(
    keycloak, acme, wideworld_oidc, live_server, page
):
    realm = keycloak.realms["wideworld"]
    mallory = realm.users["mallory@acme-networks.example"]  # a wideworld IdP user with an acme address
    page.goto(f"{live_server.url}/accounts/oidc/{wideworld_oidc.provider_id}/login/")
    page.click("button[type=submit]")  # allauth's "Continue" (no sign-in starts on a GET)
    page.wait_for_url(f"{realm.issuer}/**")
    sign_in(page, mallory.email, mallory.password)
    page.wait_for_selector("text=We could not sign you in")
    assert "belongs to another organisation" in page.inner_text("body")
    assert not get_user_model().objects.filter(email=mallory.email).exists()
    refusal = SignInEvent.objects.get(event=SignInEventType.SSO_REFUSED)
    assert refusal.partner == wideworld_oidc.partner and "does not own" in refusal.detail


def test_a_user_disabled_in_their_idp_is_refused_there_and_never_signed_in(
    keycloak, keycloak_admin, acme, live_server, page, screenshot_dir
):
    realm = keycloak.realms["acme"]
    dora = realm.users["dora.disabled@acme-networks.example"]
    start_sign_in(page, live_server, dora.email)
    sign_in(page, dora.email, dora.password)
    page.wait_for_selector("text=disabled")
    page.screenshot(path=screenshot_dir / "sso-disabled-at-idp.png")
    assert page.url.startswith(realm.issuer)
    assert not get_user_model().objects.filter(email=dora.email).exists()


def test_a_user_with_no_mapped_group_is_refused_by_the_hub(keycloak, acme, live_server, page):
    olga = keycloak.realms["acme"].users["olga.nogroups@acme-networks.example"]
    start_sign_in(page, live_server, olga.email)
    sign_in(page, olga.email, olga.password)
    page.wait_for_selector("text=We could not sign you in")
    assert not get_user_model().objects.filter(email=olga.email).exists()


def test_the_vendors_idp_signs_an_editor_into_the_admin(keycloak, live_server, page):
    realm = keycloak.realms["vendor"]
    SSOConnectionFactory(
        name="Vendor SSO",
        slug="vendor",
        partner=None,
        issuer=realm.issuer,
        client_id=realm.oidc_client_id,
        client_secret=realm.oidc_client_secret,
        domains=["vendor.example"],
        mappings={"editors": Group.objects.get(name="Editors")},
    )
    maria = realm.users["maria.editor@vendor.example"]
    start_sign_in(page, live_server, maria.email, next_url="?next=/admin/")
    sign_in(page, maria.email, maria.password)
    page.wait_for_url(f"{live_server.url}/admin/**")
    staff = get_user_model().objects.get(email=maria.email)
    assert list(staff.groups.values_list("name", flat=True)) == ["Editors"]
    assert not PartnerMembership.objects.filter(user=staff).exists()
