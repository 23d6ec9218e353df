"""Invitations: a partner admin (or staff) invites a colleague by e-mail, with roles; the colleague accepts.

Services (every write, keyword-only) and selectors (reads) of ``Invitation``. The link's token is
random (256 bits); only its SHA-256 digest is stored, so the plaintext exists in the e-mail alone and
resending makes a new one. Every write sends ``core.signals.identity_event`` (``invitation.sent``,
``invitation.resent``, ``invitation.revoked``, ``invitation.accepted``) for the sign-in audit.

Accepting creates the user (signing in with the invited e-mail and the password they choose) and
their membership with the invited roles, exactly once: the claim is one conditional ``UPDATE``, so of
two requests racing with the same link only one gets a row back.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.signals import identity_event

from .models import Invitation, Partner, PartnerMembership, Role

#: Bytes of randomness in an invitation link's token.
TOKEN_BYTES = 32


class InvitationNotUsable(Exception):
    """The link cannot be used (unknown, expired, revoked or used): ``str(error)`` says why, to its holder."""

    def __init__(self, message: str, *, state: str | None):
        super().__init__(message)
        self.state = state


# --- selectors -------------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link's token belongs to (partner loaded), whatever its state; ``None`` if none."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("partner").filter(token_hash=token_digest(token)).first()


def invitations_of(*, partner: Partner | None = None, state: str | None = None):
    """Invitations (of one partner, or all), newest first, with partner, roles and inviter loaded."""
    invitations = Invitation.objects.select_related("partner", "invited_by").prefetch_related("roles")
    if partner is not None:
        invitations = invitations.filter(partner=partner)
    if state:
        invitations = invitations.in_state(state)
    return invitations


def accept_url(token: str) -> str:
    """The absolute address of the page that accepts an invitation (``PARTNERHUB_PUBLIC_URL``)."""
    return settings.PARTNERHUB_PUBLIC_URL + reverse("accounts:invitation_accept", args=[token])


def why_not_usable(invitation: Invitation | None, *, now=None) -> InvitationNotUsable | None:
    """Why ``invitation`` cannot be accepted now, or ``None`` when it can."""
    if invitation is None:
        return InvitationNotUsable(
            "This invitation link is not valid. Check that you opened the whole link from the latest e-mail.",
            state=None,
        )
    state = invitation.state_at(now)
    partner = invitation.partner
    if state == Invitation.State.ACCEPTED:
        return InvitationNotUsable("This invitation has been accepted already: sign in instead.", state=state)
    if state == Invitation.State.REVOKED:
        return InvitationNotUsable(
            f"This invitation was withdrawn. Ask {partner}'s administrator if you still need access.", state=state
        )
    if state == Invitation.State.EXPIRED:
        return InvitationNotUsable(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %b %Y}. "
            f"Ask {partner}'s administrator to send it again.",
            state=state,
        )
    if not partner.is_active:
        return InvitationNotUsable(f"{partner}'s account is not active; this invitation cannot be used.", state=state)
    return None


# --- services --------------------------------------------------------------------------------


def _normalized_email(email: str) -> str:
    email = BaseUserManager.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": f"{email or 'An empty address'} is not a valid e-mail address."}) from None
    return email


def _refuse_taken_email(email: str) -> None:
    """Refuse an address that has an account already or an invitation awaiting an answer.

    Partner users sign in by e-mail, so an address belongs to one account; neither message names the
    partner it belongs to (a partner admin must not learn who works elsewhere).
    """
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"{email} already has an account: they can sign in with it."})
    if Invitation.objects.open().filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": f"{email} already has an invitation waiting for an answer; resend that one instead."}
        )


def _issue_link(invitation: Invitation, *, now) -> str:
    """Give ``invitation`` a new token (the old link stops working) and a new expiry; return the plaintext."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = token_digest(token)
    invitation.expires_at = now + timedelta(days=settings.PARTNER_INVITATION_DAYS)
    invitation.last_sent_at = now
    return token


