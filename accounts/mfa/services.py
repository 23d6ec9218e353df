"""Writes of MFA: an administrator resets a user's second factor.

``mfa_reset(*, user, actor, request=None)`` deletes every authenticator of ``user`` (authenticator app,
recovery codes, security keys) and records ``MFA_RESET`` in the sign-in audit with the actor. The user signs
in with their password (or SSO) alone next time; if the policy requires a second factor they are sent to set
up a new one at once (``enforcement``), in the session they have or the next.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from allauth.mfa.models import Authenticator

from core.signals import identity_event

from ..models import SignInEventType, SignInMethod
from .audit import type_names


def mfa_reset(*, user, actor, request=None) -> int:
    """Delete ``user``'s authenticators and audit it; how many were deleted. Nothing to reset is a ValidationError."""
    with transaction.atomic():
        authenticators = list(Authenticator.objects.select_for_update().filter(user_id=user.pk).order_by("pk"))
        if not authenticators:
            raise ValidationError("This user has no two-factor authentication to reset.", code="nothing_to_reset")
        Authenticator.objects.filter(pk__in=[a.pk for a in authenticators]).delete()
        kinds = ", ".join(type_names(authenticators))
        identity_event.send(
            sender=Authenticator,
            event=SignInEventType.MFA_RESET,
            user=user,
            actor=actor,
            request=request,
            method=SignInMethod.ADMIN,
            detail=f"Removed: {kinds}",
        )
    return len(authenticators)
