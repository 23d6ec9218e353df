"""The LRS's canonical activities (Communication §2.5): each activity's definition, merged from the statements
that carried one, for ``GET /xapi/activities``. Activities mentioned without a definition have no row (their
statements' ``StatementActivity`` rows say they are known)."""

from django.db import models
from django.utils import timezone


class ActivityDefinition(models.Model):
    activity_id = models.CharField(max_length=2048)
    #: SHA-256 of the activity id: the unique, indexed key (ids are IRIs of any length).
    activity_hash = models.CharField(max_length=64, unique=True)
    definition = models.JSONField(default=dict)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["activity_id"]

    def __str__(self):
        return self.activity_id
