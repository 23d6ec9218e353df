"""What partner users did with content: feed visits, acknowledgements, views, downloads, and who was told what."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .content import Asset, AssetVersion, Bulletin


class FeedVisit(models.Model):
    """When a partner user last read their feed: "new since my last visit" starts there."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_visit")
    visited_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user} read the feed at {self.visited_at:%Y-%m-%d %H:%M}"


class BulletinAcknowledgement(models.Model):
    """A partner user confirmed they read a bulletin that asks for it (once per user)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("partners.Partner", null=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bulletin", "user"], name="bulletin_acknowledged_once")]

    def __str__(self):
        return f"{self.user} acknowledged {self.bulletin}"


class Download(models.Model):
    """A partner user's download of an asset version: who, which partner, when."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="downloads")
    version = models.ForeignKey(AssetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    partner = models.ForeignKey("partners.Partner", null=True, on_delete=models.SET_NULL, related_name="+")
    downloaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    cobranded = models.BooleanField(default=False, help_text="The partner got the copy with their logo and name.")

    class Meta:
        ordering = ["-downloaded_at"]
        indexes = [models.Index(fields=["asset", "-downloaded_at"]), models.Index(fields=["user", "asset"])]

    def __str__(self):
        return f"{self.user} downloaded {self.asset} at {self.downloaded_at:%Y-%m-%d %H:%M}"


class ContentViewQuerySet(models.QuerySet):
    def by_partner_users(self):
        """Views by users of real partners: no staff (testing as a partner) and no users of test partners
        (as ``SearchQuery.objects.by_partner_users``)."""
        return self.exclude(user__is_staff=True).exclude(partner__is_test=True)


class ContentView(models.Model):
    """A partner user read one gated item's detail (API or portal): which item, who, which partner, when.

    Recorded by ``cms.services.activity.record_content_view`` on every successful detail read; lists, searches,
    404s, locked items (403) and editors' previews record nothing. ``kind`` is the item's model name ("asset",
    "program", "bulletin", "course"), the same as the search kinds', so any gated kind fits without a foreign key.
    """

    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user's partner when they viewed the item.",
    )
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ContentViewQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "item_id", "viewed_at"], name="contentview_item_time_idx")]

    def __str__(self):
        return f"{self.user} viewed {self.kind} {self.item_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class VersionNotice(models.Model):
    """A partner user was told (by e-mail) that an asset they downloaded has a newer version."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AssetVersion, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="version_notice_once")]

    def __str__(self):
        return f"{self.user} told about {self.version}"


class OwnerReminder(models.Model):
    """A reminder e-mail sent to an item's owner; unique per item, kind, date and lead time, so sent once."""

    class Kind(models.TextChoices):
        EXPIRY = "expiry", "Expiry"
        REVIEW = "review", "Review"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField(help_text="The expiry or review date the reminder was about.")
    days_before = models.PositiveIntegerField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_on", "days_before"], name="owner_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.content_type.model} {self.object_id} ({self.due_on})"
