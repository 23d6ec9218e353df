"""Celery tasks of the outbox: the sweep (run by beat) and the sending of one recorded e-mail."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def relay_outbox() -> int:
    """Hand the broker every task it refused so far (Redis was down at the commit). Run by beat."""
    return services.outbox_sweep()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=15 * 60, max_retries=10)
def send_outbox_email(email_id: int) -> bool:
    """Send one recorded e-mail unless it was sent (idempotent); a mail server that is away is retried."""
    return services.outbox_email_deliver(email_id=email_id)
