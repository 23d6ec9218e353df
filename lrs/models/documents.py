"""State documents (xAPI state resource): bytes per activity, agent, registration and state id, with a SHA-1 ETag."""

from django.db import models
from django.utils import timezone


class StateDocument(models.Model):
    activity_id = models.CharField(max_length=2048)
    agent = models.JSONField()
    agent_ifi = models.CharField(max_length=64, db_index=True)
    registration = models.UUIDField(null=True, blank=True)
    state_id = models.CharField(max_length=2048)
    #: SHA-256 of (activity, agent, registration, state id): the unique address of the document.
    address = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["state_id", "pk"]

    def __str__(self):
        return f"{self.state_id} @ {self.activity_id}"
