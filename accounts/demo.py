"""Accounts' demo step: a single sign-on connection for Wide World Networks against ``make stack``'s Keycloak.

The realm ``wideworld`` (devtools/keycloak/realms/wideworld.json) plays the partner's own identity
provider; its client secret and users' passwords are demo values kept in that file. With ``KEYCLOAK_URL``
in the environment (``source .stack/dev/env`` after ``make stack``) the connection is active; without it,
it is created inactive, so the domain keeps its passwords until a Keycloak is there.
"""

import os

from core.demo import DemoRun
from partners.models import Partner, Role

from .models import SSOConnection, SSOEmailDomain, SSOProtocol, SSORoleMapping

DEMO_REALM = "wideworld"
DEMO_PARTNER = "wide-world-networks"
DEMO_DOMAIN = "wide-world-networks.example"
DEMO_CLIENT_SECRET = "wideworld-oidc-secret"  # noqa: S105 - the demo realm's, published in the repository
DEMO_SSO_USER = "kavya.patel@wide-world-networks.example"
DEMO_SSO_PASSWORD = "wideworld-pass-1"  # noqa: S105 - the demo realm's
#: IdP group → role key.
DEMO_MAPPINGS = {"sales": "sales", "marketing": "marketing", "technical": "technical", "partner-admins": "admin"}
NO_KEYCLOAK_URL = "http://127.0.0.1:8080"


def demo_sso_connection(run: DemoRun) -> None:
    keycloak_url = os.environ.get("KEYCLOAK_URL", "").rstrip("/")
    partner = Partner.objects.get(key=DEMO_PARTNER)
    connection = SSOConnection.objects.filter(slug=DEMO_PARTNER).first() or SSOConnection(slug=DEMO_PARTNER)
    connection.name = f"{partner.name} SSO"
    connection.partner = partner
    connection.protocol = SSOProtocol.OIDC
    connection.issuer = f"{keycloak_url or NO_KEYCLOAK_URL}/realms/{DEMO_REALM}"
    connection.client_id = "partnerhub"
    connection.client_secret = DEMO_CLIENT_SECRET
    connection.is_active = bool(keycloak_url)
    connection.full_clean()
    connection.save()
    SSOEmailDomain.objects.get_or_create(domain=DEMO_DOMAIN, defaults={"connection": connection})
    for idp_group, role_key in DEMO_MAPPINGS.items():
        SSORoleMapping.objects.get_or_create(
            connection=connection, idp_group=idp_group, defaults={"role": Role.objects.get(key=role_key)}
        )
    if keycloak_url:
        run.logins.append(
            f"SSO ({partner.name}, Keycloak realm {DEMO_REALM!r}): {DEMO_SSO_USER} at /accounts/login/, "
            f"password {DEMO_SSO_PASSWORD!r} on the IdP's page"
        )
    else:
        run.summary.append(
            f"SSO connection for {partner.name}: inactive (no KEYCLOAK_URL; `make stack`, "
            "`source .stack/dev/env`, then load_demo again)"
        )
