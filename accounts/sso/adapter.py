"""allauth's socialaccount adapter for Partner Hub: our connections as allauth's apps, and the hub's rules.

Settings point allauth here (``SOCIALACCOUNT_ADAPTER``). allauth runs the protocol (the OIDC code
flow with PKCE, the signed SAML assertion); this adapter decides what its answer means, through
``accounts.sso.provisioning``: refused with a page that says why (and an audit line), or the user
found by their address in the connection's domains, created just in time, roles set every time.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import render

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from core.signals import identity_event
from partners.invitations import invitations_fulfil

from ..models import SignInEventType, SignInMethod
from .connections import SAML_PROVIDER, apps_for, connection_of_app, owns_email
from .provisioning import SSOIdentity, SSORefused, groups_from_claim, sso_roles_apply, sso_sign_in_check

logger = logging.getLogger(__name__)
CONNECTION_ATTRIBUTE = "_partnerhub_connection"  # on the SocialLogin: read once per sign-in


def connection_of(sociallogin):
    if not hasattr(sociallogin, CONNECTION_ATTRIBUTE):
        setattr(sociallogin, CONNECTION_ATTRIBUTE, connection_of_app(getattr(sociallogin.provider, "app", None)))
    return getattr(sociallogin, CONNECTION_ATTRIBUTE)


def identity_of(sociallogin, connection) -> SSOIdentity:
    """The address and groups the IdP sent: SAML attributes, or OIDC's user info and ID token claims."""
    data = sociallogin.account.extra_data or {}
    if sociallogin.provider.id == SAML_PROVIDER:
        claims = [data]
    else:
        claims = [part for part in (data.get("userinfo"), data.get("id_token"), data) if isinstance(part, dict)]
    groups = next((c[connection.groups_claim] for c in claims if c.get(connection.groups_claim) is not None), None)
    email = (getattr(sociallogin.user, "email", "") or "").strip().lower()
    return SSOIdentity(email=email, groups=groups_from_claim(groups))


def refused_response(request, refusal: SSORefused, connection):
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": refusal.message, "connection": connection},
        status=403,
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only the active ``SSOConnection`` rows: allauth's own SocialApp table and settings are not used."""
        return apps_for(provider=provider, client_id=client_id)

    def authenticate_by_email(self, sociallogin):
        """The existing user with the IdP's address, when the connection owns its domain (it vouches for it)."""
        connection = connection_of(sociallogin)
        if connection is None:
            return None
        email = identity_of(sociallogin, connection).email
        if not owns_email(connection, email):
            return None  # refused in pre_social_login, with the reason
        users = list(get_user_model().objects.filter(email__iexact=email).order_by("pk")[:2])
        return (users[0], email) if len(users) == 1 else None

    def pre_social_login(self, request, sociallogin):
        connection = connection_of(sociallogin)
        if connection is None:  # an app that is not one of our connections: nothing signs in with it
            raise ImmediateHttpResponse(
                refused_response(request, SSORefused("This sign-in is not configured.", detail=""), None)
            )
        identity = identity_of(sociallogin, connection)
        user = sociallogin.user if sociallogin.user is not None and sociallogin.user.pk else None
        try:
            sso_sign_in_check(connection=connection, identity=identity, user=user)
            if user is not None:
                sso_roles_apply(connection=connection, user=user, groups=identity.groups)
        except SSORefused as refusal:
            identity_event.send(
                sender=type(self),
                event=SignInEventType.SSO_REFUSED,
                user=user,
                email=identity.email,
                request=request,
                partner=connection.partner,
                method=SignInMethod.SSO,
                detail=refusal.detail,
            )
            raise ImmediateHttpResponse(refused_response(request, refusal, connection)) from refusal

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Just in time: whoever ``pre_social_login`` let through gets an account (in their partner only)."""
        return connection_of(sociallogin) is not None

    @transaction.atomic
    def save_user(self, request, sociallogin, form=None):
        connection = connection_of(sociallogin)
        user = super().save_user(request, sociallogin, form=form)
        sso_roles_apply(connection=connection, user=user, groups=identity_of(sociallogin, connection).groups)
        invitations_fulfil(user=user, request=request)  # invited before their first sign-in: answered now
        identity_event.send(
            sender=type(self),
            event=SignInEventType.SSO_USER_CREATED,
            user=user,
            request=request,
            method=SignInMethod.SSO,
            detail=f"created at first sign-in through {connection.name}",
        )
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """The protocol failed (the IdP said no, a bad signature, a stale state): one audit line."""
        name = getattr(provider, "name", None) or getattr(provider, "id", "SSO")
        reason = f"{error or 'error'}" + (f": {exception}" if exception else "")
        logger.warning("Single sign-on through %s failed: %s", name, reason)
        connection = connection_of_app(getattr(provider, "app", None))
        identity_event.send(
            sender=type(self),
            event=SignInEventType.SSO_ERROR,
            partner=connection.partner if connection is not None else None,
            request=request,
            method=SignInMethod.SSO,
            detail=f"{name}: {reason}",
        )
