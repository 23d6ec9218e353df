"""Registers the admin of accounts with Wagtail: the sign-in audit report, single sign-on connections, and
resetting a user's MFA.

* Settings → Single sign-on (``accounts.admin.sso``): each partner's identity provider and the vendor's.
* Reports → Sign-ins (``accounts.admin.reports``), for superusers and users with the
  ``accounts.view_signinevent`` permission, which the group editor offers under "Sign-in event".
* Settings → Users: "Reset two-factor authentication" in a user's "More" menu (``accounts.admin.mfa``), for
  whoever may change users.
"""

from django.urls import include, path

from wagtail import hooks

from core.reports import permissions_named

from .admin import mfa as mfa_admin
from .admin.reports import PERMISSION, report_menu_items
from .admin.reports import urlpatterns as report_urlpatterns
from .admin.sso import SSOConnectionViewSet


@hooks.register("register_admin_urls")
def register_accounts_report_urls():
    # /admin/reports/accounts/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/accounts/", include((report_urlpatterns, "accounts_reports"), namespace="accounts_reports"))]


@hooks.register("register_admin_urls")
def register_mfa_reset_urls():
    return mfa_admin.urlpatterns


hooks.register("register_user_listing_buttons", mfa_admin.user_listing_buttons)


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_sign_in_audit_permission():
    # Django's "view" permission of sign-in events, so that the group editor offers it.
    return permissions_named([PERMISSION])


@hooks.register("register_admin_viewset")
def register_sso_connection_viewset():
    return SSOConnectionViewSet("sso_connections")
