"""Snapshots of what editors previewed, for the headless preview (``cms.gating.preview``)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class PreviewSnapshot(models.Model):
    """What an editor previewed (possibly unsaved), for a headless front end to render with a signed token.

    A token names one snapshot, so it shows exactly that item as it was previewed, and it
    expires after ``PARTNERHUB_PREVIEW_TOKEN_SECONDS``.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="Empty for an item not saved yet.")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    content = models.JSONField(encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Preview of {self.content_type.model} {self.object_id} at {self.created_at:%Y-%m-%d %H:%M}"
