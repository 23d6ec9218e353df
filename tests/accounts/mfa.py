"""Helpers of the MFA tests: real TOTP codes (allauth's own functions) and users who have set MFA up."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

PERIOD = 30


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for ``secret`` now (or at ``at``)."""
    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // PERIOD))


def fresh_totp_code(secret: str) -> str:
    """A code that stays valid for a few seconds more (waits out the end of a 30-second step)."""
    if PERIOD - time.time() % PERIOD < 3:
        time.sleep(PERIOD - time.time() % PERIOD + 0.1)
    return totp_code(secret)


def enrol(user) -> tuple[str, list[str]]:
    """Give ``user`` an authenticator app and recovery codes, as activating them does; the secret and the codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def authenticator_types(user) -> set[str]:
    return set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
