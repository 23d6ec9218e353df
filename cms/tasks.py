"""Celery tasks of the cms app: thin wrappers that call services and commands."""

from django.core.management import call_command

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def lifecycle_sweep() -> str:
    """Every due transition of content (publish, expire, archive), then Wagtail's own for pages. Run by beat."""
    result = services.lifecycle_sweep()
    call_command("publish_scheduled")
    return str(result)


@shared_task(acks_late=True)
def send_freshness_reminders() -> int:
    """E-mail owners about items expiring or due for review soon (each reminder once). Run by beat."""
    return services.freshness_reminders_send()


@shared_task(acks_late=True)
def send_version_digests() -> int:
    """Tell partner users about new versions of assets they downloaded (each version once). Run by beat."""
    return services.version_digests_send()


@shared_task
def worker_probe() -> dict:
    """Answer which process ran the task and what it sees in the database (used by health checks)."""
    import os

    from partners.models import Partner

    return {"pid": os.getpid(), "partners": Partner.objects.count()}
