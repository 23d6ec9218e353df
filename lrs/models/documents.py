"""The LRS's documents (Communication §2.2): bytes with a content type and a SHA-1 ETag, at a unique address.

State documents belong to an activity, an agent and a registration; agent profiles to an agent; activity
profiles to an activity. ``address`` is the SHA-256 of what names the document (``lrs.selectors.documents``),
so one unique, indexed column fits ids of any length.
"""

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


class AgentProfileDocument(models.Model):
    """A document about one agent (Communication §2.6), e.g. cmi5's ``cmi5LearnerPreferences``."""

    agent = models.JSONField()
    agent_ifi = models.CharField(max_length=64, db_index=True)
    profile_id = models.CharField(max_length=2048)
    #: SHA-256 of ("agent", agent IFI, profile id).
    address = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["profile_id", "pk"]

    def __str__(self):
        return self.profile_id


class ActivityProfileDocument(models.Model):
    """A document about one activity (Communication §2.7), shared by everyone who takes it."""

    activity_id = models.CharField(max_length=2048)
    #: SHA-256 of the activity id, for the indexed look-up of an activity's documents.
    activity_hash = models.CharField(max_length=64, db_index=True)
    profile_id = models.CharField(max_length=2048)
    #: SHA-256 of ("activity", activity id, profile id).
    address = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["profile_id", "pk"]

    def __str__(self):
        return f"{self.profile_id} @ {self.activity_id}"
