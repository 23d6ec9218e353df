"""The identity providers the SSO tests sign in with: Keycloak's realms, driven in a real browser.

These prove the infrastructure (Keycloak from ``devtools/stack``, realms from ``devtools/keycloak/realms``,
Playwright with Debian's chromium), not the hub's SSO: a partner's user signs in on their IdP's page,
the IdP sends the browser back to a loopback ``/accounts/`` URL with a code or a SAML response, and
what it says about the user (e-mail, groups, issuer) is what the hub will map to a partner and roles.
"""

import base64
import json
import secrets
import threading
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from devtools.keycloak.idp import sign_in

SAML = {
    "p": "urn:oasis:names:tc:SAML:2.0:protocol",
    "a": "urn:oasis:names:tc:SAML:2.0:assertion",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}


def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@dataclass
class StandInHub:
    """A loopback HTTP server in the hub's place: keeps what the IdP sends the browser back with."""

    url: str
    requests: list = field(default_factory=list)


@pytest.fixture
def hub():
    caught = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body: bytes = b""):
            if not self.path.startswith("/accounts/"):  # the browser's own asides (favicon.ico)
                self.send_error(404)
                return
            caught.append({"method": self.command, "path": self.path, "body": body.decode()})
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<h1>Back at the hub</h1>")

        def do_GET(self):
            self._answer()

        def do_POST(self):
            self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StandInHub(url=f"http://127.0.0.1:{server.server_port}", requests=caught)
    finally:
        server.shutdown()
        server.server_close()


def _oidc_sign_in(page, hub, realm, email: str, password: str, *, refused: str = "") -> tuple[list, dict]:
    """Sign in on the realm's page; wait until the browser is back at the hub, or shows ``refused``."""
    callback = f"{hub.url}/accounts/oidc/{realm.name}/login/callback/"
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    discovery = requests.get(realm.discovery_url, timeout=10).json()
    query = urllib.parse.urlencode(
        {
            "client_id": realm.oidc_client_id,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": callback,
            "state": state,
            "nonce": nonce,
        }
    )
    page.goto(f"{discovery['authorization_endpoint']}?{query}")
    sign_in(page, email, password)
    if refused:
        page.get_by_text(refused).wait_for()
    else:
        page.wait_for_url(f"{callback}**")
    return hub.requests, {"callback": callback, "state": state, "nonce": nonce, "discovery": discovery}


@pytest.mark.parametrize("name", ["acme", "wideworld", "vendor"])
def test_each_realm_answers_oidc_discovery_and_the_saml_descriptor(keycloak, name):
    realm = keycloak.realms[name]

    discovery = requests.get(realm.discovery_url, timeout=10)
    descriptor = requests.get(realm.saml_metadata_url, timeout=10)

    assert discovery.status_code == 200
    assert discovery.json()["issuer"] == realm.issuer
    assert "authorization_code" in discovery.json()["grant_types_supported"]
    assert descriptor.status_code == 200
    root = ET.fromstring(descriptor.content)  # noqa: S314 - Keycloak's own metadata, on loopback
    assert root.get("entityID") == realm.issuer
    assert root.find(".//ds:X509Certificate", SAML) is not None


@pytest.mark.parametrize(
    ("name", "email", "groups"),
    [
        ("acme", "priya.patel@acme-networks.example", ["partner-admins", "sales"]),
        ("vendor", "maria.editor@vendor.example", ["editors"]),
        # Wide World's IdP vouches for an acme-networks.example address: its tokens still name Wide World.
        ("wideworld", "mallory@acme-networks.example", ["partner-admins", "sales"]),
    ],
)
def test_oidc_authorization_code_flow_signs_a_realm_user_in_with_email_and_groups(
    keycloak, page, hub, name, email, groups
):
    realm = keycloak.realms[name]

    caught, flow = _oidc_sign_in(page, hub, realm, email, realm.users[email].password)

    assert len(caught) == 1, f"the browser was not sent back to the hub; it shows: {page.inner_text('body')[:300]}"
    returned = urllib.parse.parse_qs(urllib.parse.urlsplit(caught[0]["path"]).query)
    assert returned["state"] == [flow["state"]]
    tokens = requests.post(
        flow["discovery"]["token_endpoint"],
        data={"grant_type": "authorization_code", "code": returned["code"][0], "redirect_uri": flow["callback"]},
        auth=(realm.oidc_client_id, realm.oidc_client_secret),
        timeout=10,
    )
    assert tokens.status_code == 200, tokens.text
    claims = _claims(tokens.json()["id_token"])
    assert claims["iss"] == realm.issuer
    assert claims["aud"] == realm.oidc_client_id
    assert claims["nonce"] == flow["nonce"]
    assert claims["email"] == email
    assert claims["email_verified"] is True
    assert sorted(claims["groups"]) == groups
    # The IdP itself says the same to the hub's server, over the access token.
    userinfo = requests.get(
        flow["discovery"]["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens.json()['access_token']}"},
        timeout=10,
    ).json()
    assert (userinfo["email"], sorted(userinfo["groups"])) == (email, groups)


def test_a_code_is_refused_with_another_partners_client_secret(keycloak, page, hub):
    acme, wideworld = keycloak.realms["acme"], keycloak.realms["wideworld"]
    email = "ann.andersen@acme-networks.example"

    caught, flow = _oidc_sign_in(page, hub, acme, email, acme.users[email].password)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(caught[0]["path"]).query)["code"][0]
    tokens = requests.post(
        flow["discovery"]["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": flow["callback"]},
        auth=(wideworld.oidc_client_id, wideworld.oidc_client_secret),
        timeout=10,
    )

    assert tokens.status_code == 401
    assert tokens.json()["error"] == "unauthorized_client"


