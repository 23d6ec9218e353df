"""Signing in through an SSO connection in unit tests: the IdP's claims through allauth's real provider and flow."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware

from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal.flows.login import complete_login


def sso_sign_in(rf, connection, *, email, groups=(), sub=None):
    """The IdP's claims for ``email``, through allauth's OIDC provider and login flow: the response and request."""
    request = rf.get(f"/accounts/oidc/{connection.provider_id}/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.save()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    claims = {
        "sub": sub or f"kc-{email}",
        "email": email,
        "email_verified": True,
        "given_name": "Sam",
        "family_name": "Sample",
        "groups": list(groups),
    }
    with context.request_context(request):
        provider = get_adapter().get_provider(request, connection.provider_id)
        login = provider.sociallogin_from_response(request, {"id_token": claims, "userinfo": claims})
        login.state = {"process": "login", "next": "/"}
        response = complete_login(request, login)
    return response, request
