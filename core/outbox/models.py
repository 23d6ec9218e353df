"""Outbox rows: a task waiting for the broker, and an e-mail recorded once per dedupe key."""

import uuid

from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A Celery task asked for by a committed transaction and not finished yet.

    Its id is the Celery task id. ``relayed_at`` says when the broker took it; the worker
    deletes the row when the task has run (succeeded, or failed for good). A row relayed
    longer than ``OUTBOX_REDELIVER_SECONDS`` ago is handed over again: the broker lost it
    (a Redis killed without persistence loses what it held). Tasks are idempotent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200, help_text="The Celery task's name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    # Work already waiting under this key is not recorded twice (e.g. one search sync per item).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    relayed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Hand-overs the broker refused.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["attempts", "created_at"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} ({self.pk})"


class OutboxEmail(models.Model):
    """An e-mail decided once (``dedupe_key``) in the transaction that decided it; sent once by the worker."""

    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def message_id(self) -> str:
        """The same Message-ID whatever happens: a copy re-sent after a crash is recognisable as the same e-mail."""
        return f"<outbox-{self.pk}-{uuid.uuid5(uuid.NAMESPACE_URL, self.dedupe_key).hex}@partnerhub>"
