"""Admin of certifications: the certifications themselves and the certificates issued; their log actions."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
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


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are issued, renewed and revoked by the services (audited), never typed in or edited:
    the admin may list and inspect them, whatever Django permissions a user holds."""

    REFUSED = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.REFUSED and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a not in self.REFUSED])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.REFUSED])


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = "Certificates"
    inspect_view_enabled = True
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
