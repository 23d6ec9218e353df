"""What tests know about, and do to, the Keycloak that ``python -m devtools.stack`` starts.

The realm files in ``realms/`` are the single source of truth: their clients' secrets, their users'
passwords and groups. ``Realm.load(url, name)`` reads one; ``KeycloakAdmin`` changes a user
through Keycloak's admin REST API (groups, enabled), the way the partner's IT would in their IdP;
``sign_in`` fills Keycloak's own sign-in page in a Playwright page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import requests

REALMS_DIR = Path(__file__).resolve().parent / "realms"
TIMEOUT = 15


@dataclass(frozen=True)
class RealmUser:
    username: str
    email: str
    password: str
    groups: tuple[str, ...]
    enabled: bool


@dataclass(frozen=True)
class Realm:
    name: str
    issuer: str  # also the OIDC discovery base: ISSUER/.well-known/openid-configuration
    oidc_client_id: str
    oidc_client_secret: str
    saml_entity_id: str | None  # the SAML client's id: the service provider's entity id
    users: dict[str, RealmUser]  # by e-mail

    @classmethod
    def load(cls, url: str, name: str) -> Realm:
        data = json.loads((REALMS_DIR / f"{name}.json").read_text())
        clients = {c["protocol"]: c for c in data["clients"]}
        users = {
            u["email"]: RealmUser(
                username=u["username"],
                email=u["email"],
                password=next(c["value"] for c in u["credentials"] if c["type"] == "password"),
                groups=tuple(g.rsplit("/", 1)[-1] for g in u.get("groups", [])),
                enabled=u.get("enabled", True),
            )
            for u in data["users"]
        }
        return cls(
            name=data["realm"],
            issuer=f"{url.rstrip('/')}/realms/{data['realm']}",
            oidc_client_id=clients["openid-connect"]["clientId"],
            oidc_client_secret=clients["openid-connect"]["secret"],
            saml_entity_id=clients["saml"]["clientId"] if "saml" in clients else None,
            users=users,
        )

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def saml_metadata_url(self) -> str:
        return f"{self.issuer}/protocol/saml/descriptor"

    @property
    def saml_sso_url(self) -> str:
        return f"{self.issuer}/protocol/saml"


def realm_names() -> list[str]:
    return sorted(path.stem for path in REALMS_DIR.glob("*.json"))


class KeycloakAdmin:
    """Keycloak's admin REST API as the bootstrap admin of the master realm."""

    def __init__(self, url: str, username: str, password: str):
        self.url = url.rstrip("/")
        self._credentials = {"username": username, "password": password}
        self._session = requests.Session()

    def _token(self) -> str:
        response = self._session.post(
            f"{self.url}/realms/master/protocol/openid-connect/token",
            data={"grant_type": "password", "client_id": "admin-cli", **self._credentials},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._token()}"}
        response = self._session.request(
            method, f"{self.url}/admin/realms/{path}", headers=headers, timeout=TIMEOUT, **kwargs
        )
        response.raise_for_status()
        return response

    def user(self, realm: str, email: str) -> dict:
        found = self._call("GET", f"{realm}/users", params={"email": email, "exact": "true"}).json()
        if len(found) != 1:
            raise LookupError(f"{len(found)} users with e-mail {email} in realm {realm}")
        return found[0]

    def groups_of(self, realm: str, email: str) -> list[str]:
        user_id = self.user(realm, email)["id"]
        return sorted(g["name"] for g in self._call("GET", f"{realm}/users/{user_id}/groups").json())

    def set_groups(self, realm: str, email: str, groups: list[str]) -> None:
        user_id = self.user(realm, email)["id"]
        by_name = {g["name"]: g["id"] for g in self._call("GET", f"{realm}/groups").json()}
        unknown = set(groups) - set(by_name)
        if unknown:
            raise LookupError(f"no group(s) {sorted(unknown)} in realm {realm}")
        current = {g["name"] for g in self._call("GET", f"{realm}/users/{user_id}/groups").json()}
        for name in current - set(groups):
            self._call("DELETE", f"{realm}/users/{user_id}/groups/{by_name[name]}")
        for name in set(groups) - current:
            self._call("PUT", f"{realm}/users/{user_id}/groups/{by_name[name]}")

    def set_enabled(self, realm: str, email: str, enabled: bool) -> None:
        user = self.user(realm, email)
        self._call("PUT", f"{realm}/users/{user['id']}", json={"enabled": enabled})

    def end_sessions(self, realm: str, email: str) -> None:
        """Sign the user out of Keycloak everywhere (their next sign-in asks for the password again)."""
        self._call("POST", f"{realm}/users/{self.user(realm, email)['id']}/logout")


class RestoringAdmin(KeycloakAdmin):
    """An admin whose changes to users are undone by ``restore()``: one Keycloak serves the whole run."""

    def __init__(self, url: str, username: str, password: str):
        super().__init__(url, username, password)
        self._before: dict[tuple[str, str], tuple[list[str], bool]] = {}

    def _remember(self, realm: str, email: str) -> None:
        if (realm, email) not in self._before:
            self._before[realm, email] = (self.groups_of(realm, email), self.user(realm, email)["enabled"])

    def set_groups(self, realm: str, email: str, groups: list[str]) -> None:
        self._remember(realm, email)
        super().set_groups(realm, email, groups)

    def set_enabled(self, realm: str, email: str, enabled: bool) -> None:
        self._remember(realm, email)
        super().set_enabled(realm, email, enabled)

    def restore(self) -> None:
        for (realm, email), (groups, enabled) in self._before.items():
            KeycloakAdmin.set_groups(self, realm, email, groups)
            KeycloakAdmin.set_enabled(self, realm, email, enabled)
            self.end_sessions(realm, email)
        self._before.clear()


@dataclass(frozen=True)
class KeycloakServer:
    """The running Keycloak: its URL, its realms as the repository defines them, its admin credentials."""

    url: str
    admin_user: str
    admin_password: str
    realms: dict[str, Realm]

    @classmethod
    def from_env(cls, environ) -> KeycloakServer:
        url = environ["KEYCLOAK_URL"].rstrip("/")
        return cls(
            url=url,
            admin_user=environ.get("KEYCLOAK_ADMIN_USER", "admin"),
            admin_password=environ.get("KEYCLOAK_ADMIN_PASSWORD", "admin"),
            realms={name: Realm.load(url, name) for name in realm_names()},
        )

    def admin(self) -> RestoringAdmin:
        return RestoringAdmin(self.url, self.admin_user, self.admin_password)


def sign_in(page, email: str, password: str) -> None:
    """On Keycloak's sign-in page (already open in ``page``), sign in as ``email``."""
    page.fill("#username", email)
    page.fill("#password", password)
    page.click("#kc-login")
