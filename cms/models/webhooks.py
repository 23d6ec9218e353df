"""Webhook endpoints of partner front ends and the log of what was delivered to them (``cms.webhooks``)."""

import secrets

from django.db import models
from django.utils import timezone

from ..webhook_targets import validate_webhook_url


def _new_webhook_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A partner front end told (signed POSTs, retried) when content is published, changed, expired or archived."""

    class Event(models.TextChoices):
        PUBLISHED = "published", "Published"
        CHANGED = "changed", "Changed (published again)"
        UNPUBLISHED = "unpublished", "Unpublished"
        EXPIRED = "expired", "Expired"
        ARCHIVED = "archived", "Archived"
        RESTORED = "restored", "Restored"

    name = models.CharField(max_length=100, help_text="Who receives it, e.g. 'Partner portal (production)'.")
    url = models.URLField(
        max_length=500,
        validators=[validate_webhook_url],
        help_text="HTTPS endpoint that receives a JSON POST for each event; private addresses are refused.",
    )
    secret = models.CharField(
        max_length=100,
        default=_new_webhook_secret,
        help_text="Shared secret: each request carries X-PartnerHub-Signature, sha256 HMAC of the body with it.",
    )
    events = models.JSONField(default=list, blank=True, help_text="Events to send; none selected means all.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint, with its attempts — the delivery log editors can inspect."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=WebhookEndpoint.Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"
