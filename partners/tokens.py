"""Personal API tokens: a signed-in partner user creates, lists and revokes their own, each with an expiry.

Tokens are Wagtail's ``APIToken`` (only an HMAC digest stored, revocable, audited), issued by
``services.api_token_issue``; ``APITokenExpiry`` adds when one stops working. Tokens without an
expiry (an operator's ``issue_token``) never expire. ``live_api_token`` is the lookup the API's token
authentication makes: the token and its user, or ``None`` when it is unknown, revoked or expired.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import APIToken

from core.signals import identity_event

from .models import APITokenExpiry
from .services import api_token_issue

# --- selectors -------------------------------------------------------------------------------


def live_api_token(token: str, *, now=None) -> APIToken | None:
    """The unrevoked, unexpired ``APIToken`` of plaintext ``token``, with its user: one query."""
    api_token = (
        APIToken.objects.select_related("user", "partnerhub_expiry")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
        .first()
    )
    if api_token is None:
        return None
    expiry = getattr(api_token, "partnerhub_expiry", None)  # None for tokens that never expire
    if expiry is not None and expiry.expires_at <= (now or timezone.now()):
        return None
    return api_token


def tokens_of(*, user, now=None):
    """``user``'s live tokens (not revoked, not expired), newest first, with their expiry loaded."""
    return (
        APIToken.objects.filter(user_id=user.pk, revoked_at__isnull=True)
        .exclude(partnerhub_expiry__expires_at__lte=now or timezone.now())
        .select_related("partnerhub_expiry")
        .order_by("-created", "-pk")
    )


def token_expires_at(api_token: APIToken):
    """When ``api_token`` expires, or ``None`` (load ``partnerhub_expiry`` with it to save a query)."""
    try:
        return api_token.partnerhub_expiry.expires_at
    except APITokenExpiry.DoesNotExist:
        return None


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def personal_token_create(*, user, name: str, expires_in_days: int | None = None, request=None):
    """Create a personal token of ``user`` that works for ``expires_in_days`` days; return ``(token, plaintext)``.

    The plaintext is returned once and never stored. Refused (``ValidationError``) for a blank
    name, a lifetime outside 1..``PARTNERHUB_TOKEN_MAX_DAYS`` and a user the partner API refuses.
    """
    name = (name or "").strip()
    if expires_in_days is None:
        expires_in_days = settings.PARTNERHUB_TOKEN_DEFAULT_DAYS
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the integration that will use it."})
    if len(name) > 255:
        raise ValidationError({"name": "The name is at most 255 characters."})
    if not 1 <= expires_in_days <= settings.PARTNERHUB_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"expires_in_days": f"A token works for 1 to {settings.PARTNERHUB_TOKEN_MAX_DAYS} days."}
        )
    token, plaintext = api_token_issue(user=user, name=name)
    expiry = APITokenExpiry(token=token, expires_at=timezone.now() + timedelta(days=expires_in_days))
    expiry.full_clean()
    expiry.save()
    token.partnerhub_expiry = expiry
    _event("api_token.created", user=user, request=request)
    return token, plaintext


def personal_token_revoke(*, token: APIToken, request=None) -> APIToken:
    """Revoke one token (audited): it is refused from the next request on."""
    if token.revoked_at is None:
        token.revoke()
        log(token, "wagtail.apitoken.revoke", data={"source": "partnerhub"})
        _event("api_token.revoked", user=token.user, request=request)
    return token


def _event(event: str, *, user, request) -> None:
    membership = getattr(user, "partner_membership", None)
    identity_event.send(
        sender=APIToken,
        event=event,
        user=user,
        actor=user,
        partner=membership.partner if membership else None,
        email=user.email,
        request=request,
    )
