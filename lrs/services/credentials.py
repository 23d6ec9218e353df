"""Issuing and revoking LRS credentials: the secret is returned once, only its digest is kept (``lrs.hashing``)."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from ..errors import BadRequest
from ..hashing import basic_token, hash_secret
from ..models import Credential
from ..validation import agent_ifi, parse_uuid, validate_agent
from ..validation.values import is_iri

#: Last use is written at most this often per credential (one UPDATE, not one per request).
TOUCH_EVERY = timedelta(minutes=1)

__all__ = ["basic_token", "credential_issue", "credential_revoke", "credential_touch"]


def credential_issue(
    *,
    user,
    agent: dict | None,
    expires_at,
    scopes,
    registration=None,
    activity_id: str | None = None,
    context: str = "",
    name: str = "",
    created_by=None,
) -> tuple[Credential, str]:
    """Create a credential; return ``(credential, secret)``. ``basic_token(credential.key, secret)`` authenticates.

    A credential with a ``user`` (a launch) must be bound to an ``agent``; ``registration`` (UUID) and
    ``activity_id`` (that activity and the ids below it) narrow it further; it gets at most
    ``Credential.LEARNER_SCOPES``. ``ValidationError`` for anything malformed.
    """
    scopes = list(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in Credential.Scope.values]
    if not scopes or unknown:
        raise ValidationError({"scopes": f"Choose scopes among {', '.join(Credential.Scope.values)}."})
    if user is not None and agent is None:
        raise ValidationError({"agent": "A credential acting for a learner is bound to their agent."})
    if user is not None and not set(scopes) <= Credential.LEARNER_SCOPES:
        raise ValidationError(
            {"scopes": f"A learner's credential has only {', '.join(sorted(Credential.LEARNER_SCOPES))}."}
        )
    if agent is not None:
        try:
            validate_agent(agent, "agent")
        except BadRequest as error:
            raise ValidationError({"agent": error.message}) from None
    if registration is not None:
        try:
            registration = parse_uuid(str(registration), "registration")
        except BadRequest as error:
            raise ValidationError({"registration": error.message}) from None
    if activity_id and not is_iri(activity_id):
        raise ValidationError({"activity_id": "An activity id (prefix) is an IRI."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "A credential expires in the future."})
    secret = secrets.token_urlsafe(32)
    credential = Credential(
        key=secrets.token_hex(12),
        secret_hash=hash_secret(secret),
        name=name,
        user=user,
        agent=agent,
        agent_ifi=agent_ifi(agent) if agent else "",
        registration=registration,
        activity_id=activity_id or "",
        scopes=scopes,
        context=context,
        expires_at=expires_at,
        created_by=created_by,
    )
    credential.full_clean()
    credential.save()
    return credential, secret


def credential_revoke(*, credential: Credential) -> Credential:
    """Revoke ``credential``: refused (401) from the next request on. Revoking twice changes nothing."""
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
    return credential


def credential_touch(*, credential: Credential, now=None) -> None:
    """Record a use, at most once per ``TOUCH_EVERY``."""
    now = now or timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at >= TOUCH_EVERY:
        Credential.objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now
