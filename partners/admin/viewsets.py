"""Wagtail admin for partners: organisations, partner users and the audience reference data.

Everything sits in one "Partners" menu group (registered by ``partners.wagtail_hooks``).
The views are Wagtail's generic ``ModelViewSet`` views, so every create, edit and delete is
written to the audit log and shows up in each object's history. Forms come from the models'
``panels``.
"""

from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.text import capfirst

from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from partners.admin.invitations import InvitationViewSet
from partners.models import Partner, PartnerMembership, PartnerType, Region, Role, Tier
from partners.services import partner_access_changed


class PartnerIndexView(generic.IndexView):
    """The partner listing, with each partner's member count annotated for display, sorting and export."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("tier", "partner_type", "region", "channel_manager")
            .with_member_count()
        )


class PartnerEditView(generic.EditView):
    """Deactivating a partner in its form ends its users' sessions at once, as the services do."""

    def save_instance(self):
        was_active = Partner.objects.filter(pk=self.object.pk).values_list("is_active", flat=True).first()
        partner = super().save_instance()
        partner_access_changed(partner=partner, was_active=was_active, actor=self.request.user)
        return partner


class PartnerViewSet(ModelViewSet):
    model = Partner
    edit_view_class = PartnerEditView
    name = "partners"
    icon = "group"
    index_view_class = PartnerIndexView
    ordering = "name"
    list_display = [
        "name",
        "tier",
        "partner_type",
        "region",
        StatusTagColumn(
            "is_active",
            accessor=lambda partner: "Active" if partner.is_active else "Inactive",
            primary=lambda partner: partner.is_active,
            label="Status",
            sort_key="is_active",
        ),
        Column("member_count", label="Members", sort_key="member_count"),
    ]
    list_filter = ["tier", "partner_type", "region", "channel_manager", "is_active"]
    search_fields = ["name", "key"]
    list_export = ["name", "key", "tier", "partner_type", "region", "channel_manager", "is_active", "member_count"]
    export_headings = {
        "partner_type": "Partner type",
        "channel_manager": "Channel manager",
        "is_active": "Active",
        "member_count": "Members",
    }
    export_filename = "partners"


class PartnerUserIndexView(generic.IndexView):
    """The partner user listing; users, partners and roles are loaded with the page of results."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "partner").prefetch_related("roles")

    @cached_property
    def columns(self):
        columns = super().columns
        # The title column shows the username; sort by it rather than by user id.
        columns[0].sort_key = "user__username"
        return columns


class PartnerUserViewSet(ModelViewSet):
    model = PartnerMembership
    name = "partner_users"
    url_prefix = "partners/users"
    icon = "user"
    index_view_class = PartnerUserIndexView
    # A user belongs to one partner only, so a copy could never be saved.
    copy_view_enabled = False
    ordering = ["partner__name", "user__username"]
    list_display = [
        "user",
        Column("email", accessor="user.email", label="Email", sort_key="user__email"),
        "partner",
        Column(
            "roles",
            accessor=lambda membership: ", ".join(role.name for role in membership.roles.all()),
            label="Roles",
        ),
        BooleanColumn("user_is_active", accessor="user.is_active", label="Active user", sort_key="user__is_active"),
    ]
    list_filter = ["partner__tier", "roles", "partner"]
    search_fields = ["user__username", "user__email", "partner__name"]


class KeyedModelDeleteView(generic.DeleteView):
    """Refuses, with a message, to delete reference data that partners or content still use.

    Wagtail already refuses when its reference index knows about the use; this
    also covers rows the index has not seen (saved while it was not listening).
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError as error:
            in_use = sorted(str(obj) for obj in error.protected_objects)
            shown = ", ".join(in_use[:5]) + (f" and {len(in_use) - 5} more" if len(in_use) > 5 else "")
            messages.error(
                self.request,
                f"{capfirst(self.object._meta.verbose_name)} '{self.object}' cannot be deleted: "
                f"it is still used by {shown}.",
            )
            return redirect(self.get_success_url())


class KeyedModelViewSet(ModelViewSet):
    """Reference data (``KeyedModel``): listed and searched by name and key."""

    delete_view_class = KeyedModelDeleteView
    list_display = ["name", "key"]
    search_fields = ["name", "key"]
    ordering = "name"


class TierViewSet(KeyedModelViewSet):
    model = Tier
    name = "partner_tiers"
    url_prefix = "partners/tiers"
    icon = "list-ol"
    list_display = ["name", "rank", "key"]
    ordering = "rank"


class PartnerTypeViewSet(KeyedModelViewSet):
    model = PartnerType
    name = "partner_types"
    url_prefix = "partners/types"
    icon = "tag"


class RegionViewSet(KeyedModelViewSet):
    model = Region
    name = "partner_regions"
    url_prefix = "partners/regions"
    icon = "globe"


class RoleViewSet(KeyedModelViewSet):
    model = Role
    name = "partner_roles"
    url_prefix = "partners/roles"
    icon = "clipboard-list"


class PartnersViewSetGroup(ModelViewSetGroup):
    menu_label = "Partners"
    menu_icon = "group"
    menu_order = 200  # After Pages (100), before Images (300).
    items = (
        PartnerViewSet,
        PartnerUserViewSet,
        InvitationViewSet,
        TierViewSet,
        PartnerTypeViewSet,
        RegionViewSet,
        RoleViewSet,
    )
