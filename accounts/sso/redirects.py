"""Sending a browser to a connection's identity provider (the start of an SSO sign-in)."""

import logging

from django.shortcuts import render

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess

from core.signals import identity_event

from ..models import SignInEventType, SignInMethod, SSOConnection
from .connections import OIDC_PROVIDER

logger = logging.getLogger(__name__)

UNREACHABLE_MESSAGE = (
    "Your organisation's identity provider ({name}) cannot be reached right now, so we cannot sign you in. "
    "Try again in a few minutes; if it goes on, tell your IT department."
)


def sso_redirect(request, *, connection: SSOConnection, email: str = "", next_url: str | None = None):
    """A redirect to ``connection``'s IdP, which sends the browser back to allauth's callback (OIDC) or ACS (SAML).

    For OIDC the address typed is passed on as ``login_hint``, so the IdP's page starts with it. An IdP
    that cannot be reached (its discovery document or metadata) is a page saying so, 502, and an audit line.
    """
    try:
        provider = get_adapter().get_provider(request, connection.provider_id)
        options = {}
        if provider.id == OIDC_PROVIDER:
            options["auth_params"] = {**provider.get_auth_params(), **({"login_hint": email} if email else {})}
        return provider.redirect(request, AuthProcess.LOGIN, next_url=next_url, **options)
    except Exception as error:  # requests' errors, python3-saml's metadata errors, a malformed document
        logger.warning("Could not start single sign-on through %s: %r", connection.name, error)
        identity_event.send(
            sender=SSOConnection,
            event=SignInEventType.SSO_ERROR,
            email=email,
            request=request,
            method=SignInMethod.SSO,
            detail=f"{connection.name}: the identity provider could not be reached ({type(error).__name__})",
        )
        return render(
            request,
            "accounts/sso_refused.html",
            {"message": UNREACHABLE_MESSAGE.format(name=connection.name), "connection": None},
            status=502,
        )
