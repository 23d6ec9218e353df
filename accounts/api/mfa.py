"""Partner API route of accounts: a partner admin resets the two-factor authentication of their own partner's user.

``POST me/partner/users/{user_id}/mfa/reset`` deletes the user's authenticators (``accounts.mfa.services``) and
records ``MFA_RESET`` with the partner admin as the actor. Only for users with the ``admin`` role of their
partner; others get 404, and so does another partner's user (as for the other ``me/partner/users`` routes).
Not their own (400): a partner admin's second factor is reset by another admin or the vendor, never by whoever
holds their session or token.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from ninja import Router, Schema
from ninja.errors import HttpError

from partners.members import member_of, partner_administered_by

from ..mfa.policy import mfa_required_for
from ..mfa.services import mfa_reset

router = Router(tags=["partner admin"])


class ErrorOut(Schema):
    detail: str


class MfaResetOut(Schema):
    user_id: int
    removed: int
    required: bool


@router.post(
    "/me/partner/users/{user_id}/mfa/reset",
    response={200: MfaResetOut, 400: ErrorOut, 404: ErrorOut},
    summary="Reset the two-factor authentication of one of my partner's users (partner admins)",
    description="Removes their authenticator app and recovery codes: they sign in with their password (or SSO) "
    "alone, and set up a new authenticator at once when their partner requires one (`required`). Recorded in the "
    "sign-in audit. Not yourself, and not someone without two-factor authentication (400). Only for users with "
    "the `admin` role of their partner; others get 404, and so does another partner's user.",
)
def reset_member_mfa(request, user_id: int):
    partner = partner_administered_by(user=request.auth)
    membership = member_of(partner=partner, user_id=user_id) if partner is not None else None
    if membership is None:
        raise Http404
    if membership.user_id == request.auth.pk:
        raise HttpError(400, "You cannot reset your own two-factor authentication; ask another administrator.")
    try:
        removed = mfa_reset(user=membership.user, actor=request.auth, request=request)
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return {"user_id": membership.user_id, "removed": removed, "required": mfa_required_for(membership.user)}
