"""allauth.mfa's signals in the sign-in audit (connected by ``connect()`` from ``AccountsConfig.ready()``).

* ``authenticator_added``: MFA enabled, detail "TOTP" (an authenticator app) or "recovery codes";
* ``authenticator_removed``: MFA disabled, with the same details (allauth drops the recovery codes with the
  last authenticator);
* ``authenticator_reset``: "Recovery codes regenerated";
* ``authentication_failed``: a sign-in failed, "wrong two-factor code" (a wrong code at re-authentication too).

Each row carries the user's partner now; an administrator's reset is recorded by ``services.mfa_reset`` with
the actor. Sent as ``core.signals.identity_event``, like every other app's identity events: never raises.
"""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator

from core.signals import identity_event

from ..models import SignInEventType

TYPE_NAMES = {  # in the order they are named together: the factors, then their backup
    Authenticator.Type.TOTP: "TOTP",
    Authenticator.Type.WEBAUTHN: "security key",
    Authenticator.Type.RECOVERY_CODES: "recovery codes",
}


def type_name(authenticator) -> str:
    kind = getattr(authenticator, "type", "")
    return TYPE_NAMES.get(kind, str(kind) or "authenticator")


def type_names(authenticators) -> list[str]:
    """The kinds of ``authenticators`` in words, once each: TOTP, security key, recovery codes."""
    order = list(TYPE_NAMES)
    kinds = sorted({a.type for a in authenticators}, key=lambda kind: order.index(kind) if kind in order else 99)
    return [type_name(Authenticator(type=kind)) for kind in kinds]


def _send(event, request, user, detail, method=""):
    identity_event.send(sender=Authenticator, event=event, user=user, request=request, method=method, detail=detail)


def record_added(sender, request=None, user=None, authenticator=None, **kwargs):
    _send(SignInEventType.MFA_ENABLED, request, user, type_name(authenticator))


def record_removed(sender, request=None, user=None, authenticator=None, **kwargs):
    _send(SignInEventType.MFA_DISABLED, request, user, type_name(authenticator))


def record_reset(sender, request=None, user=None, authenticator=None, **kwargs):
    _send(SignInEventType.MFA_RECOVERY_CODES, request, user, f"{type_name(authenticator)} regenerated")


def record_failed(sender, request=None, user=None, authenticator=None, reauthentication=False, **kwargs):
    when = " (re-authentication)" if reauthentication else ""
    _send(SignInEventType.SIGN_IN_FAILED, request, user, f"Wrong two-factor code{when}")


def connect():
    mfa_signals.authenticator_added.connect(record_added, dispatch_uid="accounts-audit-mfa-added")
    mfa_signals.authenticator_removed.connect(record_removed, dispatch_uid="accounts-audit-mfa-removed")
    mfa_signals.authenticator_reset.connect(record_reset, dispatch_uid="accounts-audit-mfa-reset")
    mfa_signals.authentication_failed.connect(record_failed, dispatch_uid="accounts-audit-mfa-failed")
