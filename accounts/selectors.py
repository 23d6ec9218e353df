"""Reads of identity data: the sign-in audit, for the admin's report and for partner admins."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from partners.models import Partner

from .models import SignInEvent


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in ``TIME_ZONE``."""
    return timezone.make_aware(datetime.combine(day, time.min))


def sign_in_events() -> QuerySet:
    """Every sign-in event, newest first, with who it is about, their partner and the actor loaded."""
    return SignInEvent.objects.select_related("user", "partner", "actor").order_by("-at", "-pk")


def sign_in_events_of_partner(
    *, partner: Partner, event: str | None = None, since: date | None = None, until: date | None = None
) -> QuerySet:
    """The events of ``partner`` (its partner when they happened), newest first, optionally of one ``event`` and
    from the day ``since`` to the day ``until`` (both included, in ``TIME_ZONE``).

    The actor comes with their partner membership: a partner admin sees who among their own colleagues
    acted, and only that an administrator did otherwise.
    """
    events = SignInEvent.objects.filter(partner=partner).select_related("user", "actor", "actor__partner_membership")
    if event:
        events = events.filter(event=event)
    if since:
        events = events.filter(at__gte=day_start(since))
    if until:
        events = events.filter(at__lt=day_start(until + timedelta(days=1)))
    return events.order_by("-at", "-pk")
