"""Partner API routes of accounts: a partner admin's view of their own partner's sign-in audit.

``GET me/partner/sign-ins`` lists the events of the caller's partner (its partner when they
happened), newest first, paginated, optionally of one ``event`` and between the days ``from``
and ``to`` (both included). Only for users with the ``admin`` role of their partner; others
get 404, as for ``me/partner/compliance``. Another partner's events are never listed, nor
failures for unknown e-mail addresses, nor which administrator of the vendor acted.
"""

from datetime import date, datetime

from django.http import Http404

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import PageNumberPagination
from partners.members import partner_administered_by

from .. import selectors
from ..models import SignInEventType, SignInMethod

router = Router(tags=["accounts"])

ADMINISTRATOR = "An administrator"


class ErrorOut(Schema):
    detail: str


class SignInEventOut(Schema):
    id: int
    at: datetime
    event: SignInEventType
    event_label: str = Field(description="The event in words, e.g. “Sign-in failed”.")
    user_id: int | None = Field(description="Who it is about; null when the account no longer exists.")
    email: str = Field(description="Their e-mail address then (for a failure: as typed).")
    name: str = Field(description="Their name now; empty when the account no longer exists.")
    method: SignInMethod | None = Field(description="How they signed in, when that applies.")
    ip_address: str | None = Field(description="The client's address as this service saw it.")
    user_agent: str
    detail: str
    actor: str | None = Field(
        description="Who did it when it was someone else: a colleague's e-mail address, or “An administrator”."
    )

    @staticmethod
    def resolve_event_label(row) -> str:
        return row.get_event_display()

    @staticmethod
    def resolve_email(row) -> str:
        return row.identifier

    @staticmethod
    def resolve_name(row) -> str:
        return row.user.get_full_name() if row.user else ""

    @staticmethod
    def resolve_method(row) -> str | None:
        return row.method or None

    @staticmethod
    def resolve_actor(row) -> str | None:
        if row.actor is None:
            return None
        membership = getattr(row.actor, "partner_membership", None)  # loaded with the row; None for staff
        if membership is not None and membership.partner_id == row.partner_id:
            return row.actor.email or row.actor.get_username()
        return ADMINISTRATOR


class SignInFilters(Schema):
    event: SignInEventType | None = Field(None, description="Only this event.")
    since: date | None = Field(None, alias="from", description="First day (included), in the service's time zone.")
    until: date | None = Field(None, alias="to", description="Last day (included).")


@router.get(
    "/me/partner/sign-ins",
    response={200: list[SignInEventOut], 400: ErrorOut, 404: ErrorOut},
    summary="My partner's sign-in audit (partner admins)",
    description="Sign-ins, failures, lock-outs, SSO errors, MFA changes, invitations and revoked access of my "
    "partner's users, newest first. Filter by `event` and by the days `from` and `to` (both included). Only for "
    "users with the `admin` role of their partner; others get 404.",
)
@paginate(PageNumberPagination)
def partner_sign_ins(request, filters: Query[SignInFilters]):
    partner = partner_administered_by(user=request.auth)
    if partner is None:
        raise Http404
    if filters.since and filters.until and filters.since > filters.until:
        raise HttpError(400, "`from` is after `to`.")
    return selectors.sign_in_events_of_partner(
        partner=partner, event=filters.event, since=filters.since, until=filters.until
    )
