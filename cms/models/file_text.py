"""The text of asset files, per version: its state (``AssetVersionText``) and its units (``AssetTextUnit``).

Each version of an asset's file gets one ``AssetVersionText`` when it is stored (pending),
then read by the worker (``cms.services.file_text``): extracted (with one
``AssetTextUnit`` per page, slide or sheet that has text), empty, failed (with the reason),
too large, or skipped (a format without text: images, videos, archives).
"""

from django.db import models
from django.utils import timezone

from .content import AssetVersion


class AssetVersionText(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        EXTRACTED = "extracted", "Extracted"
        EMPTY = "empty", "No text found"
        FAILED = "failed", "Failed"
        TOO_LARGE = "too_large", "Too large"
        SKIPPED = "skipped", "No text (format)"

    #: What an editor should look at: the file's text could not be had.
    PROBLEMS = (State.FAILED, State.TOO_LARGE)

    version = models.OneToOneField(AssetVersion, on_delete=models.CASCADE, related_name="text")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    reason = models.CharField(max_length=255, blank=True, help_text="Why it failed, was too large or was skipped.")
    attempts = models.PositiveSmallIntegerField(default=0)
    truncated = models.BooleanField(default=False, help_text="Longer than the limits: only the beginning is kept.")
    unit_count = models.PositiveIntegerField(default=0)
    char_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "file text"
        verbose_name_plural = "file texts"

    def __str__(self):
        return f"{self.version}: {self.get_state_display()}"


class AssetTextUnit(models.Model):
    """The text of one page, slide or sheet of a version's file."""

    class Kind(models.TextChoices):
        PAGE = "page", "Page"
        SLIDE = "slide", "Slide"
        SHEET = "sheet", "Sheet"

    version = models.ForeignKey(AssetVersion, on_delete=models.CASCADE, related_name="text_units")
    number = models.PositiveIntegerField(help_text="1-based: page 7, slide 3, sheet 2.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=255, blank=True, help_text="A sheet's name.")
    text = models.TextField()

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="asset_text_unit_number_unique")]

    def __str__(self):
        return f"{self.version} {self.kind} {self.number}"
