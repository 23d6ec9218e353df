"""The content library: assets (with their versions), programs and bulletins, and their reference data. Each is a
``cms.gating.models.GatedContent``: a Wagtail snippet with drafts, revisions, workflow, scheduling, an audience."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, TranslatableMixin
from wagtail.search import index

from cms.gating.models import GatedContent, GatedContentQuerySet, gated_content_tabs, snippet_generic_relation
from core.models import KeyedModel

from ..scanning.fields import ScannedFileField
from ..scanning.gate import file_refusal, servable_q
from ..scanning.panels import FileScanPanel
from ..storage import private_storage
from ..uploads import (
    asset_file_problem,
    extension_of,
    stored_asset_file_problem,
    validate_asset_file_extension,
    validate_pdf_rendition,
)
from ..widgets import PrivateFileInput


class Product(KeyedModel):
    """A product or solution that content is about (used for filters and facets)."""

    panels = [FieldPanel("name"), FieldPanel("key")]


class Language(KeyedModel):
    """A content language, keyed by its code (``en``, ``de``, ``pt-br``…)."""

    panels = [FieldPanel("name"), FieldPanel("key")]


class CobrandPages(models.TextChoices):
    FIRST = "first", "First page"
    LAST = "last", "Last page"
    ALL = "all", "Every page"


class CobrandCorner(models.TextChoices):
    TOP_LEFT = "top-left", "Top left"
    TOP_RIGHT = "top-right", "Top right"
    BOTTOM_LEFT = "bottom-left", "Bottom left"
    BOTTOM_RIGHT = "bottom-right", "Bottom right"


class CobrandSize(models.TextChoices):
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    LARGE = "large", "Large"


#: Asset types whose file is never a document or deck: a PDF rendition makes no sense for them.
NO_RENDITION_TYPES = ("video", "image", "link")


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
    file = ScannedFileField(
        upload_to="assets/%Y/%m/",
        storage=private_storage,
        blank=True,
        max_length=255,
        validators=[validate_asset_file_extension],
        help_text="Stored privately: partners download it only through the portal, never by a public link. "
        "Each type of asset takes its own file formats (cms.uploads), up to ASSET_MAX_UPLOAD_BYTES. "
        "Every file is scanned for viruses; it can be published once it is found clean.",
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
    pdf_rendition = models.FileField(
        "PDF rendition",
        upload_to="renditions/%Y/%m/",
        storage=private_storage,
        blank=True,
        max_length=255,
        validators=[validate_pdf_rendition],
        help_text="Optional: the same deck or document saved as PDF. Its pages become the previews partners see "
        "(otherwise LibreOffice makes them where it is installed). Stored privately, never downloaded.",
    )
    cobrandable = models.BooleanField(
        "co-brandable",
        default=False,
        help_text="Partners download this PDF with their own logo and name stamped on it (the original is kept "
        "as it is). Only PDF files can be co-branded.",
    )
    cobrand_pages = models.CharField(
        "co-brand on", max_length=8, choices=CobrandPages.choices, default=CobrandPages.FIRST, blank=True
    )
    cobrand_corner = models.CharField(
        "co-brand corner", max_length=16, choices=CobrandCorner.choices, default=CobrandCorner.BOTTOM_RIGHT, blank=True
    )
    cobrand_size = models.CharField(
        "co-brand size", max_length=8, choices=CobrandSize.choices, default=CobrandSize.MEDIUM, blank=True
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
                [
                    FieldPanel("file", widget=PrivateFileInput),
                    FileScanPanel(heading="Virus scan"),
                    FieldPanel("external_url"),
                    FieldPanel("version_note"),
                    FieldPanel("pdf_rendition", widget=PrivateFileInput),
                ],
                heading="File or link",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("cobrandable"),
                    FieldRowPanel(
                        [FieldPanel("cobrand_pages"), FieldPanel("cobrand_corner"), FieldPanel("cobrand_size")]
                    ),
                ],
                heading="Co-branding",
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
            # Identical files (the "duplicate files" report, the edit view's notice, the upload warning).
            models.Index(fields=["file_sha256"], name="asset_file_sha256_idx"),
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
        self._clean_cobranding()
        latest = self.versions.order_by("-number").first() if self.pk else None
        replaced = latest and self.file and latest.file.name != self.file.name
        if replaced and (not self.version_note.strip() or self.version_note == latest.change_note):
            raise ValidationError(
                {
                    "version_note": "You replaced the file: say what changed. Partners who downloaded an "
                    "earlier version are shown this note."
                }
            )

    @property
    def file_extension(self) -> str:
        """The stored file's extension in capitals (``PDF``), or ``""`` for a link: the placeholder of a preview."""
        return extension_of(self.file.name).upper() if self.file else ""

    def _clean_cobranding(self):
        # Left empty (a form that does not show them): the defaults.
        self.cobrand_pages = self.cobrand_pages or CobrandPages.FIRST
        self.cobrand_corner = self.cobrand_corner or CobrandCorner.BOTTOM_RIGHT
        self.cobrand_size = self.cobrand_size or CobrandSize.MEDIUM
        if self.cobrandable and extension_of(self.file.name if self.file else "") != "pdf":
            raise ValidationError(
                {"cobrandable": "Only PDF files can be co-branded: upload the asset as a PDF, or untick co-brandable."}
            )
        if self.pdf_rendition and self.asset_type in NO_RENDITION_TYPES:
            raise ValidationError({"pdf_rendition": "A PDF rendition is for documents and decks, not for this type."})

    def _file_or_type_changed(self) -> bool:
        stored = Asset.objects.filter(pk=self.pk).values_list("file", "asset_type").first() if self.pk else None
        return stored != (self.file.name, self.asset_type)

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self.file_sha256 = file_digest(self.file)
        elif not self.file:
            self.file_sha256 = ""
        super().save(*args, **kwargs)

    def serializable_data(self):
        # A live asset's new file goes into a draft revision, not the row: hash it here, so that the revision
        # (and the row once it is published) carries the hash of its own file, not of the one it replaces.
        if self.file and not getattr(self.file, "_committed", True):
            self.file_sha256 = file_digest(self.file)
        return super().serializable_data()

    def publish(self, revision, *args, **kwargs):
        """Wagtail's publish (now or scheduled), refused while the revision's file is not clean (cms.scanning)."""
        if problem := file_refusal(revision.content.get("file") or ""):
            raise FileNotCleared(f"“{self}” cannot be published: {problem}")
        return super().publish(revision, *args, **kwargs)

    def preview_payload(self, request) -> dict:
        """What ``GET /api/v1/assets/{id}`` answers, from the item as previewed (unsaved relations included)."""
        # The API builds the payload and imports these models: reached at call time.
        from ..api import asset_preview

        return asset_preview(request, self)


