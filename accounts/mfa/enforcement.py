"""Holding users to the MFA policy: whoever must have a second factor and has none enrols before anything else.

``MfaEnrolmentMiddleware`` (after ``AccessEndedMiddleware``), for a signed-in user for whom
``policy.mfa_enrolment_pending`` holds, however they signed in (password, SSO, an invitation):

* a page is redirected to the TOTP activation page (which offers a security key instead), with a message
  saying why; the page they asked for is kept (``NEXT_SESSION_KEY``) and offered once their recovery codes
  are shown;
* a partner API request authenticated by the session is refused: 403 ``{"detail": ..., "code": "mfa_required"}``.
  A request that carries its own credential (``Authorization``: a personal or operator token) is left to the
  API: tokens are not held to the policy.

``PARTNERHUB_MFA_ENFORCED`` (True; not read from the environment) switches it off only for the unit tests of
other apps, whose staff clients are superusers without a second factor; ``manage.py check --deploy`` fails
when it is off (``accounts.E001``).

Always let through: the MFA pages themselves (``/accounts/2fa/…``), signing out, re-authenticating (allauth
asks it before activation after ``ACCOUNT_REAUTHENTICATION_TIMEOUT``), confirming an e-mail address (allauth
refuses MFA to an unverified one), static files and ``GET /api/v1/auth/session`` / ``POST /api/v1/auth/logout``.
"""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .policy import mfa_enrolment_pending, mfa_required_reason

NEXT_SESSION_KEY = "accounts_mfa_next"
ERROR_CODE = "mfa_required"
API_DETAIL = (
    "Two-factor authentication is required for this account and is not set up yet: set it up at "
    "/accounts/2fa/totp/activate/ (a personal API token is not affected)."
)
#: allauth's URL names that stay open to a user who has yet to enrol (besides every ``mfa_*`` one).
OPEN_URL_NAMES = frozenset(
    {
        "account_logout",
        "wagtailadmin_logout",  # signing out is never held up, at either door
        "account_reauthenticate",
        "account_email",
        "account_confirm_email",
        "account_email_verification_sent",
    }
)
OPEN_API_PATHS = frozenset({"/api/v1/auth/session", "/api/v1/auth/logout"})


def enrolment_message(reason: str) -> str:
    return f"Set up two-factor authentication to continue: {reason}."


def is_open(request) -> bool:
    """Paths that a user who has yet to enrol may still reach."""
    path = request.path_info
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
        if prefix and prefix.startswith("/") and prefix != "/" and path.startswith(prefix):
            return True
    if path.rstrip("/") in OPEN_API_PATHS:
        return True
    try:
        name = resolve(path).url_name or ""
    except Resolver404:
        return False
    return name.startswith("mfa_") or name in OPEN_URL_NAMES


def held_to_enrolment(user) -> bool:
    """Is ``user``'s session held until they set up a second factor (enforcement on, required, none yet)?"""
    return settings.PARTNERHUB_MFA_ENFORCED and mfa_enrolment_pending(user)


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def remember_next(request) -> None:
    """Keep the page the user asked for, to offer it once they have enrolled (safe, same-site URLs only)."""
    if request.method != "GET":
        return
    target = request.get_full_path()
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        request.session[NEXT_SESSION_KEY] = target


class MfaEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not settings.PARTNERHUB_MFA_ENFORCED or user is None or not user.is_authenticated or is_open(request):
            return self.get_response(request)
        if is_api(request) and request.headers.get("Authorization"):
            return self.get_response(request)  # the request's own credential decides (tokens are unaffected)
        if not held_to_enrolment(user):
            return self.get_response(request)
        if is_api(request):
            return JsonResponse({"detail": API_DETAIL, "code": ERROR_CODE}, status=403)
        remember_next(request)
        messages.warning(request, enrolment_message(mfa_required_reason(user)))
        return redirect("mfa_activate_totp")
