"""Celery tasks of the cms app: thin wrappers that call services and commands."""

import os

from django.conf import settings
from django.core.management import call_command

from celery import shared_task

from partners.models import Partner

from . import webhooks
from .gating import lifecycle
from .previews import services as previews
from .services import file_text, link_checks, reminders, scanning

# A failing endpoint is tried 7 times within about half an hour: retries wait up to 30 s, 1, 2, 4, 8 and 15 min,
# each a random part of that (Celery's full jitter; ``retry_backoff`` in seconds, capped by ``retry_backoff_max``).
WEBHOOK_MAX_RETRIES = 6
WEBHOOK_RETRY_BACKOFF = 30
WEBHOOK_RETRY_BACKOFF_MAX = 15 * 60


@shared_task(acks_late=True)
def lifecycle_sweep() -> str:
    """Every due transition of content (publish, expire, archive), then Wagtail's own for pages. Run by beat."""
    result = lifecycle.lifecycle_sweep()
    call_command("publish_scheduled")
    return str(result)


@shared_task(acks_late=True)
def generate_version_previews(version_id: int) -> str:
    """Make the thumbnail and page previews of one asset version (sent when its file is stored)."""
    preview = previews.version_previews_generate(version_id=version_id)
    return preview.status if preview else "not servable"


@shared_task(acks_late=True)
def send_freshness_reminders() -> int:
    """E-mail owners about items expiring or due for review soon (each reminder once). Run by beat."""
    return reminders.freshness_reminders_send()


@shared_task(acks_late=True)
def send_version_digests() -> int:
    """Tell partner users about new versions of assets they downloaded (each version once). Run by beat."""
    return reminders.version_digests_send()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(webhooks.WebhookDeliveryError,),
    retry_backoff=WEBHOOK_RETRY_BACKOFF,
    retry_backoff_max=WEBHOOK_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=WEBHOOK_MAX_RETRIES,
)
def deliver_webhook(self, delivery_id: int) -> str:
    """POST one webhook delivery; retried with backoff while the endpoint fails, marked failed after the last try."""
    delivery = webhooks.deliver(delivery_id, final_attempt=self.request.retries >= self.max_retries)
    return delivery.status if delivery else "gone"


@shared_task(acks_late=True)
def requeue_stalled_webhooks() -> int:
    """Queue again webhook deliveries whose task was lost. Run by beat."""
    return webhooks.requeue_stalled()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(file_text.FileTextUnavailable,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=settings.FILE_TEXT_MAX_ATTEMPTS - 1,
    # The reader stops itself at FILE_TEXT_SECONDS; these catch a page that hangs inside a library.
    soft_time_limit=settings.FILE_TEXT_SECONDS + 15,
    time_limit=settings.FILE_TEXT_SECONDS + 30,
)
def extract_file_text(self, version_id: int) -> str:
    """Read the text of one asset version's file, per page, slide or sheet (storage down: retried, then failed)."""
    return file_text.file_text_extract(version_id=version_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(acks_late=True)
def requeue_stalled_file_text() -> int:
    """Hand to the worker again the file texts whose request was lost. Run by beat."""
    return file_text.file_text_requeue_stalled()


@shared_task
def worker_probe() -> dict:
    """Answer which process ran the task and what it sees in the database (used by health checks)."""
    return {"pid": os.getpid(), "partners": Partner.objects.count()}


@shared_task(acks_late=True)
def check_links() -> str:
    """Check the external URLs of assets that are due, politely (``cms.services.link_checks``). Run by beat."""
    try:
        return str(link_checks.link_checks_run())
    except link_checks.LinkCheckBusy as busy:
        return str(busy)


@shared_task(acks_late=True)
def rescan_files() -> dict:
    """Scan the files waiting for their virus scan (stored while the scanner was down or off). Run by beat."""
    return scanning.file_scans_rescan()
