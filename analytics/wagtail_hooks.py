"""Registers analytics with Wagtail's admin: the engagement dashboard, partner scorecards and content performance.

``wagtail_hooks.py`` only registers; the views live in ``analytics.admin``.
"""

from django.urls import include, path

from wagtail import hooks

from core.reports import permissions_named

from .admin.content import PERMISSION as CONTENT_PERMISSION
from .admin.content import report_menu_item as content_menu_item
from .admin.content import urlpatterns as content_urlpatterns

# --- engagement dashboard (analytics.admin.engagement) ------------------------------------------------


# --- partner scorecards (analytics.admin.scorecards) ---------------------------------------------------


# --- content performance (analytics.admin.content) -----------------------------------------------------


@hooks.register("register_admin_urls")
def register_content_performance_urls():
    # /admin/reports/content-performance/…: Wagtail's own reports include stops at its own routes and lets these
    # through.
    return [
        path(
            "reports/content-performance/",
            include((content_urlpatterns, "analytics_content"), namespace="analytics_content"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_content_performance_menu_item():
    return content_menu_item()


@hooks.register("register_permissions")
def register_content_performance_permission():
    # analytics.view_dailycontentactivity (migration 0004), so that the group editor offers it.
    return permissions_named([CONTENT_PERMISSION])
