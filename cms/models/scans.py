"""The virus scan of each stored file (``cms.scanning``): one row per file name in the private storage."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone


class FileScanQuerySet(models.QuerySet):
    def scan_annotations(self, field: str = "file") -> dict[str, Subquery]:
        """The scan of each row's file, for another model's ``queryset.annotate(**…)``: ``file_scan_status`` and
        ``file_scan_signature`` (``None`` for a file without a scan). ``field`` holds the file's name in the private
        storage (an asset's ``file``, a package version's ``archive``); the admin's ``scan_label`` reads them."""
        scans = self.filter(name=OuterRef(field))
        return {
            "file_scan_status": Subquery(scans.values("status")[:1]),
            "file_scan_signature": Subquery(scans.values("signature")[:1]),
        }


class FileScan(models.Model):
    """What ClamAV said of one stored file, and what became of it.

    ``pending`` until the daemon answered (a scanner that is down keeps it pending; the re-scan job
    tries again), then ``clean``, ``infected`` (with the signature; the file is moved to the
    quarantine) or ``error`` (the daemon could not scan it: too big, damaged…). ``unscanned``: stored
    while scanning was off (no ``CLAMAV_URL``); scanned when it is switched on.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending scan"
        CLEAN = "clean", "Clean"
        INFECTED = "infected", "Infected"
        ERROR = "error", "Scan error"
        UNSCANNED = "unscanned", "Not scanned (scanning off)"

    name = models.CharField(max_length=255, unique=True, help_text="The file's name in the private storage.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    signature = models.CharField(max_length=255, blank=True, help_text="What ClamAV found in an infected file.")
    detail = models.CharField(max_length=500, blank=True, help_text="Why the last scan did not finish.")
    attempts = models.PositiveIntegerField(default=0)
    quarantine_name = models.CharField(max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    scanned_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = FileScanQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"], name="file_scan_item_idx")]

    def __str__(self):
        return f"{self.name}: {self.get_status_display()}"

    @property
    def item(self):
        """The asset, package version… the file belongs to (``None`` when unknown or deleted)."""
        if self.content_type_id is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    @property
    def label(self) -> str:
        """The status in words, with the signature of an infected file."""
        if self.status == self.Status.INFECTED:
            return f"Infected: {self.signature}" if self.signature else "Infected"
        return self.get_status_display()
