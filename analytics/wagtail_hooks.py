"""Registers analytics with Wagtail's admin: the engagement dashboard, partner scorecards and content performance.

``wagtail_hooks.py`` only registers; the views live in ``analytics.admin``.
"""

from django.urls import include, path

from wagtail import hooks

from core.reports import permissions_named

from .admin.scorecards import PERMISSION as SCORECARD_PERMISSION
from .admin.scorecards import report_menu_items as scorecard_menu_items
from .admin.scorecards import urlpatterns as scorecard_urlpatterns

# --- engagement dashboard (analytics.admin.engagement) ------------------------------------------------


# --- partner scorecards (analytics.admin.scorecards) ---------------------------------------------------


@hooks.register("register_admin_urls")
def register_scorecard_urls():
    # /admin/reports/scorecards/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [
        path(
            "reports/scorecards/",
            include((scorecard_urlpatterns, "scorecards_reports"), namespace="scorecards_reports"),
        )
    ]


for _menu_item in scorecard_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_scorecard_permission():
    # The scorecards' "view" permission (migration 0003), so that the group editor offers it.
    return permissions_named([SCORECARD_PERMISSION])


# --- content performance (analytics.admin.content) -----------------------------------------------------
