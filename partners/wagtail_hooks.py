"""Registers the admin of partners with Wagtail: the "Partners" menu group (``partners.admin``), the
invitations' permission policy (resend and revoke, never edit or delete), and lock-out from Wagtail's own
user editor and bulk action (a partner user deactivated there loses their sessions at once)."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail.permissions import policy_registry, register_permission_policy

from core.admin.dashboard import CountSummaryItem

from .admin import lockout
from .admin.invitations import InvitationPermissionPolicy
from .admin.reach import audience_reach_view
from .admin.viewsets import PartnersViewSetGroup
from .models import Invitation, Partner, PartnerMembership

register_permission_policy(Invitation, InvitationPermissionPolicy(Invitation))


@hooks.register("register_admin_viewset")
def register_partners_viewset_group():
    return PartnersViewSetGroup()


# A partner user deactivated in Wagtail's own user editor or bulk action loses their sessions at once.
hooks.register("before_edit_user", lockout.remember_whether_the_user_was_active)
hooks.register("after_edit_user", lockout.end_access_of_a_deactivated_partner_user)
hooks.register("after_bulk_action", lockout.end_access_of_partner_users_deactivated_in_bulk)


@hooks.register("construct_homepage_summary_items")
def add_partner_figures(request, items):
    """The dashboard's summary line: active partners and their current users, for staff who may list them."""

    def may_view(model):
        return policy_registry.get_by_type(model).user_has_any_permission(request.user, ["view", "change"])

    active_members = PartnerMembership.objects.current().filter(user__is_active=True, partner__is_active=True)
    items += [
        CountSummaryItem(
            request,
            name="partners",
            order=300,
            icon="group",
            label="active partners",
            count=Partner.objects.active().count,
            url=reverse("partners:index"),
            shown=may_view(Partner),
        ),
        CountSummaryItem(
            request,
            name="partner_users",
            order=310,
            icon="user",
            label="partner users",
            count=active_members.count,
            url=reverse("partner_users:index"),
            shown=may_view(PartnerMembership),
        ),
    ]


# --- the audience tab's live reach (``partners.admin.reach``) -----------------------------------------


@hooks.register("register_admin_urls")
def register_audience_reach_url():
    return [path("partners/audience-reach/", audience_reach_view, name="partners_audience_reach")]


@hooks.register("insert_editor_js")
def audience_reach_script():
    return format_html('<script src="{}" defer></script>', static("partners/admin/audience_reach.js"))
