"""Wagtail admin for search: the editors' synonym list, and the search reports.

* Settings → Search synonyms: the ``Synonym`` snippets, one group of equivalent terms
  each. The form saves through the model's ``full_clean`` (at least two comma-separated
  plain terms, cleaned and de-duplicated); saving or deleting one rebuilds the search
  index in the background (``search.signals``), with no downtime.
* Reports → Search: top queries / Search: no results (``search.reports``), for users with
  the ``search.view_searchquery`` permission, which the group editor offers under
  "Search query".
"""

from django.contrib.auth.models import Permission
from django.urls import include, path

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym
from .reports import PERMISSION, report_menu_items
from .reports import urlpatterns as report_urlpatterns

SYNONYM_HELP = (
    "<p>Each synonym is a group of terms partners use for the same thing, such as product names, "
    "acronyms and old names: a search for any of them finds the others.</p>"
    "<p>Saving rebuilds the search index in the background, without downtime: search keeps answering "
    "from the current index until the new one is ready. "
    "(Synonyms apply to Elasticsearch only, not to the database fallback.)</p>"
)


# --- synonyms, under Settings ------------------------------------------------------------------


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "Search synonyms"
    add_to_settings_menu = True  # beside Wagtail's own search settings (promoted search results, redirects)
    ordering = "terms"
    list_per_page = 50
    list_display = ["terms", "note", DateColumn("updated_at", label="Updated", sort_key="updated_at")]
    search_fields = ["terms", "note"]
    search_backend_name = None  # search the list in the database, not in the index it configures
    edit_handler = ObjectList([HelpPanel(content=SYNONYM_HELP), FieldPanel("terms"), FieldPanel("note")])


register_snippet(SynonymViewSet)


# --- search reports (``search.reports``) --------------------------------------------------------


@hooks.register("register_admin_urls")
def register_search_report_urls():
    # /admin/reports/search/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/search/", include((report_urlpatterns, "search_reports"), namespace="search_reports"))]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_search_report_permission():
    # Django's "view" permission of search queries, so that the group editor offers it.
    app_label, codename = PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
