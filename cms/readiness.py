"""Reads for operators (``core.operations`` readiness): the content domain's work waiting.

Registered from ``CmsConfig.ready()`` as backlogs: files waiting for their virus scan (they cannot be
published or downloaded meanwhile) and webhook deliveries not yet delivered (retrying, or never tried).
"""

from .models import FileScan, WebhookDelivery


def pending_scan_count() -> int:
    return FileScan.objects.filter(status=FileScan.Status.PENDING).count()


def pending_webhook_delivery_count() -> int:
    return WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).count()