def _send(invitation: Invitation, token: str, *, actor, connection=None) -> None:
    context = {
        "invitation": invitation,
        "partner": invitation.partner,
        "inviter": actor.get_full_name() or actor.get_username() if actor else "",
        "url": accept_url(token),
        "roles": [role.name for role in invitation.roles.all()],
        "expires_at": timezone.localtime(invitation.expires_at),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_mail(
        subject=f"You are invited to {invitation.partner} on {settings.WAGTAIL_SITE_NAME}",
        message=render_to_string("partners/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
        connection=connection,
    )


def _event(event: str, invitation: Invitation, *, actor, user=None, request=None) -> None:
    identity_event.send(
        sender=Invitation,
        event=event,
        user=user,
        actor=actor,
        partner=invitation.partner,
        email=invitation.email,
        request=request,
    )


@transaction.atomic
def invitation_create(
    *, partner: Partner, email: str, roles: list[Role], actor, request=None, mail_connection=None
) -> Invitation:
    """Invite ``email`` to ``partner`` with ``roles`` and e-mail them the link (nothing is kept if sending fails).

    ``mail_connection`` is the e-mail backend's connection to send with (the default one unless given).

    Refused (``ValidationError``) for an inactive partner, an invalid address, an address that has an
    account already, or one with an invitation awaiting an answer.
    """
    email = _normalized_email(email)
    if not partner.is_active:
        raise ValidationError(f"{partner} is not active: its users are refused, so nobody can be invited to it.")
    _refuse_taken_email(email)
    now = timezone.now()
    invitation = Invitation(partner=partner, email=email, invited_by=actor, created_at=now)
    token = _issue_link(invitation, now=now)
    invitation.full_clean()
    invitation.save()
    invitation.roles.set(roles)
    _send(invitation, token, actor=actor, connection=mail_connection)
    _event("invitation.sent", invitation, actor=actor, request=request)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor, request=None, mail_connection=None) -> Invitation:
    """Send a pending or expired invitation again, with a new link that works for another
    ``PARTNER_INVITATION_DAYS`` days; the previous link stops working."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(f"This invitation was {invitation.get_state_display().lower()}: it cannot be resent.")
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(f"{invitation.email} has an account already: revoke this invitation.")
    token = _issue_link(invitation, now=timezone.now())
    invitation.full_clean()
    invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at"])
    _send(invitation, token, actor=actor, connection=mail_connection)
    _event("invitation.resent", invitation, actor=actor, request=request)
    return invitation


def invitation_revoke(*, invitation: Invitation, actor, request=None) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working at once."""
    if invitation.accepted_at:
        raise ValidationError("This invitation was accepted already: deactivate the user instead.")
    if invitation.revoked_at:
        raise ValidationError("This invitation was revoked already.")
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation.refresh_from_db()
    if not updated:  # accepted or revoked meanwhile
        raise ValidationError(f"This invitation was {invitation.get_state_display().lower()} meanwhile.")
    _event("invitation.revoked", invitation, actor=actor, request=request)
    return invitation


def _free_username(email: str) -> str:
    User = get_user_model()
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def invitation_accept(*, token: str, password: str, first_name: str, last_name: str, request=None):
    """Accept an invitation: create the user (with ``password``) and their membership with the invited roles.

    Raises ``InvitationNotUsable`` for an unknown, expired, revoked or used link (also when another
    request accepted it a moment earlier) and ``ValidationError`` for a missing name or a password the
    validators refuse (``AUTH_PASSWORD_VALIDATORS``); nothing is written then. Returns the new user.
    """
    invitation = invitation_for_token(token=token)
    if problem := why_not_usable(invitation):
        raise problem
    User = get_user_model()
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors = {}
    if not first_name:
        errors["first_name"] = "Enter your first name."
    if not last_name:
        errors["last_name"] = "Enter your last name."
    candidate = User(username=invitation.email, email=invitation.email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        # The claim: only one request gets the row, whatever others do at the same moment.
        claimed = Invitation.objects.open(now=now).filter(pk=invitation.pk).update(accepted_at=now)
        if not claimed:
            invitation.refresh_from_db()
            raise why_not_usable(invitation, now=now) or InvitationNotUsable(
                "This invitation cannot be used any more.", state=None
            )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError({"email": f"{invitation.email} already has an account: sign in with it instead."})
        user = User(
            username=_free_username(invitation.email),
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            is_active=True,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        membership = PartnerMembership(user=user, partner=invitation.partner)
        membership.full_clean()
        membership.save()
        membership.roles.set(invitation.roles.all())
        Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
    invitation.refresh_from_db()
    password_validation.password_changed(password, user=user)
    _event("invitation.accepted", invitation, actor=user, user=user, request=request)
    return user


def invitations_fulfil(*, user, request=None) -> int:
    """Open invitations to ``user``'s address at ``user``'s partner are accepted by them, their roles added.

    For a user created without the link (just in time by their organisation's single sign-on): the
    invitation is answered, not left pending, and the roles the partner admin chose are theirs too.
    Returns how many were fulfilled.
    """
    membership = PartnerMembership.objects.filter(user=user).first()
    if membership is None or not user.email:
        return 0
    now = timezone.now()
    fulfilled = 0
    for invitation in Invitation.objects.open(now=now).filter(email__iexact=user.email, partner=membership.partner):
        with transaction.atomic():
            claimed = (
                Invitation.objects.open(now=now).filter(pk=invitation.pk).update(accepted_at=now, accepted_user=user)
            )
            if not claimed:
                continue
            membership.roles.add(*invitation.roles.all())
        invitation.refresh_from_db()
        _event("invitation.accepted", invitation, actor=user, user=user, request=request)
        fulfilled += 1
    return fulfilled
