"""Writes of the sign-in audit: recording an event, and forgetting old ones.

* ``sign_in_event_record(*, event, request=None, user=None, ...)``: one event, with the
  client's address and user agent read from ``request``; the user's partner as it is now
  unless given. Recording never breaks what it records: a failure is logged, not raised,
  and rolled back to its own savepoint so the caller's transaction carries on.
* ``sign_in_events_record_many(...)``: the same event for many users at once (access
  revoked from a whole partner), in batches.
* ``sign_in_events_purge(*, older_than_days=None)``: deletes the events older than
  ``SIGN_IN_AUDIT_DAYS``, in batches (the beat task ``accounts.tasks.purge_sign_in_events``).

The client address is django-axes' (``AXES_CLIENT_IP_CALLABLE``), which is the partner
API's rate limits' too: the address the nearest of ``NINJA_NUM_PROXIES`` trusted proxies
saw, so a lock-out, a rate limit and an audit line agree on who the client was.

Never pass a password, a token or a code: there is no field for one, and ``detail`` is
for a short explanation an administrator reads.
"""

import ipaddress
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from axes.helpers import get_client_ip_address

from partners.models import PartnerMembership

from .models import (
    DETAIL_MAX_LENGTH,
    IDENTIFIER_MAX_LENGTH,
    USER_AGENT_MAX_LENGTH,
    SignInEvent,
    SignInEventType,
)

logger = logging.getLogger(__name__)

PURGE_BATCH_SIZE = 5000
RECORD_BATCH_SIZE = 500
_CURRENT = object()  # partner: the user's partner as it is now


def truncated(value, length: int) -> str:
    """``value`` as text of at most ``length`` characters (an ellipsis shows where it was cut)."""
    text = " ".join(str(value or "").split())  # no line breaks or tabs in an audit line
    return text if len(text) <= length else f"{text[: length - 1]}…"


def client_ip(request) -> str | None:
    """The client's address as django-axes and the rate limits see it; ``None`` when it is not an IP address."""
    if request is None:
        return None
    try:
        address = get_client_ip_address(request)
        return str(ipaddress.ip_address(str(address).strip())) if address else None
    except ValueError:
        return None


def user_agent(request) -> str:
    meta = getattr(request, "META", None) or {}
    return truncated(meta.get("HTTP_USER_AGENT", ""), USER_AGENT_MAX_LENGTH)


def partner_ids_of(user_ids) -> dict[int, int]:
    """The partner of each of ``user_ids`` that has one, by user id (one query)."""
    return dict(PartnerMembership.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "partner_id"))


def _event(*, event, user, identifier, partner_id, actor, ip_address, agent, method, detail, at) -> SignInEvent:
    row = SignInEvent(
        at=at or timezone.now(),
        event=SignInEventType(event),  # ValueError for an event that is not one of ours
        user=user,
        identifier=truncated(identifier or (user and (user.email or user.get_username())), IDENTIFIER_MAX_LENGTH),
        partner_id=partner_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        ip_address=ip_address,
        user_agent=agent,
        method=method or "",
        detail=truncated(detail, DETAIL_MAX_LENGTH),
    )
    # The foreign keys are rows we were handed or just read: not looked up again.
    row.full_clean(exclude=["user", "partner", "actor"])
    return row


def sign_in_event_record(
    *,
    event: str,
    request=None,
    user=None,
    identifier: str = "",
    partner=_CURRENT,
    actor=None,
    method: str = "",
    detail: str = "",
    at=None,
) -> SignInEvent | None:
    """Record one event of the sign-in audit; ``None`` (and an error in the log) when it could not be recorded.

    ``user`` is who it is about (``None`` for an unknown identifier, then give ``identifier``
    as typed); ``partner`` defaults to the user's partner now (``None`` for none); ``actor``
    is who did it when that is someone else.
    """
    try:
        if user is not None and not user.is_authenticated:
            user = None
        if partner is _CURRENT:
            partner_id = partner_ids_of([user.pk]).get(user.pk) if user is not None else None
        else:
            partner_id = partner.pk if partner is not None else None
        row = _event(
            event=event,
            user=user,
            identifier=identifier,
            partner_id=partner_id,
            actor=actor,
            ip_address=client_ip(request),
            agent=user_agent(request),
            method=method,
            detail=detail,
            at=at,
        )
        with transaction.atomic():  # a savepoint: a failed insert leaves the caller's transaction usable
            row.save(force_insert=True)
        return row
    except Exception:
        logger.exception("Could not record the sign-in event %s (user %s)", str(event), getattr(user, "pk", None))
        return None


def sign_in_event_change(*, row: SignInEvent, event: str, detail: str | None = None) -> SignInEvent | None:
    """Turn a recorded event into another (a failed sign-in that django-axes then locked out); never raises."""
    try:
        row.event = SignInEventType(event)
        if detail is not None:
            row.detail = truncated(detail, DETAIL_MAX_LENGTH)
        row.full_clean(exclude=["user", "partner", "actor"])
        with transaction.atomic():
            row.save(update_fields=["event", "detail"])
        return row
    except Exception:
        logger.exception("Could not change the sign-in event %s to %s", row.pk, str(event))
        return None


def sign_in_events_record_many(
    *, event: str, user_ids, request=None, actor=None, method: str = "", detail: str = ""
) -> int:
    """Record ``event`` for each of ``user_ids`` (their partner now), in batches; how many were recorded.

    Never raises: a failure is logged and what was recorded before it stays.
    """
    user_ids = list(dict.fromkeys(user_ids))
    recorded = 0
    try:
        users = get_user_model().objects.in_bulk(user_ids)
        partners = partner_ids_of(user_ids)
        ip_address, agent, at = client_ip(request), user_agent(request), timezone.now()
        rows = [
            _event(
                event=event,
                user=users[pk],
                identifier="",
                partner_id=partners.get(pk),
                actor=actor,
                ip_address=ip_address,
                agent=agent,
                method=method,
                detail=detail,
                at=at,
            )
            for pk in user_ids
            if pk in users
        ]
        for start in range(0, len(rows), RECORD_BATCH_SIZE):
            batch = rows[start : start + RECORD_BATCH_SIZE]
            with transaction.atomic():
                SignInEvent.objects.bulk_create(batch)
            recorded += len(batch)
    except Exception:
        logger.exception("Could not record the sign-in event %s for %s users", str(event), len(user_ids))
    return recorded


def sign_in_events_purge(*, older_than_days: int | None = None, batch_size: int = PURGE_BATCH_SIZE) -> int:
    """Delete the events older than ``older_than_days`` (``SIGN_IN_AUDIT_DAYS``), ``batch_size`` rows per
    statement so that a large backlog never holds a long lock; how many were deleted."""
    days = settings.SIGN_IN_AUDIT_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        pks = list(SignInEvent.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return deleted
        deleted += SignInEvent.objects.filter(pk__in=pks).delete()[0]
