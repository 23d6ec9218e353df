"""Briefings get the listing, lifecycle filters, export and archive / restore of every gated kind."""

from cms.gating.admin import GatedContentViewSet, gated_content_columns
from cms.gating.filters import GatedContentFilterSet

from ..models import Briefing


class BriefingFilterSet(GatedContentFilterSet):
    class Meta:
        model = Briefing
        fields = []


class BriefingViewSet(GatedContentViewSet):
    model = Briefing
    icon = "doc-full"
    menu_label = "Briefings"
    filterset_class = BriefingFilterSet
    list_display = ["title", *gated_content_columns()]
    export_filename = "briefings"
