"""The viewer's facts and their API token, read once and kept in the cache until anything they depend on changes.

Every request of the partner API asks who the caller is: the token (with its user and expiry) and the facts of the
audience rule (partner, tier, type, region, roles: ``audience.viewer_for``). Both are cached under the **identity
generation**, one counter that every change able to alter them moves on (``identity_changed``): a saved or deleted
user, token, token expiry, membership, its roles, partner, tier, partner type, region, role, qualification or held
qualification (the receivers of ``connect_identity_receivers``; bulk writes call it themselves). An entry names the
generation read *before* its rows, so a request racing a change never keeps the old rows under the new generation;
the counter moves when the change is made and again when it commits. So deactivating a user, a partner or a token
takes effect at the next request.

What ends by the clock ends an entry too: it is never used past ``until`` (the token's expiry, the end of a member's
last day, ``PARTNERHUB_IDENTITY_CACHE_SECONDS``). A cache that fails is a cache that misses: the rows are read.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("partnerhub.identity")

GENERATION_KEY = "partnerhub:identity-generation"
_TOKEN_KEY = "partnerhub:api-token:{}"  # noqa: S105 - a cache key (of a token's digest), not a secret
_FACTS_KEY = "partnerhub:audience-facts:{}"
_MISSING = object()


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or a fresh cache): a value no entry can name
        cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:
        logger.warning("Could not move the identity generation on", exc_info=True)


def identity_changed(**_signal_arguments) -> None:
    """Everything cached about users and tokens is stale: now, and again once the current transaction commits."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def _read(key: str) -> tuple[int | None, object]:
    """``(generation, entry)`` in one round trip; ``(None, _MISSING)`` when the cache fails."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = time.time_ns()
            if not cache.add(GENERATION_KEY, generation, None):
                generation = cache.get(GENERATION_KEY)
        return generation, found.get(key, _MISSING)
    except Exception:
        logger.warning("Identity cache unreachable; reading from the database", exc_info=True)
        return None, _MISSING


def _fresh(entry, generation, now) -> bool:
    return entry is not _MISSING and generation is not None and entry[0] == generation and now < entry[1]


def _store(key: str, generation, until: datetime, value, now) -> None:
    seconds = int((until - now).total_seconds())
    if generation is None or seconds < 1:
        return
    try:
        cache.set(key, (generation, until, value), seconds)
    except Exception:
        logger.warning("Identity cache unreachable; not kept", exc_info=True)


def _until(now, *ends) -> datetime:
    """The earliest of ``ends`` (``None``: no end) and the longest an entry is kept."""
    longest = now + timedelta(seconds=settings.PARTNERHUB_IDENTITY_CACHE_SECONDS)
    return min([longest, *(end for end in ends if end is not None)])


def end_of_day(day) -> datetime | None:
    """When a member whose last day is ``day`` loses access: midnight after it, in ``TIME_ZONE``."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


def cached_audience_facts(*, user_id: int, read) -> dict | None:
    """``read()`` (the audience facts of ``user_id``, or ``None``), cached under the generation until the member's
    last day ends. ``None`` (no access) is not kept: who gains access is read again."""
    now = timezone.now()
    key = _FACTS_KEY.format(user_id)
    generation, entry = _read(key)
    if _fresh(entry, generation, now):
        return entry[2]
    facts = read()
    if facts is not None:
        _store(key, generation, _until(now, end_of_day(facts.get("last_day"))), facts, now)
    return facts


def cached_api_token(*, key_hash: str, read, viewer_of):
    """``read()`` (the live ``APIToken`` with its user, or ``None``), cached under the generation with the user's
    viewer (``viewer_of(user)``, set on the user as ``viewer_for`` keeps it) until the token expires or the member's
    last day ends. Only a token of an active user with a viewer is kept; the rest are refused, and read again."""
    now = timezone.now()
    key = _TOKEN_KEY.format(key_hash)
    generation, entry = _read(key)
    if _fresh(entry, generation, now):
        return entry[2]
    api_token = read()
    if api_token is None or not api_token.user.is_active:
        return api_token
    viewer = viewer_of(api_token.user)  # kept on the user object, so it is pickled with it
    if viewer is not None:
        expiry = getattr(api_token, "partnerhub_expiry", None)
        ends = (expiry.expires_at if expiry is not None else None, end_of_day(viewer.last_day))
        _store(key, generation, _until(now, *ends), api_token, now)
    return api_token


def api_token_used(*, key_hash: str, api_token) -> None:
    """Keep the token's new ``last_used_at`` in its entry (written to the row without a signal)."""
    key = _TOKEN_KEY.format(key_hash)
    try:
        entry = cache.get(key)
        if entry is not None:
            ttl = int((entry[1] - timezone.now()).total_seconds())
            if ttl >= 1:
                cache.set(key, (entry[0], entry[1], api_token), ttl)
    except Exception:
        logger.warning("Identity cache unreachable; not kept", exc_info=True)


def connect_identity_receivers() -> None:
    """Move the generation on at every save or delete of what a viewer or a token is read from."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from wagtail.models import APIToken

    from core.signals import access_revoked

    from .models import (
        APITokenExpiry,
        HeldQualification,
        Partner,
        PartnerMembership,
        PartnerType,
        Qualification,
        Region,
        Role,
        Tier,
    )

    def user_saved(sender, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return  # a sign-in changes nothing the API reads
        identity_changed()

    user_model = get_user_model()
    post_save.connect(user_saved, sender=user_model, weak=False, dispatch_uid="identity-user-saved")
    post_delete.connect(identity_changed, sender=user_model, dispatch_uid="identity-user-deleted")
    models = (
        APIToken,
        APITokenExpiry,
        PartnerMembership,
        Partner,
        Tier,
        PartnerType,
        Region,
        Role,
        Qualification,
        HeldQualification,
    )
    for model in models:
        post_save.connect(identity_changed, sender=model, dispatch_uid=f"identity-{model.__name__}-saved")
        post_delete.connect(identity_changed, sender=model, dispatch_uid=f"identity-{model.__name__}-deleted")
    m2m_changed.connect(
        identity_changed, sender=PartnerMembership.roles.through, dispatch_uid="identity-membership-roles"
    )
    access_revoked.connect(identity_changed, dispatch_uid="identity-access-revoked")
