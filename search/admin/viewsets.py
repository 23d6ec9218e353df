"""Settings → Search synonyms: the ``Synonym`` snippets, one group of equivalent terms each.

The form saves through the model's ``full_clean`` (at least two comma-separated plain
terms, cleaned and de-duplicated); saving or deleting one rebuilds the search index in the
background (``search.signals``), with no downtime.
"""

from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import Synonym

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