def test_the_disabled_user_is_refused_by_keycloak(keycloak, page, hub, screenshot_dir):
    realm = keycloak.realms["acme"]
    email = "dora.disabled@acme-networks.example"
    assert realm.users[email].enabled is False

    caught, _flow = _oidc_sign_in(page, hub, realm, email, realm.users[email].password, refused="Account is disabled")

    page.screenshot(path=screenshot_dir / "keycloak-disabled-user.png")
    assert caught == []
    assert "Account is disabled" in page.inner_text("body")


def test_a_user_disabled_in_their_idp_after_the_fact_is_refused(keycloak, keycloak_admin, page, hub):
    realm = keycloak.realms["acme"]
    email = "noah.newhire@acme-networks.example"
    keycloak_admin.set_enabled("acme", email, False)

    caught, _flow = _oidc_sign_in(page, hub, realm, email, realm.users[email].password, refused="Account is disabled")

    assert caught == []
    assert "Account is disabled" in page.inner_text("body")


def test_a_group_change_in_the_idp_shows_in_the_next_tokens(keycloak, keycloak_admin, page, hub):
    realm = keycloak.realms["acme"]
    email = "ann.andersen@acme-networks.example"
    keycloak_admin.set_groups("acme", email, ["technical"])

    caught, flow = _oidc_sign_in(page, hub, realm, email, realm.users[email].password)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(caught[0]["path"]).query)["code"][0]
    tokens = requests.post(
        flow["discovery"]["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": flow["callback"]},
        auth=(realm.oidc_client_id, realm.oidc_client_secret),
        timeout=10,
    ).json()

    assert _claims(tokens["id_token"])["groups"] == ["technical"]


def test_the_sign_in_page_is_the_partners_own(keycloak, page, hub, screenshot_dir):
    realm = keycloak.realms["acme"]

    page.goto(
        f"{realm.issuer}/protocol/openid-connect/auth?client_id=partnerhub&response_type=code&scope=openid"
        f"&redirect_uri={urllib.parse.quote(hub.url + '/accounts/oidc/acme/login/callback/')}"
    )
    page.screenshot(path=screenshot_dir / "keycloak-sign-in-acme.png", full_page=True)

    assert "acme networks (partner idp)" in page.inner_text("body").lower()  # the theme shows it in capitals
    assert page.is_visible("#username") and page.is_visible("#password")


def test_a_redirect_outside_the_hubs_accounts_urls_is_refused(keycloak, page, hub):
    realm = keycloak.realms["acme"]

    response = page.goto(
        f"{realm.issuer}/protocol/openid-connect/auth?client_id=partnerhub&response_type=code&scope=openid"
        f"&redirect_uri={urllib.parse.quote(hub.url + '/admin/')}"
    )

    assert response.status == 400
    assert "Invalid parameter: redirect_uri" in page.inner_text("body")


def _authn_request(realm, acs: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = (
        f'<samlp:AuthnRequest xmlns:samlp="{SAML["p"]}" xmlns:saml="{SAML["a"]}" ID="_{secrets.token_hex(16)}"'
        f' Version="2.0" IssueInstant="{now}" Destination="{realm.saml_sso_url}"'
        f' ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="{acs}">'
        f"<saml:Issuer>{realm.saml_entity_id}</saml:Issuer></samlp:AuthnRequest>"
    )
    deflated = zlib.compress(xml.encode())[2:-4]  # raw DEFLATE, as the HTTP-Redirect binding wants
    return base64.b64encode(deflated).decode()


def test_saml_sign_in_returns_a_signed_assertion_with_email_and_groups(keycloak, page, hub):
    realm = keycloak.realms["acme"]
    email = "ann.andersen@acme-networks.example"
    # The hub's own loopback name: Keycloak accepts localhost as it does 127.0.0.1, on any port.
    acs = f"{hub.url.replace('127.0.0.1', 'localhost')}/accounts/saml/acme/acs/"

    page.goto(f"{realm.saml_sso_url}?{urllib.parse.urlencode({'SAMLRequest': _authn_request(realm, acs)})}")
    sign_in(page, email, realm.users[email].password)
    page.wait_for_url(f"{acs}**")  # through Keycloak's self-submitting form, a POST

    caught = hub.requests
    assert len(caught) == 1, f"no SAML response came back; the page shows: {page.inner_text('body')[:300]}"
    assert (caught[0]["method"], caught[0]["path"]) == ("POST", "/accounts/saml/acme/acs/")
    form = urllib.parse.parse_qs(caught[0]["body"])
    response = ET.fromstring(base64.b64decode(form["SAMLResponse"][0]))  # noqa: S314 - Keycloak's, on loopback
    status = response.find("p:Status/p:StatusCode", SAML).get("Value")
    assert status == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assertion = response.find("a:Assertion", SAML)
    assert assertion.find("a:Issuer", SAML).text == realm.issuer
    assert assertion.find("ds:Signature", SAML) is not None
    assert assertion.find("a:Subject/a:NameID", SAML).text == email
    attributes = {
        a.get("Name"): sorted(v.text for v in a.findall("a:AttributeValue", SAML))
        for a in assertion.findall("a:AttributeStatement/a:Attribute", SAML)
    }
    assert attributes["email"] == [email]
    assert attributes["groups"] == ["marketing", "sales"]
    assert assertion.find("a:Conditions/a:AudienceRestriction/a:Audience", SAML).text == realm.saml_entity_id
