"""Registers the admin of certifications with Wagtail: its menu group, the certificates' permission policy,
the certification reports and the log actions.

The viewsets live in ``certifications.admin.viewsets``, the reports in ``certifications.admin.reports``.
"""

from django.urls import include, path

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from core.reports import permissions_named

from .admin.reports import PERMISSIONS, report_menu_items
from .admin.reports import urlpatterns as report_urlpatterns
from .admin.viewsets import CertificatePermissionPolicy, CertificationsViewSetGroup
from .models import Certificate
from .services import ALERT_ACTION, ISSUE_ACTION, RENEW_ACTION, REVOKE_ACTION

register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))
register_snippet(CertificationsViewSetGroup)


# --- certification reports (``certifications.admin.reports``), under Reports ---------------------


@hooks.register("register_admin_urls")
def register_certification_report_urls():
    return [
        path(
            "reports/certifications/",
            include((report_urlpatterns, "certifications_reports"), namespace="certifications_reports"),
        )
    ]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_certification_permissions():
    # The reports' "view" permissions and revoking, so that the group editor offers them.
    return permissions_named([*PERMISSIONS, "certifications.revoke_certificate"])


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(ISSUE_ACTION, "Issue certificate", "Certificate issued")
    actions.register_action(RENEW_ACTION, "Renew certificate", "Certificate renewed")
    actions.register_action(REVOKE_ACTION, "Revoke certificate", "Certificate revoked")
    actions.register_action(ALERT_ACTION, "Below tier", "Fell below its tier's certification requirements")
