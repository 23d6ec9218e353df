"""Registers the admin of partners with Wagtail: the "Partners" menu group (``partners.admin``) and the
invitations' permission policy (resend and revoke, never edit or delete)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin.invitations import InvitationPermissionPolicy
from .admin.viewsets import PartnersViewSetGroup
from .models import Invitation

register_permission_policy(Invitation, InvitationPermissionPolicy(Invitation))


@hooks.register("register_admin_viewset")
def register_partners_viewset_group():
    return PartnersViewSetGroup()
