"""Celery tasks of accounts: thin wrappers around its services, run by beat."""

from celery import shared_task

from . import audit


@shared_task(acks_late=True)
def purge_sign_in_events() -> int:
    """Forget the sign-in events older than ``SIGN_IN_AUDIT_DAYS`` (in batches); how many were deleted."""
    return audit.sign_in_events_purge()
