"""The "Certifications" menu group: the certifications, the certificates issued (revocable), tier requirements.

Certifications get the listing and lifecycle of every gated content (``cms.gating.admin``).
Certificates are issued, renewed and revoked by the services, never typed in or edited:
``CertificatePermissionPolicy`` (registered by ``certifications.wagtail_hooks``) refuses it.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet, SnippetViewSetGroup

from certifications.models import Certificate, Certification, TierRequirement
from certifications.views import CertificateRevokeView
from cms.gating.admin import GatedContentViewSet, gated_content_columns
from cms.gating.filters import GatedContentFilterSet


class CertificationFilterSet(GatedContentFilterSet):
    class Meta:
        model = Certification
        fields = []


class CertificationViewSet(GatedContentViewSet):
    model = Certification
    icon = "success"
    menu_label = "Certifications"
    filterset_class = CertificationFilterSet
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


def _revoke_button(view, certificate, button_class):
    if (
        certificate.revoked_at
        or certificate.superseded_at
        or not view.permission_policy.user_has_permission(view.request.user, "revoke")
    ):
        return None
    url = reverse(Certificate.snippet_viewset.get_url_name("revoke"), args=[certificate.pk])
    return button_class("Revoke", url=url, icon_name="cross", priority=30)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("certification", "user", "partner")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if revoke := _revoke_button(self, instance, ListingButton):
            buttons.append(revoke)
        return buttons


class CertificateInspectView(InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if revoke := _revoke_button(self, self.object, Button):
            buttons.append(revoke)
        return buttons


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = "Certificates"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "user",
        "certification",
        "partner",
        "certification_revision",
        "issued_at",
        "expires_at",
        "verification_code",
        "renewed_from",
        "earned_by",
        "superseded_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ]
    list_display = [
        "certification",
        "user",
        "partner",
        "issued_at",
        "expires_at",
        Column("earned_by", label="Earned by", accessor="get_earned_by_display"),
        Column("status", label="Status", accessor="status_label"),
    ]
    list_filter = ["certification", "partner", "earned_by"]
    search_fields = ["user__username", "user__email", "user__last_name", "verification_code"]
    search_backend_name = None
    ordering = ["-issued_at"]
    export_headings = {"status_label": "Status", "get_earned_by_display": "Earned by"}
    list_export = [
        "certification",
        "user",
        "partner",
        "issued_at",
        "expires_at",
        "get_earned_by_display",
        "status_label",
        "revoked_at",
        "revocation_reason",
        "verification_code",
    ]

    @property
    def revoke_view(self):
        return self.construct_view(
            CertificateRevokeView,
            index_url_name=self.get_url_name("list"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("revoke/<int:pk>/", self.revoke_view, name="revoke")]


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
