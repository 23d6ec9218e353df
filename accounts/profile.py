"""What a user changes about themselves (the portal's Profile): their name, and signing out their other sessions.

Their language and e-mails are ``accounts.preferences``; their second factor is allauth's MFA pages; their
personal API tokens are ``partners.tokens``. The e-mail address is not changed here: allauth's page changes it
(verified first), and an address whose domain an SSO connection owns is the identity provider's
(``sso_connection_of``).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import get_adapter as usersessions_adapter
from allauth.usersessions.models import UserSession

from core.models import model_update
from core.signals import identity_event

from .mfa.policy import mfa_required_reason
from .models import SignInEventType, SSOConnection
from .sso.connections import connection_for_email

NAME_MAX_LENGTH = 150  # Django's User.first_name and last_name


def sso_connection_of(user) -> SSOConnection | None:
    """The single sign-on connection that owns ``user``'s e-mail address (and so their sign-in), if any."""
    return connection_for_email(user.email)


def other_sessions_count(*, user, session_key: str | None) -> int:
    """How many tracked sessions ``user`` has besides the one of ``session_key``."""
    return UserSession.objects.filter(user_id=user.pk).exclude(session_key=session_key or "").count()


@dataclass(frozen=True)
class SecondFactor:
    """What a user has of a second factor, and which kinds the hub offers (``MFA_SUPPORTED_TYPES``)."""

    totp: bool
    security_keys: int
    recovery_codes_left: int | None  # None: no recovery codes set up
    required_reason: str | None  # why they may not go without one, if they may not
    offers_security_keys: bool
    offers_recovery_codes: bool

    @property
    def enabled(self) -> bool:
        return self.totp or self.security_keys > 0


def second_factor_of(user) -> SecondFactor:
    """``user``'s authenticators (one query) and whether they must have one (``accounts.mfa.policy``)."""
    authenticators = list(Authenticator.objects.filter(user_id=user.pk))
    kinds = [authenticator.type for authenticator in authenticators]
    codes = next((a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES), None)
    return SecondFactor(
        totp=Authenticator.Type.TOTP in kinds,
        security_keys=kinds.count(Authenticator.Type.WEBAUTHN),
        recovery_codes_left=len(codes.wrap().get_unused_codes()) if codes is not None else None,
        required_reason=mfa_required_reason(user),
        offers_security_keys="webauthn" in mfa_settings.SUPPORTED_TYPES,
        offers_recovery_codes="recovery_codes" in mfa_settings.SUPPORTED_TYPES,
    )


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def profile_name_update(*, user, first_name: str, last_name: str):
    """Set ``user``'s name; ``ValidationError`` (nothing written) for a missing first name or one too long."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors = {}
    if not first_name:
        errors["first_name"] = "Enter your first name."
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if len(value) > NAME_MAX_LENGTH:
            errors[field] = f"At most {NAME_MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    user, _changed = model_update(
        instance=user, fields=["first_name", "last_name"], data={"first_name": first_name, "last_name": last_name}
    )
    return user


def sessions_end_others(*, request, user) -> int:
    """End every tracked session of ``user`` but the request's (allauth's usersessions); audited. How many ended."""
    current = request.session.session_key or ""
    others = list(UserSession.objects.filter(user_id=user.pk).exclude(session_key=current))
    usersessions_adapter().end_sessions(others)
    if others:
        identity_event.send(
            sender=UserSession,
            event=SignInEventType.SIGNED_OUT,
            user=user,
            actor=user,
            email=user.email,
            request=request,
            detail=f"Signed out everywhere else: {len(others)} other session(s) ended",
        )
    return len(others)
