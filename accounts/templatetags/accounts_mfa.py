"""Template tags of the MFA pages."""

from django import template

from allauth.mfa.models import Authenticator

from ..mfa.enforcement import NEXT_SESSION_KEY
from ..mfa.policy import mfa_required_reason
from ..staff import ADMIN_HOME

register = template.Library()


@register.simple_tag(takes_context=True)
def mfa_continue_url(context) -> str:
    """Where a user goes on once their recovery codes are saved: the page they were sent away from to set up
    two-factor authentication (kept by the enforcement, always a path on this site), else their start page."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    target = request.session.get(NEXT_SESSION_KEY)
    if target:
        return target
    return ADMIN_HOME if request.user.is_staff else "/"


@register.simple_tag(takes_context=True)
def mfa_reason(context) -> str:
    """Why the signed-in user must have two-factor authentication ("" when it is their choice)."""
    request = context.get("request")
    return (mfa_required_reason(request.user) or "") if request is not None else ""


@register.filter
def has_security_key(user) -> bool:
    """Has ``user`` (the one signing in, not yet ``request.user``) added a security key or passkey?"""
    if user is None or not getattr(user, "pk", None):
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists()
