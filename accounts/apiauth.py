"""The Django session as a credential of the partner API, with CSRF checked for unsafe methods.

A front end signs the user in at /accounts/login/ (or with single sign-on) and then calls the API with
the session cookie; ``GET /api/v1/auth/session`` hands it the CSRF token to send back as ``X-CSRFToken``
on POST, PUT, PATCH and DELETE. A request without a signed-in session is simply anonymous (401), so
CSRF only guards requests that carry a session worth forging.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware

from ninja.errors import HttpError
from ninja.security import APIKeyCookie

from partners.audience import viewer_for

CSRF_HELP = "Send the X-CSRFToken header with the csrf_token from GET /api/v1/auth/session."


class _ReasonCatcher(CsrfViewMiddleware):
    """Django's CSRF check, keeping the reason it refuses (instead of rendering its failure page)."""

    reason: str | None = None

    def _reject(self, request, reason):
        self.reason = reason
        return HttpResponseForbidden(reason)


def _checked_view(request):  # the CSRF check asks which view it guards: one that is not exempt
    return None


def csrf_failure_reason(request) -> str | None:
    """Why Django's CSRF check refuses this request (``None`` when it passes, as safe methods always do)."""
    checker = _ReasonCatcher(lambda _request: None)
    request.csrf_processing_done = False
    checker.process_request(request)
    checker.process_view(request, _checked_view, (), {})
    return checker.reason


class SessionAuth(APIKeyCookie):
    """The session of a signed-in user; subclasses narrow who (``allows``)."""

    openapi_description = "The Django session cookie of a signed-in user; unsafe methods need X-CSRFToken."

    def __init__(self, csrf: bool = True):
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=csrf)

    def allows(self, user) -> bool:
        return True

    def signed_in_user(self, request):
        user = getattr(request, "user", AnonymousUser())
        return user if user.is_authenticated and self.allows(user) else None

    def _get_key(self, request):
        if self.signed_in_user(request) is None:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            reason = csrf_failure_reason(request)
            if reason:
                raise HttpError(403, f"CSRF check failed: {reason} {CSRF_HELP}")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        return self.signed_in_user(request) if key else None


class PartnerSessionAuth(SessionAuth):
    """The session of a partner user signed in at /accounts/login/ who may see partner content today."""

    openapi_description = (
        "The Django session cookie of a partner user signed in at /accounts/login/; unsafe methods need the "
        "`X-CSRFToken` header (the token from GET /api/v1/auth/session)."
    )

    def allows(self, user) -> bool:
        return viewer_for(user) is not None
