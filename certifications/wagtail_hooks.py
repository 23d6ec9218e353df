"""Admin of certifications: the certifications themselves and the certificates issued; their log actions."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.wagtail_hooks import GatedContentViewSet, gated_content_columns

from .models import Certificate, Certification, TierRequirement
from .services import ISSUE_ACTION, RENEW_ACTION, REVOKE_ACTION


class CertificationViewSet(GatedContentViewSet):
    model = Certification
    icon = "success"
    menu_label = "Certifications"
    list_display = ["title", "validity_months", *gated_content_columns()]
    export_filename = "certifications"


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = "Certificates"
    list_display = ["certification", "user", "partner", "issued_at", "expires_at", Column("status", label="Status")]
    list_filter = ["certification"]
    ordering = ["-issued_at"]


class TierRequirementViewSet(SnippetViewSet):
    model = TierRequirement
    icon = "group"
    menu_label = "Tier requirements"
    list_display = ["tier", "certification", "minimum_holders"]
    list_filter = ["tier"]


class CertificationsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Certifications"
    menu_icon = "success"
    menu_order = 220
    items = (CertificationViewSet, CertificateViewSet, TierRequirementViewSet)


register_snippet(CertificationsViewSetGroup)


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(ISSUE_ACTION, "Issue certificate", "Certificate issued")
    actions.register_action(RENEW_ACTION, "Renew certificate", "Certificate renewed")
    actions.register_action(REVOKE_ACTION, "Revoke certificate", "Certificate revoked")
