"""Partner admins manage their own people: who administers which partner, its members, (de)activating them.

Selectors and services for the partner admin's API (``partners.api.people``) and the portal's "My team". A
partner admin holds the role ``PARTNER_ADMIN_ROLE`` at an active partner and is a current, active member there.
Deactivating a user revokes their API tokens too, then goes through ``partner_user_set_active`` (identity ends
their sessions on ``core.signals.access_revoked``; the audit records both directions). Changing a member's
roles (``member_roles_set``) never leaves a partner without an administrator.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wagtail.log_actions import log

from .models import PARTNER_ADMIN_ROLE, Partner, PartnerMembership, Role
from .services import api_tokens_revoke, partner_user_set_active

# --- selectors -------------------------------------------------------------------------------


def partner_administered_by(*, user) -> Partner | None:
    """The active partner of which ``user`` is a current partner admin (role ``admin``); ``None`` otherwise."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership = (
        PartnerMembership.objects.current()
        .filter(user_id=user.pk, roles__key=PARTNER_ADMIN_ROLE, partner__is_active=True)
        .select_related("partner")
        .first()
    )
    return membership.partner if membership else None


def members_of(*, partner: Partner):
    """The partner's members (active or not), by name, with user and roles loaded (two queries)."""
    return (
        PartnerMembership.objects.filter(partner=partner)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def member_of(*, partner: Partner, user_id: int) -> PartnerMembership | None:
    """The membership of user ``user_id`` at ``partner``; ``None`` for anyone else's user."""
    return members_of(partner=partner).filter(user_id=user_id).first()


# --- services --------------------------------------------------------------------------------


def _set_active(*, membership: PartnerMembership, is_active: bool, actor, request=None):
    user = membership.user
    if actor is not None and user.pk == actor.pk:
        raise ValidationError("You cannot deactivate or reactivate yourself; ask another administrator.")
    if not is_active:
        api_tokens_revoke(user=user)  # refused already while inactive; gone for good if reactivated
    return partner_user_set_active(user=user, active=is_active, actor=actor, request=request)


def member_deactivate(*, membership: PartnerMembership, actor, request=None):
    """Lock a partner user out at once: refused on their next request, sessions ended (``access_revoked``)."""
    return _set_active(membership=membership, is_active=False, actor=actor, request=request)


def member_reactivate(*, membership: PartnerMembership, actor, request=None):
    """Let a deactivated partner user in again (with new tokens: deactivating revoked their old ones)."""
    return _set_active(membership=membership, is_active=True, actor=actor, request=request)


def member_roles_refusal(*, membership: PartnerMembership, roles: list[Role], actor) -> str | None:
    """Why ``member_roles_set`` would refuse to give ``membership`` exactly ``roles``; ``None`` when it would not.

    A partner admin cannot take the admin role from themselves (another administrator must), and the last
    active administrator of a partner keeps it.
    """
    if any(role.key == PARTNER_ADMIN_ROLE for role in roles):
        return None
    if not membership.roles.filter(key=PARTNER_ADMIN_ROLE).exists():
        return None
    if actor is not None and membership.user_id == actor.pk:
        return gettext("You cannot remove your own admin role; ask another administrator.")
    other_admins = (
        PartnerMembership.objects.current()
        .filter(partner_id=membership.partner_id, roles__key=PARTNER_ADMIN_ROLE, user__is_active=True)
        .exclude(pk=membership.pk)
    )
    if not other_admins.exists():
        return gettext("This is the partner's last administrator: make someone else an administrator first.")
    return None


@transaction.atomic
def member_roles_set(*, membership: PartnerMembership, roles: list[Role], actor) -> tuple[PartnerMembership, bool]:
    """Give a member of a partner exactly ``roles`` (a partner admin's change); returns (membership, changed).

    Refused with ``ValidationError`` (nothing changed) when ``member_roles_refusal`` says why. A change is
    recorded in the membership's history (Wagtail's log: who, and the roles now held).
    """
    if reason := member_roles_refusal(membership=membership, roles=roles, actor=actor):
        raise ValidationError(reason)
    wanted = {role.pk for role in roles}
    if set(membership.roles.values_list("pk", flat=True)) == wanted:
        return membership, False
    membership.roles.set(sorted(wanted))
    log(membership, "wagtail.edit", user=actor, data={"roles": sorted(role.key for role in roles)})
    return membership, True


def member_roles_sync(*, user, partner: Partner, roles, managed_roles) -> tuple[PartnerMembership, bool]:
    """Make ``user`` hold ``roles`` at ``partner``, among ``managed_roles`` (an IdP's group mapping).

    Roles outside ``managed_roles`` are kept as they are (a partner admin gave them); a user without a
    membership (created just now by single sign-on) becomes a member. A member of another partner is
    refused with ``ValidationError``: nobody moves partners by signing in. Returns (membership, changed).
    """
    membership = PartnerMembership.objects.filter(user=user).first()
    changed = False
    if membership is None:
        membership = PartnerMembership(user=user, partner=partner)
        membership.full_clean()
        membership.save()
        changed = True
    elif membership.partner_id != partner.pk:
        raise ValidationError("This user belongs to another partner.")
    managed = {role.pk for role in managed_roles}
    held = set(membership.roles.values_list("pk", flat=True))
    wanted = (held - managed) | {role.pk for role in roles}
    if wanted != held:
        membership.roles.set(sorted(wanted))
        changed = True
    return membership, changed
