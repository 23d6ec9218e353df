"""Gated marketing content: assets, programs and bulletins, and their lifecycle.

Each is a Wagtail snippet with Wagtail's own drafts, revisions, moderation
workflow, locking, scheduling (``go_live_at`` / ``expire_at``) and previews, plus
the audience of ``partners.audience`` and our archive state on top:

    draft → in review → scheduled → live → expired → archived → (restore) draft

An item is live for partners when it is published, not past ``expire_at`` (checked
at read time too, so a late sweep never serves an expired item) and not archived.
Every item has an owner and a review-by date so that it never goes stale unnoticed.
"""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from core.models import KeyedModel
from partners.audience import AudienceMixin, AudienceQuerySetMixin

from .storage import private_storage
from .uploads import asset_file_problem, stored_asset_file_problem, validate_asset_file_extension
from .webhook_targets import validate_webhook_url
from .widgets import PrivateFileInput


class Product(KeyedModel):
    """A product or solution that content is about (used for filters and facets)."""

    panels = [FieldPanel("name"), FieldPanel("key")]


class Language(KeyedModel):
    """A content language, keyed by its code (``en``, ``de``, ``pt-br``…)."""

    panels = [FieldPanel("name"), FieldPanel("key")]


def snippet_generic_relation(model: str, query_name: str) -> GenericRelation:
    """The reverse relation Wagtail's snippet mixins need on each concrete model (revisions, workflow states)."""
    return GenericRelation(
        model,
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name=query_name,
        for_concrete_model=False,
    )


class GatedContentQuerySet(AudienceQuerySetMixin, models.QuerySet):
    def archived(self):
        return self.filter(archived_at__isnull=False)

    def not_archived(self):
        return self.filter(archived_at__isnull=True)

    def live_for_partners(self, *, now=None):
        return self.filter(self.model.live_q(now=now))


def gated_content_tabs(content_panels: list) -> TabbedInterface:
    """The editor of every gated item: its own Content tab, then the shared Audience and Lifecycle tabs."""
    audience = MultiFieldPanel(
        [
            FieldPanel("min_tier"),
            FieldPanel("partner_types", widget=forms.CheckboxSelectMultiple),
            FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
            FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
        ],
        heading="Audience",
        help_text="Who may see this. Empty lists mean everyone; a partner must match every restriction set here.",
    )
    ownership = MultiFieldPanel(
        [FieldRowPanel([FieldPanel("owner"), FieldPanel("review_by")])],
        heading="Ownership",
        help_text="The owner is reminded before the review date and before expiry.",
    )
    scheduling = MultiFieldPanel(
        [FieldRowPanel([FieldPanel("go_live_at"), FieldPanel("expire_at")])], heading="Scheduling"
    )
    return TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList([audience], heading="Audience"),
            ObjectList([ownership, scheduling], heading="Lifecycle"),
        ]
    )


