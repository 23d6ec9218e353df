"""Registers the admin of partners with Wagtail: the "Partners" menu group (``partners.admin``), the
invitations' permission policy (resend and revoke, never edit or delete), and lock-out from Wagtail's own
user editor and bulk action (a partner user deactivated there loses their sessions at once)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import lockout
from .admin.invitations import InvitationPermissionPolicy
from .admin.viewsets import PartnersViewSetGroup
from .models import Invitation

register_permission_policy(Invitation, InvitationPermissionPolicy(Invitation))


@hooks.register("register_admin_viewset")
def register_partners_viewset_group():
    return PartnersViewSetGroup()


# A partner user deactivated in Wagtail's own user editor or bulk action loses their sessions at once.
hooks.register("before_edit_user", lockout.remember_whether_the_user_was_active)
hooks.register("after_edit_user", lockout.end_access_of_a_deactivated_partner_user)
hooks.register("after_bulk_action", lockout.end_access_of_partner_users_deactivated_in_bulk)
