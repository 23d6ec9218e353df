"""Test-only models.

``GatedItem``: the audience plus a ``live`` flag standing in for a lifecycle, so the audience
rule is tested apart from any content type. ``Briefing``: a whole gated content kind, added
the way a new app adds one (README "How to add a gated content kind"): it subclasses
``GatedContent`` and plugs itself into core's registries from ``TestAppConfig.ready()``,
without a line changed in any other app.
"""

from django.db import models
from django.db.models import Q

from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.gating.models import GatedContent, gated_content_tabs, snippet_generic_relation
from partners.audience import AudienceMixin, AudienceQuerySet
from partners.qualifications import QualificationMixin


class GatedItem(QualificationMixin, AudienceMixin, ClusterableModel):
    title = models.CharField(max_length=100)
    live = models.BooleanField(default=True)

    objects = AudienceQuerySet.as_manager()

    @classmethod
    def live_q(cls):
        return Q(live=True)

    def is_live_for_partners(self):
        return self.live

    def __str__(self):
        return self.title


class Briefing(GatedContent):
    """A short gated text for partners: a kind of content that only this test app knows."""

    body = models.TextField(blank=True)

    workflow_states = snippet_generic_relation("wagtailcore.WorkflowState", "briefing")
    revisions = snippet_generic_relation("wagtailcore.Revision", "briefing")

    search_fields = [*GatedContent.search_fields, index.SearchField("body")]

    edit_handler = gated_content_tabs([FieldPanel("title"), FieldPanel("summary"), FieldPanel("body")])