class GatedContent(
    AudienceMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """What assets, programs and bulletins share: title, audience, lifecycle, ownership."""

    # Fail closed: an item made in code is a draft until something publishes it (Wagtail defaults to live).
    live = models.BooleanField(verbose_name="live", default=False, editable=False)
    key = models.SlugField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable identifier of imported items (the import manifest's key). Leave blank otherwise.",
    )
    title = models.CharField(max_length=255, help_text="Shown to partners in lists, search and the feed.")
    summary = models.TextField(
        blank=True, max_length=1000, help_text="One or two sentences partners see under the title."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="The editor responsible for keeping this current.",
    )
    review_by = models.DateField(
        null=True, blank=True, help_text="When the owner should check this is still right. They are reminded before."
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GatedContentQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.FilterField("live"),
        index.FilterField("archived_at"),
    ]

    class Meta:
        abstract = True
        ordering = ["-last_published_at", "-pk"]

    def __str__(self):
        return self.title

    # --- lifecycle -----------------------------------------------------------------------------

    @classmethod
    def live_q(cls, *, now=None) -> Q:
        now = now or timezone.now()
        return (
            Q(live=True)
            & Q(archived_at__isnull=True)
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
            & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        )

    def is_live_for_partners(self, *, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.live
            and self.archived_at is None
            and (self.expire_at is None or self.expire_at > now)
            and (self.go_live_at is None or self.go_live_at <= now)
        )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def lifecycle_state(self) -> str:
        """One word for the admin and reports: draft, in review, scheduled, live, expired, archived."""
        if self.archived_at:
            return "archived"
        if self.expired:
            return "expired"
        if self.live and self.expire_at and self.expire_at <= timezone.now():
            return "expired"
        if self.live:
            return "live"
        if self.approved_schedule:
            return "scheduled"
        if self.workflow_in_progress:
            return "in review"
        return "draft"

    def with_content_json(self, content):
        """Like Wagtail's, and also keep the archive state and key: they belong to the item, not a revision.

        Without this, publishing a draft saved before an archive would silently un-archive the item.
        """
        obj = super().with_content_json(content)
        obj.archived_at = self.archived_at
        obj.archived_by = self.archived_by
        obj.key = self.key
        return obj

    @property
    def preview_modes(self):
        modes = [("", "As partners will see it")]
        if settings.PARTNERHUB_PREVIEW_URL:
            modes.append(("portal", "In the partner portal"))
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name == "portal" and settings.PARTNERHUB_PREVIEW_URL:
            from django.shortcuts import render

            from .preview import preview_url_for

            url = preview_url_for(item=self, user=request.user)
            return render(request, "cms/previews/portal.html", {"object": self, "portal_url": url})
        return super().serve_preview(request, mode_name)

    def get_preview_template(self, request, mode_name):
        return "cms/previews/gated_content.html"


class AssetQuerySet(GatedContentQuerySet):
    def localized_for(self, user, language_code: str | None):
        """One variant per asset for this user: their language first, else the default one, else what there is.

        Apply it to what the user may see; the variants it looks for are filtered by the
        same audience rule, so a variant the user may not see never hides another one.
        """
        if not language_code:
            return self
        visible_variants = Asset.objects.visible_to(user).filter(translation_key=OuterRef("translation_key"))
        has_preferred = Exists(visible_variants.filter(locale__language_code=language_code))
        default_locale = Locale.get_default()
        has_default = Exists(visible_variants.filter(locale=default_locale))
        return self.filter(
            Q(locale__language_code=language_code)
            | (~has_preferred & Q(locale=default_locale))
            | (~has_preferred & ~has_default)
        )


class Asset(TranslatableMixin, GatedContent):
    """A file or a link partners download: decks, price lists, battlecards, logos, videos…

    An asset may have variants per language (Wagtail locales sharing a ``translation_key``);
    ``localized_for`` gives partners their own language first and the default otherwise.
    """

    class AssetType(models.TextChoices):
        DOCUMENT = "document", "Document"
        PRESENTATION = "presentation", "Presentation"
        VIDEO = "video", "Video"
        IMAGE = "image", "Image"
        BRAND_KIT = "brand_kit", "Logo / brand kit"
        PRICE_LIST = "price_list", "Price list"
        BATTLECARD = "battlecard", "Battlecard"
        LINK = "link", "Link"

    asset_type = models.CharField(
        "type", max_length=20, choices=AssetType.choices, default=AssetType.DOCUMENT, db_index=True
    )
    file = models.FileField(
        upload_to="assets/%Y/%m/",
        storage=private_storage,
        blank=True,
        max_length=255,
        validators=[validate_asset_file_extension],
        help_text="Stored privately: partners download it only through the portal, never by a public link. "
        "Each type of asset takes its own file formats (cms.uploads), up to ASSET_MAX_UPLOAD_BYTES.",
    )
    external_url = models.URLField(
        blank=True, max_length=500, help_text="For links (and videos hosted elsewhere) instead of a file."
    )
    products = ParentalManyToManyField(Product, blank=True, related_name="assets")
    languages = ParentalManyToManyField(Language, blank=True, related_name="assets")
    thumbnail = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    version_note = models.CharField(
        max_length=255,
        blank=True,
        help_text="What changed in this version. Required when you replace the file: partners who downloaded "
        "an earlier version are told.",
    )

    workflow_states = snippet_generic_relation("wagtailcore.WorkflowState", "asset")
    revisions = snippet_generic_relation("wagtailcore.Revision", "asset")

    search_fields = [
        *GatedContent.search_fields,
        index.FilterField("asset_type"),
        index.RelatedFields("products", [index.SearchField("name"), index.FilterField("key")]),
    ]

    edit_handler = gated_content_tabs(
        [
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("asset_type"),
            MultiFieldPanel(
                # Django's file widget would link to the file; private files have no URL.
                [FieldPanel("file", widget=PrivateFileInput), FieldPanel("external_url"), FieldPanel("version_note")],
                heading="File or link",
            ),
            FieldPanel("thumbnail"),
            FieldRowPanel([FieldPanel("products"), FieldPanel("languages")]),
        ]
    )

    objects = AssetQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta, GatedContent.Meta):
        indexes = [
            models.Index(fields=["live", "expire_at"]),
            models.Index(fields=["asset_type", "live"]),
            # The partner list's default order: pages are read off this index, stopping at page_size.
            models.Index(fields=["-last_published_at", "-id"], name="asset_published_order_idx"),
            models.Index(fields=["updated_at"], name="asset_updated_at_idx"),
            models.Index(fields=["title", "id"], name="asset_title_order_idx"),
        ]

    def clean(self):
        super().clean()
        if self.asset_type == self.AssetType.LINK and not self.external_url:
            raise ValidationError({"external_url": "A link needs its URL."})
        if self.asset_type != self.AssetType.LINK and not (self.file or self.external_url):
            raise ValidationError({"file": "Upload a file (or give an external URL for hosted videos)."})
        if self.file and self.external_url:
            raise ValidationError({"external_url": "Give a file or a URL, not both."})
        if self.file:
            if not getattr(self.file, "_committed", True):  # a file just given: its size too
                problem = asset_file_problem(
                    asset_type=self.asset_type, name=self.file.name, size=self.file.size, file=self.file
                )
            elif self._file_or_type_changed():  # a stored file: against the (new) type's list
                problem = stored_asset_file_problem(asset_type=self.asset_type, field_file=self.file)
            else:  # unchanged: a file today's rules refuse must not block a title fix (see asset_file_audit)
                problem = None
            if problem:
                raise ValidationError({"file": problem})
        latest = self.versions.order_by("-number").first() if self.pk else None
        replaced = latest and self.file and latest.file.name != self.file.name
        if replaced and (not self.version_note.strip() or self.version_note == latest.change_note):
            raise ValidationError(
                {
                    "version_note": "You replaced the file: say what changed. Partners who downloaded an "
                    "earlier version are shown this note."
                }
            )

    def _file_or_type_changed(self) -> bool:
        stored = Asset.objects.filter(pk=self.pk).values_list("file", "asset_type").first() if self.pk else None
        return stored != (self.file.name, self.asset_type)

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self.file_sha256 = file_digest(self.file)
        elif not self.file:
            self.file_sha256 = ""
        super().save(*args, **kwargs)


