"""Reads of the outbox: how much waits for the broker, and since when (for health checks and metrics)."""

from django.db.models import Count, Min
from django.utils import timezone

from .models import OutboxEmail, OutboxTask


def outbox_depth() -> dict:
    """Tasks waiting for the broker, the age in seconds of the oldest, tasks the broker took that have not run
    yet, and recorded e-mails not sent yet."""
    tasks = OutboxTask.objects.filter(relayed_at__isnull=True).aggregate(count=Count("pk"), oldest=Min("created_at"))
    oldest = tasks["oldest"]
    return {
        "tasks": tasks["count"],
        "in_flight": OutboxTask.objects.filter(relayed_at__isnull=False).count(),
        "oldest_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0,
        "emails_unsent": OutboxEmail.objects.filter(sent_at__isnull=True).count(),
    }


def waiting_task_count() -> int:
    """Tasks recorded with their commit that the broker has not taken yet (``/readyz``'s ``outbox_tasks``)."""
    return OutboxTask.objects.filter(relayed_at__isnull=True).count()


def unsent_email_count() -> int:
    """E-mails recorded with their commit and not sent yet (``/readyz``'s ``outbox_emails``)."""
    return OutboxEmail.objects.filter(sent_at__isnull=True).count()
