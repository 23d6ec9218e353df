"""Registers analytics with Wagtail's admin: the engagement dashboard, partner scorecards and content performance.

``wagtail_hooks.py`` only registers; the views live in ``analytics.admin``.
"""

from django.urls import include, path

from wagtail import hooks

from core.reports import permissions_named

from .admin import content, engagement, scorecards

# --- engagement dashboard (analytics.admin.engagement) ------------------------------------------------


@hooks.register("register_admin_urls")
def register_engagement_urls():
    # /admin/reports/engagement/: Wagtail's own reports include stops at its own routes and lets this through.
    return [
        path(
            "reports/engagement/",
            include((engagement.urlpatterns, "analytics_engagement"), namespace="analytics_engagement"),
        )
    ]


hooks.register("register_reports_menu_item", engagement.engagement_menu_item)


@hooks.register("register_permissions")
def register_engagement_permission():
    # analytics.view_engagement, so that the group editor offers it (under "Daily partner activity").
    return permissions_named([engagement.PERMISSION])


@hooks.register("construct_homepage_panels")
def add_engagement_panel(request, panels):
    panel = engagement.EngagementPanel(request)
    if panel.is_shown():
        panels.append(panel)


# --- partner scorecards (analytics.admin.scorecards) ---------------------------------------------------


@hooks.register("register_admin_urls")
def register_scorecard_urls():
    # /admin/reports/scorecards/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [
        path(
            "reports/scorecards/",
            include((scorecards.urlpatterns, "analytics_scorecards"), namespace="analytics_scorecards"),
        )
    ]


for _menu_item in scorecards.report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_scorecard_permission():
    # The scorecards' "view" permission (migration 0005), so that the group editor offers it.
    return permissions_named([scorecards.PERMISSION])


# --- content performance (analytics.admin.content) -----------------------------------------------------


@hooks.register("register_admin_urls")
def register_content_performance_urls():
    # /admin/reports/content-performance/…: Wagtail's own reports include stops at its own routes and lets these
    # through.
    return [
        path(
            "reports/content-performance/",
            include((content.urlpatterns, "analytics_content"), namespace="analytics_content"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_content_performance_menu_item():
    return content.report_menu_item()


@hooks.register("register_permissions")
def register_content_performance_permission():
    # analytics.view_dailycontentactivity (migration 0004), so that the group editor offers it.
    return permissions_named([content.PERMISSION])