def file_digest(file) -> str:
    """SHA-256 of a file's content, read in chunks."""
    import hashlib

    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class AssetVersion(models.Model):
    """One published file of an asset. Replacing the file keeps the old versions here."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(storage=private_storage, max_length=255)
    change_note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["asset", "-number"]
        constraints = [models.UniqueConstraint(fields=["asset", "number"], name="asset_version_number_unique")]

    def __str__(self):
        return f"{self.asset} v{self.number}"


class Program(GatedContent):
    """A partner program or incentive: what it offers, who is eligible, key dates, related assets."""

    body = RichTextField(blank=True, help_text="What the program offers and how it works.")
    eligibility = RichTextField(blank=True, help_text="Who can take part and how to qualify.")
    related_assets = ParentalManyToManyField(
        Asset,
        blank=True,
        related_name="programs",
        help_text="Partners only see the related assets their own audience allows.",
    )

    workflow_states = snippet_generic_relation("wagtailcore.WorkflowState", "program")
    revisions = snippet_generic_relation("wagtailcore.Revision", "program")

    search_fields = [*GatedContent.search_fields, index.SearchField("body"), index.SearchField("eligibility")]

    edit_handler = gated_content_tabs(
        [
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("body"),
            FieldPanel("eligibility"),
            InlinePanel("key_dates", heading="Key dates", label="Key date"),
            FieldPanel("related_assets"),
        ]
    )


class ProgramKeyDate(Orderable):
    program = ParentalKey(Program, on_delete=models.CASCADE, related_name="key_dates")
    label = models.CharField(max_length=120, help_text="E.g. 'Enrolment closes' or 'Q3 claims due'.")
    date = models.DateField()

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("date")])]

    def __str__(self):
        return f"{self.label}: {self.date}"


class Bulletin(GatedContent):
    """An announcement to partners, optionally pinned or requiring acknowledgement."""

    class Priority(models.TextChoices):
        INFO = "info", "Info"
        IMPORTANT = "important", "Important"
        CRITICAL = "critical", "Critical"

    body = RichTextField(blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.INFO, db_index=True)
    pinned = models.BooleanField(default=False, help_text="Pinned bulletins come first in partners' lists and feed.")
    requires_acknowledgement = models.BooleanField(
        default=False, help_text="Partners must confirm they have read it; unacknowledged ones stay in their feed."
    )
    attachments = ParentalManyToManyField(
        Asset,
        blank=True,
        related_name="bulletins",
        help_text="Partners only see the attachments their own audience allows.",
    )

    workflow_states = snippet_generic_relation("wagtailcore.WorkflowState", "bulletin")
    revisions = snippet_generic_relation("wagtailcore.Revision", "bulletin")

    search_fields = [*GatedContent.search_fields, index.SearchField("body"), index.FilterField("priority")]

    edit_handler = gated_content_tabs(
        [
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("body"),
            FieldRowPanel([FieldPanel("priority"), FieldPanel("pinned"), FieldPanel("requires_acknowledgement")]),
            FieldPanel("attachments"),
        ]
    )

    class Meta(GatedContent.Meta):
        ordering = ["-pinned", "-last_published_at", "-pk"]


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

    class Meta:
        ordering = ["-downloaded_at"]
        indexes = [models.Index(fields=["asset", "-downloaded_at"]), models.Index(fields=["user", "asset"])]

    def __str__(self):
        return f"{self.user} downloaded {self.asset} at {self.downloaded_at:%Y-%m-%d %H:%M}"


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


def _new_webhook_secret():
    import secrets

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


#: The content library's models (the content admin, reports and bulk actions cover these).
GATED_CONTENT_MODELS = (Asset, Program, Bulletin)


def gated_content_models() -> tuple[type[GatedContent], ...]:
    """Every concrete model with the content lifecycle: the library's, then other apps' (courses…).

    The lifecycle sweep, owner reminders, webhooks and archive actions cover all of them.
    """
    from django.apps import apps

    others = [
        model for model in apps.get_models() if issubclass(model, GatedContent) and model not in GATED_CONTENT_MODELS
    ]
    return (*GATED_CONTENT_MODELS, *others)
