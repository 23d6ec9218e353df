"""Partner admins manage their own people: invitations and users of their partner (``/me/partner/...``).

Only a partner admin (role ``admin``) of an active partner gets answers; anyone else gets 404, as
``/me/partner/compliance`` does. Another partner's invitation or user is 404 too: it does not exist here.
"""

from contextlib import contextmanager
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404

from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import PageNumberPagination

from .. import invitations as inv
from .. import members
from ..models import Invitation, Role
from ..schemas import ErrorOut, InvitationIn, InvitationOut, MemberOut

router = Router(tags=["partner admin"])

ADMINS_ONLY = " Only for users with the `admin` role of their partner; others get 404."
State = Literal["pending", "expired", "accepted", "revoked"]


def administered_partner(request):
    partner = members.partner_administered_by(user=request.auth)
    if partner is None:
        raise Http404
    return partner


@contextmanager
def refused_as_400():
    """A service's ``ValidationError`` becomes a 400 that says why (the service changed nothing)."""
    try:
        yield
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None


def invitation_row(invitation: Invitation) -> dict:
    inviter = invitation.invited_by
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "roles": list(invitation.roles.all()),
        "state": invitation.state,
        "invited_by": (inviter.get_full_name() or inviter.get_username()) if inviter else None,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "last_sent_at": invitation.last_sent_at,
        "accepted_at": invitation.accepted_at,
        "revoked_at": invitation.revoked_at,
    }


def member_row(membership) -> dict:
    user = membership.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "roles": list(membership.roles.all()),
        "is_active": user.is_active,
        "last_login": user.last_login,
        "leaves_on": membership.leaves_on,
    }


def _invitation(request, invitation_id: int) -> Invitation:
    invitation = inv.invitations_of(partner=administered_partner(request)).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


@router.get(
    "/me/partner/invitations",
    url_name="partner_invitations",
    response=list[InvitationOut],
    summary="My partner's invitations, newest first (partner admins)",
    description="Filter with `?state=pending|expired|accepted|revoked`." + ADMINS_ONLY,
)
@paginate(PageNumberPagination)
def list_invitations(request, state: State | None = None):
    return [invitation_row(i) for i in inv.invitations_of(partner=administered_partner(request), state=state)]


@router.post(
    "/me/partner/invitations",
    url_name="partner_invitations",
    response={201: InvitationOut, 400: ErrorOut, 404: ErrorOut},
    summary="Invite a colleague by e-mail, with roles (partner admins)",
    description="E-mails them a link to choose a password; it works for `PARTNER_INVITATION_DAYS` days. "
    "400 for an address that has an account or an open invitation already, or an unknown role." + ADMINS_ONLY,
)
def create_invitation(request, payload: InvitationIn):
    partner = administered_partner(request)
    keys = list(dict.fromkeys(payload.roles))
    roles = list(Role.objects.filter(key__in=keys))
    if unknown := sorted(set(keys) - {role.key for role in roles}):
        raise HttpError(400, f"Unknown role(s): {', '.join(unknown)}.")
    with refused_as_400():
        invitation = inv.invitation_create(
            partner=partner, email=payload.email, roles=roles, actor=request.auth, request=request
        )
    return Status(201, invitation_row(inv.invitations_of().get(pk=invitation.pk)))


@router.post(
    "/me/partner/invitations/{invitation_id}/resend",
    response={200: InvitationOut, 400: ErrorOut, 404: ErrorOut},
    summary="Send an invitation again, with a new link (partner admins)",
    description="For a pending or expired invitation: the previous link stops working." + ADMINS_ONLY,
)
def resend_invitation(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    with refused_as_400():
        inv.invitation_resend(invitation=invitation, actor=request.auth, request=request)
    return invitation_row(invitation)


@router.delete(
    "/me/partner/invitations/{invitation_id}",
    response={200: InvitationOut, 400: ErrorOut, 404: ErrorOut},
    summary="Revoke an invitation (partner admins)",
    description="Its link stops working at once; an accepted invitation cannot be revoked (400)." + ADMINS_ONLY,
)
def revoke_invitation(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    with refused_as_400():
        inv.invitation_revoke(invitation=invitation, actor=request.auth, request=request)
    return invitation_row(invitation)


@router.get(
    "/me/partner/users",
    response=list[MemberOut],
    summary="My partner's users, with roles, whether active and last sign-in (partner admins)",
    description=ADMINS_ONLY.strip(),
)
@paginate(PageNumberPagination)
def list_users(request):
    return [member_row(m) for m in members.members_of(partner=administered_partner(request))]


def _membership(request, user_id: int):
    membership = members.member_of(partner=administered_partner(request), user_id=user_id)
    if membership is None:
        raise Http404
    return membership


@router.post(
    "/me/partner/users/{user_id}/deactivate",
    response={200: MemberOut, 400: ErrorOut, 404: ErrorOut},
    summary="Deactivate one of my partner's users (partner admins)",
    description="They are refused at once: sessions ended, API tokens revoked. Not yourself (400)." + ADMINS_ONLY,
)
def deactivate_user(request, user_id: int):
    membership = _membership(request, user_id)
    with refused_as_400():
        members.member_deactivate(membership=membership, actor=request.auth, request=request)
    return member_row(membership)


@router.post(
    "/me/partner/users/{user_id}/reactivate",
    response={200: MemberOut, 400: ErrorOut, 404: ErrorOut},
    summary="Reactivate one of my partner's users (partner admins)",
    description="They can sign in again (with new API tokens). Not yourself (400)." + ADMINS_ONLY,
)
def reactivate_user(request, user_id: int):
    membership = _membership(request, user_id)
    with refused_as_400():
        members.member_reactivate(membership=membership, actor=request.auth, request=request)
    return member_row(membership)
