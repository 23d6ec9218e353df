"""The base of every kind of gated content: audience, Wagtail's lifecycle mixins, archive, ownership.

Each kind is a Wagtail snippet with Wagtail's own drafts, revisions, moderation
workflow, locking, scheduling (``go_live_at`` / ``expire_at``) and previews, plus
the audience of ``partners.audience`` and our archive state on top:

    draft → in review → scheduled → live → expired → archived → (restore) draft

An item is live for partners when it is published, not past ``expire_at`` (checked
at read time too, so a late sweep never serves an expired item) and not archived.
Every item has an owner and a review-by date so that it never goes stale unnoticed.

A kind is a concrete subclass of ``GatedContent`` in any installed app;
``gated_content_models()`` finds them all, so the sweep, reminders, webhooks and
previews cover a new kind without a line changed here.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from partners.audience import AUDIENCE_LISTS, AudienceMixin, AudienceQuerySetMixin
from partners.panels import audience_panel, qualification_panel
from partners.qualifications import QualificationMixin

from .panels import SchedulingPanel


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
    audience = audience_panel()
    ownership = MultiFieldPanel(
        [FieldRowPanel([FieldPanel("owner"), FieldPanel("review_by")])],
        heading="Ownership",
        help_text="The owner is reminded before the review date and before expiry.",
    )
    scheduling = SchedulingPanel(
        [FieldRowPanel([FieldPanel("go_live_at"), FieldPanel("expire_at")])], heading="Scheduling"
    )
    return TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList([audience, qualification_panel()], heading="Audience"),
            ObjectList([ownership, scheduling], heading="Lifecycle"),
        ]
    )


class GatedContent(
    QualificationMixin,
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
            # The preview module stores snapshots, a model of the cms app that imports this base: at call time.
            from .preview import preview_url_for

            url = preview_url_for(item=self, user=request.user)
            return render(request, "cms/previews/portal.html", {"object": self, "portal_url": url})
        return super().serve_preview(request, mode_name)

    def get_preview_template(self, request, mode_name):
        return "cms/previews/gated_content.html"

    def preview_payload(self, request) -> dict:
        """What a partner front end gets to render a preview of this item (``GET /api/v1/preview``).

        This default suits any kind: what every gated item has. A kind whose partner API
        answers more overrides it with that answer, so the preview shows what partners will get.
        """
        return {
            "kind": self._meta.model_name,
            "id": self.pk,
            "title": self.title,
            "summary": self.summary,
            "audience": {
                "min_tier": self.min_tier.key if self.min_tier_id else None,
                **{name: sorted(ref.key for ref in getattr(self, name).all()) for name in AUDIENCE_LISTS},
                "requires_certification": self.required_qualification.key if self.required_qualification_id else None,
                "certification_held_by": self.required_qualification_mode,
                "certification_holders": self.required_holders,
            },
            "go_live_at": self.go_live_at,
            "expire_at": self.expire_at,
            "review_by": self.review_by,
            "published_at": self.last_published_at,
        }


def gated_content_models() -> tuple[type[GatedContent], ...]:
    """Every concrete model with the content lifecycle, in every installed app, in the apps' order.

    The lifecycle sweep, owner reminders, webhooks, archive actions and previews cover all of them.
    """
    return tuple(model for model in apps.get_models() if issubclass(model, GatedContent) and not model._meta.proxy)
