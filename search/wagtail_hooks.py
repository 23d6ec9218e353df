"""Registers the admin of search with Wagtail: the editors' synonym list, and the search reports.

* Settings → Search synonyms (``search.admin.viewsets``).
* Reports → Search: top queries / Search: no results (``search.admin.reports``), for users with
  the ``search.view_searchquery`` permission, which the group editor offers under
  "Search query".
"""

from django.urls import include, path

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from core.reports import permissions_named

from .admin.reports import PERMISSION, report_menu_items
from .admin.reports import urlpatterns as report_urlpatterns
from .admin.viewsets import SynonymViewSet

register_snippet(SynonymViewSet)


# --- search reports (``search.admin.reports``) ---------------------------------------------------


@hooks.register("register_admin_urls")
def register_search_report_urls():
    # /admin/reports/search/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/search/", include((report_urlpatterns, "search_reports"), namespace="search_reports"))]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_search_report_permission():
    # Django's "view" permission of search queries, so that the group editor offers it.
    return permissions_named([PERMISSION])
