"""What the worker makes from an asset version's file: page previews and thumbnails, and co-branded copies.

Both are stored on the private storage (``cms.storage``) and never have a URL of their own: previews are
served through gated, signed, short-lived URLs (``cms.previews.signing``), co-branded copies through the
audited download (``cms.services.downloads``).
"""

from django.db import models
from django.utils import timezone

from ..storage import private_storage
from .content import AssetVersion


class VersionPreview(models.Model):
    """Whether (and how) the previews of one asset version were made."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        READY = "ready", "Ready"
        UNSUPPORTED = "unsupported", "No preview for this format"
        FAILED = "failed", "Failed"

    version = models.OneToOneField(AssetVersion, on_delete=models.CASCADE, related_name="preview")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    source = models.CharField(
        max_length=20, blank=True, help_text="What the pages came from: the file, its PDF rendition, LibreOffice."
    )
    page_count = models.PositiveIntegerField(null=True, blank=True, help_text="Pages of the whole document.")
    error = models.CharField(max_length=255, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Previews of {self.version}: {self.status}"


class PreviewImage(models.Model):
    """One picture of a version: its thumbnail, or one of its first pages."""

    class Kind(models.TextChoices):
        THUMBNAIL = "thumbnail", "Thumbnail"
        PAGE = "page", "Page"

    preview = models.ForeignKey(VersionPreview, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    page = models.PositiveIntegerField(help_text="1 for a thumbnail or the first page.")
    file = models.FileField(storage=private_storage, upload_to="previews/%Y/%m/", max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["preview", "kind", "page"]
        constraints = [
            models.UniqueConstraint(fields=["preview", "kind", "page"], name="preview_image_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.page} of {self.preview.version}"


class CobrandedFile(models.Model):
    """An asset version's PDF with one partner's logo and name stamped on it, made once and kept privately.

    ``fingerprint`` covers what the stamp is made of (the partner's logo and name, the asset's placement):
    when any of it changes, the next download makes the copy again.
    """

    version = models.ForeignKey(AssetVersion, on_delete=models.CASCADE, related_name="cobranded_files")
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(storage=private_storage, upload_to="cobranded/%Y/%m/", max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "partner"], name="cobranded_file_once")]

    def __str__(self):
        return f"{self.version} for {self.partner_id}"
