"""Portal → Links hub: editors manage the links to partners' other systems, each for its audience."""

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import PortalLink


class PortalLinkViewSet(SnippetViewSet):
    model = PortalLink
    icon = "link"
    menu_label = "Links hub"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "url", "icon", "sort_order", BooleanColumn("is_active", label="Active")]
    list_filter = ["icon", "is_active", "min_tier"]
    search_fields = ["title", "description", "url"]
    ordering = ["sort_order", "title"]
