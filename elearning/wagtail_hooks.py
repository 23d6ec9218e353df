"""Registers elearning's admin report with Wagtail: "Learning packages: attempts and results" under Reports.

The report lives in ``elearning.admin.reports`` (the packages' viewsets are registered by courses' "Learning" group).
"""

from django.urls import include, path

from wagtail import hooks

from core.reports import permissions_named

from .admin.reports import PERMISSIONS, report_menu_items
from .admin.reports import urlpatterns as report_urlpatterns


@hooks.register("register_admin_urls")
def register_package_report_urls():
    return [
        path("reports/packages/", include((report_urlpatterns, "elearning_reports"), namespace="elearning_reports"))
    ]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_package_report_permissions():
    # The report's "view" permission, so that the group editor offers it.
    return permissions_named(PERMISSIONS)
