"""Celery tasks of the cms app: thin wrappers that call commands and services."""

from django.core.management import call_command

from celery import shared_task


@shared_task(acks_late=True)
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing and expiry (``go_live_at`` / ``expire_at``), run by beat."""
    call_command("publish_scheduled")


@shared_task
def worker_probe() -> dict:
    """Answer which process ran the task and what it sees in the database (used by health checks)."""
    import os

    from partners.models import Partner

    return {"pid": os.getpid(), "partners": Partner.objects.count()}
