"""Receivers of accounts, connected by ``connect()`` from ``AccountsConfig.ready()``.

Sessions: every sign-in is tracked per user, and ``core.signals.access_revoked`` ends the
users' sessions at once (``accounts.sessions``).

The sign-in audit:

* Django's ``user_logged_in`` (any sign-in: the admin's, allauth's, SSO's), ``user_logged_out``
  and ``user_login_failed`` (a password refused: wrong, unknown account, deactivated);
* django-axes' ``user_locked_out``: a sign-in refused because that account failed too often
  from that address. The failure that tripped the lock, or the refused attempt, is one
  line "Locked out", not a failure and a lock-out;
* ``core.signals.identity_event`` (SSO errors, MFA changes, invitations, password resets:
  sent by the apps that do them, with one of ``SignInEventType``'s values as ``event``);
* ``core.signals.access_revoked``: a user or a partner deactivated, a member past their last
  day: one line per user, with why (from the sender: the user model, ``Partner`` or
  ``PartnerMembership``) and who did it.

Every receiver records through ``accounts.audit`` and never raises: the audit never stands in
the way of a sign-in.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q

from axes.signals import user_locked_out

from core.signals import access_revoked, identity_event
from partners.models import Partner, PartnerMembership

from .addresses import known_address_adopt
from .audit import sign_in_event_change, sign_in_event_record, sign_in_events_record_many
from .models import SignInEventType, SignInMethod
from .sessions import session_track, sessions_end

logger = logging.getLogger(__name__)

#: allauth's log of how this session authenticated (``allauth.account.internal.flows.login``).
ALLAUTH_METHODS_SESSION_KEY = "account_authentication_methods"
#: Credentials that name the account (never the secret ones: Django has masked those anyway).
IDENTIFIER_KEYS = ("email", "username", "login")
PASSWORD_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
}
ALLAUTH_METHODS = {"password": SignInMethod.PASSWORD, "code": SignInMethod.CODE, "passkey": SignInMethod.PASSKEY}
REQUEST_ATTRIBUTE = "sign_in_audit_row"  # the line this request recorded, for the lock-out to take over


def sign_in_method(request, user) -> tuple[str, str]:
    """How ``user`` just signed in (a ``SignInMethod``) and a detail (the SSO provider, the second factor)."""
    session = getattr(request, "session", None)
    methods = session.get(ALLAUTH_METHODS_SESSION_KEY, []) if session is not None else []
    details = []
    method = ""
    for record in methods if isinstance(methods, list) else []:
        kind = record.get("method") if isinstance(record, dict) else None
        if kind == "socialaccount":
            method = SignInMethod.SSO
            details.append(f"via {record.get('provider', 'an identity provider')}")
        elif kind == "mfa":
            details.append(f"second factor: {str(record.get('type', '')).upper() or 'MFA'}")
        elif kind in ALLAUTH_METHODS and not method:
            method = ALLAUTH_METHODS[kind]
    if not method and getattr(user, "backend", None) in PASSWORD_BACKENDS:
        method = SignInMethod.PASSWORD
    return method, ", ".join(details)


def record_sign_in(sender, request, user, **kwargs):
    method, detail = sign_in_method(request, user)
    sign_in_event_record(
        event=SignInEventType.SIGN_IN_SUCCEEDED, request=request, user=user, method=method, detail=detail
    )


def record_sign_out(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated:
        return  # signing out without being signed in: nothing happened
    sign_in_event_record(event=SignInEventType.SIGNED_OUT, request=request, user=user)


def identifier_of(credentials) -> str:
    for key in IDENTIFIER_KEYS:
        value = (credentials or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def account_named(identifier: str):
    """The one user whose username or e-mail address is ``identifier``; ``None`` for none or several."""
    if not identifier:
        return None
    users = list(
        get_user_model().objects.filter(Q(username=identifier) | Q(email__iexact=identifier)).order_by("pk")[:2]
    )
    return users[0] if len(users) == 1 else None


def record_failure(sender, credentials, request=None, **kwargs):
    # A password checked without a request (a shell, Client.login) is no sign-in from anywhere.
    if request is None or getattr(request, REQUEST_ATTRIBUTE, None) is not None:
        return  # ...and a locked-out attempt is already recorded as such
    try:
        identifier = identifier_of(credentials)
        user = account_named(identifier)
    except Exception:
        logger.exception("Could not look up the account of a failed sign-in")
        identifier, user = "", None
    if user is None:
        detail = "Unknown account" if identifier else "No account given"
    elif not user.is_active:
        detail = "Account deactivated"
    else:
        detail = "Wrong password"
    row = sign_in_event_record(
        event=SignInEventType.SIGN_IN_FAILED,
        request=request,
        user=user,
        identifier=identifier,
        method=SignInMethod.PASSWORD if "password" in (credentials or {}) else "",
        detail=detail,
    )
    setattr(request, REQUEST_ATTRIBUTE, row)


def lockout_detail() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    wait = f" for {minutes} minutes" if minutes else ""
    return f"Too many failed sign-ins for this account from this address: refused{wait}"


def record_lockout(sender, request=None, username=None, **kwargs):
    row = getattr(request, REQUEST_ATTRIBUTE, None) if request is not None else None
    if row is not None:  # the failure of this very request: it is the lock-out
        sign_in_event_change(row=row, event=SignInEventType.LOCKED_OUT, detail=lockout_detail())
        return
    identifier = username or ""
    try:
        user = account_named(identifier)
    except Exception:
        logger.exception("Could not look up the account of a lock-out")
        user = None
    row = sign_in_event_record(
        event=SignInEventType.LOCKED_OUT, request=request, user=user, identifier=identifier, detail=lockout_detail()
    )
    if request is not None:
        setattr(request, REQUEST_ATTRIBUTE, row)


_UNSET = object()


def record_identity_event(
    sender, event, user=None, actor=None, partner=_UNSET, email="", request=None, method="", detail="", **kwargs
):
    options = {} if partner is _UNSET else {"partner": partner}
    sign_in_event_record(
        event=event,
        request=request,
        user=user,
        identifier=email or "",
        actor=actor,
        method=method,
        detail=detail,
        **options,
    )


def revocation_reason(sender) -> str:
    if sender is Partner:
        return "Partner deactivated"
    if sender is PartnerMembership:
        return "Last day at the partner passed"
    if sender is get_user_model():
        return "User deactivated"
    return "Access revoked"


def record_access_revoked(sender, user_ids, actor=None, request=None, reason="", **kwargs):
    sign_in_events_record_many(
        event=SignInEventType.ACCESS_REVOKED,
        user_ids=user_ids,
        request=request,
        actor=actor,
        method=SignInMethod.ADMIN if actor is not None else SignInMethod.SYSTEM,
        detail=reason or revocation_reason(sender),
    )


def track_session(sender, request, user, **kwargs):
    """Django's ``user_logged_in``: every sign-in (the admin's, /accounts/'s, a test client's) is tracked,
    and the address an operator gave the user is taken as theirs."""
    if request is not None:
        session_track(request=request, user=user)
    known_address_adopt(user=user)


def end_sessions_of_revoked_users(sender, user_ids, **kwargs):
    """``core.signals.access_revoked``: the users' sessions end now, not at their next request."""
    sessions_end(user_ids=user_ids)


def connect():
    access_revoked.connect(end_sessions_of_revoked_users, dispatch_uid="accounts-end-sessions")
    user_logged_in.connect(track_session, dispatch_uid="accounts-track-session")
    user_logged_in.connect(record_sign_in, dispatch_uid="accounts-audit-signed-in")
    user_logged_out.connect(record_sign_out, dispatch_uid="accounts-audit-signed-out")
    user_login_failed.connect(record_failure, dispatch_uid="accounts-audit-sign-in-failed")
    user_locked_out.connect(record_lockout, dispatch_uid="accounts-audit-locked-out")
    identity_event.connect(record_identity_event, dispatch_uid="accounts-audit-identity-event")
    access_revoked.connect(record_access_revoked, dispatch_uid="accounts-audit-access-revoked")
