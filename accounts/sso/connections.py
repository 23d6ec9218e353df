"""Reads of single sign-on: the connection of an e-mail address, and allauth's apps built from connections.

allauth knows an identity provider as a ``SocialApp``; ours are never stored as such: each active
``SSOConnection`` row is turned into an unsaved ``SocialApp`` when allauth asks (``apps_for``), so the
admin's Settings → Single sign-on is the one place they are configured.
"""

from django.db.models import Prefetch, Q

from allauth.socialaccount.models import SocialApp

from ..models import SSOConnection, SSOEmailDomain, SSOProtocol, SSORoleMapping

OIDC_PROVIDER = "openid_connect"
SAML_PROVIDER = "saml"
CONNECTION_SETTING = "partnerhub_connection"  # the connection's pk, in its app's settings


def email_domain(email: str) -> str:
    """The domain of ``email``, lower-cased; empty when it is not an address."""
    local, at, domain = (email or "").strip().rpartition("@")
    return domain.lower() if at and local and domain else ""


def connection_for_email(email: str) -> SSOConnection | None:
    """The active connection that owns the domain of ``email``, if any (one query)."""
    domain = email_domain(email)
    if not domain:
        return None
    return SSOConnection.objects.active().filter(email_domains__domain=domain).select_related("partner").first()


def owns_email(connection: SSOConnection, email: str) -> bool:
    """Does ``connection`` own the domain of ``email``? (Its domains as loaded: prefetched, no query.)"""
    domain = email_domain(email)
    return bool(domain) and domain in {owned.domain for owned in connection.email_domains.all()}


def connections_with_mappings():
    """Active connections with their domains and group mappings (roles, staff groups) loaded."""
    return SSOConnection.objects.active().prefetch_related(
        Prefetch("email_domains", queryset=SSOEmailDomain.objects.order_by("sort_order", "pk")),
        Prefetch("role_mappings", queryset=SSORoleMapping.objects.select_related("role", "group")),
    )


def connection_of_app(app: SocialApp | None) -> SSOConnection | None:
    """The connection an allauth app was built from (``None`` for an app that is not ours)."""
    pk = (getattr(app, "settings", None) or {}).get(CONNECTION_SETTING)
    if pk is None:
        return None
    return connections_with_mappings().select_related("partner").filter(pk=pk).first()


def social_app(connection: SSOConnection) -> SocialApp:
    """allauth's app for ``connection``: OIDC with PKCE, or SAML with signed assertions required."""
    if connection.protocol == SSOProtocol.OIDC:
        return SocialApp(
            provider=OIDC_PROVIDER,
            provider_id=connection.provider_id,
            name=connection.name,
            client_id=connection.client_id,
            secret=connection.secret(),
            settings={
                CONNECTION_SETTING: connection.pk,
                "server_url": connection.issuer,
                "oauth_pkce_enabled": True,
            },
        )
    return SocialApp(
        provider=SAML_PROVIDER,
        provider_id=connection.provider_id,
        name=connection.name,
        client_id=connection.slug,  # allauth's "organisation slug": /accounts/saml/SLUG/acs/
        settings={
            CONNECTION_SETTING: connection.pk,
            "idp": {"entity_id": connection.idp_entity_id, "metadata_url": connection.idp_metadata_url},
            "sp": {"entity_id": connection.sp_entity_id} if connection.sp_entity_id else {},
            "attribute_mapping": {
                "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
                "email": ["email", "urn:oid:0.9.2342.19200300.100.1.3"],
                "first_name": ["firstName", "givenName", "urn:oid:2.5.4.42"],
                "last_name": ["lastName", "sn", "surname", "urn:oid:2.5.4.4"],
            },
            "use_nameid_for_email": False,
            "advanced": {
                "want_assertion_signed": True,  # an unsigned assertion is anyone's word
                "reject_deprecated_algorithm": True,
                "allow_single_label_domains": False,
            },
        },
    )


PROTOCOL_OF_PROVIDER = {OIDC_PROVIDER: SSOProtocol.OIDC, SAML_PROVIDER: SSOProtocol.SAML}


def apps_for(*, provider: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    """The allauth apps of the active connections that allauth asks for: by provider (``openid_connect``,
    ``saml``) or provider id (``sso-<slug>``), and client id (OIDC's, or SAML's organisation slug).

    Filtered in the database, so that a callback builds (and decrypts the secret of) its own connection only.
    """
    connections = SSOConnection.objects.active().order_by("name")
    if provider in PROTOCOL_OF_PROVIDER:
        connections = connections.filter(protocol=PROTOCOL_OF_PROVIDER[provider])
    elif provider:
        slug = provider.removeprefix("sso-")
        connections = connections.filter(slug=slug) if slug != provider else connections.none()
    if client_id:
        connections = connections.filter(
            Q(protocol=SSOProtocol.OIDC, client_id=client_id) | Q(protocol=SSOProtocol.SAML, slug=client_id)
        )
    return [social_app(connection) for connection in connections]