class FileNotCleared(PermissionDenied):
    """Publishing refused: the item's file is pending its virus scan, infected or could not be scanned."""


def file_digest(file) -> str:
    """SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class AssetVersionQuerySet(models.QuerySet):
    def servable(self):
        """THE rule of which versions' files may be served to partners: downloads, previews, co-branded copies.

        A version with a file found clean by the virus scanner (``cms.scanning.gate``); everything that serves a
        version's file, or something made from it, reads through here.
        """
        return self.exclude(file="").filter(servable_q("file"))

    def current(self):
        """Each asset's newest version (what a download hands out)."""
        newest = AssetVersion.objects.filter(asset=OuterRef("asset")).order_by("-number").values("number")[:1]
        return self.filter(number=Subquery(newest))


class AssetVersion(models.Model):
    """One published file of an asset. Replacing the file keeps the old versions here."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(storage=private_storage, max_length=255)
    change_note = models.CharField(max_length=255, blank=True)
    pdf_rendition = models.FileField(storage=private_storage, max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssetVersionQuerySet.as_manager()

    class Meta:
        ordering = ["asset", "-number"]
        constraints = [models.UniqueConstraint(fields=["asset", "number"], name="asset_version_number_unique")]

    def __str__(self):
        return f"{self.asset} v{self.number}"

    @property
    def scan_refusal(self) -> str | None:
        """Why this version's file may not be served (pending scan, infected…), or ``None`` (one query)."""
        return file_refusal(self.file.name)

    @property
    def is_servable(self) -> bool:
        return self.scan_refusal is None


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

    def preview_payload(self, request) -> dict:
        """What ``GET /api/v1/programs/{id}`` answers, with every related asset (an editor sees them all)."""
        # The API builds the payload and imports these models: reached at call time.
        from ..api import program_preview

        return program_preview(request, self)


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

    def preview_payload(self, request) -> dict:
        """What ``GET /api/v1/bulletins/{id}`` answers, with every attachment and nobody's acknowledgement."""
        # The API builds the payload and imports these models: reached at call time.
        from ..api import bulletin_preview

        return bulletin_preview(request, self)


#: The content library's models (the content admin, reports and bulk actions cover these).
GATED_CONTENT_MODELS = (Asset, Program, Bulletin)
