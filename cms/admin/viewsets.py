"""The "Content" menu group: assets, programs and bulletins, and their reference data (products, languages).

The three kinds of content get the listing, filters, export and archive lifecycle of every
gated content (``cms.gating.admin.GatedContentViewSet``).
"""

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.filters import AssetFilterSet, BulletinFilterSet, ProgramFilterSet
from cms.gating.admin import GatedContentViewSet, gated_content_columns
from cms.models import Asset, Bulletin, Language, Product, Program

from .approval import AssetEditView, AssetWorkflowActionView
from .scans import AssetIndexView, scan_column


class AssetViewSet(GatedContentViewSet):
    model = Asset
    icon = "doc-full"
    index_view_class = AssetIndexView
    edit_view_class = AssetEditView  # an approval refused for the file's virus scan says why
    workflow_action_view_class = AssetWorkflowActionView
    filterset_class = AssetFilterSet
    list_display = ["title", "asset_type", *gated_content_columns(), scan_column()]
    list_export = ["title", "get_asset_type_display", *GatedContentViewSet.list_export[1:]]
    export_filename = "assets"


class ProgramViewSet(GatedContentViewSet):
    model = Program
    icon = "tasks"
    filterset_class = ProgramFilterSet
    list_display = ["title", *gated_content_columns()]
    export_filename = "programs"


class BulletinViewSet(GatedContentViewSet):
    model = Bulletin
    icon = "mail"
    filterset_class = BulletinFilterSet
    list_display = ["title", *gated_content_columns()]
    export_filename = "bulletins"


class KeyedSnippetViewSet(SnippetViewSet):
    """Reference data of content (``KeyedModel``): listed and searched by name and key."""

    list_display = ["name", "key"]
    search_fields = ["name", "key"]
    search_backend_name = None
    ordering = "name"


class ProductViewSet(KeyedSnippetViewSet):
    model = Product
    icon = "cogs"


class LanguageViewSet(KeyedSnippetViewSet):
    model = Language
    icon = "comment"


class ContentViewSetGroup(SnippetViewSetGroup):
    menu_label = "Content"
    menu_icon = "doc-full-inverse"
    menu_order = 150  # After Pages (100), before Partners (200).
    items = (AssetViewSet, ProgramViewSet, BulletinViewSet, ProductViewSet, LanguageViewSet)
