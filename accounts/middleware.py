"""Sign out, on their next request, a partner user who lost access with no event to say so.

Deactivations end sessions at once (``access_revoked``); a last day (``leaves_on``) passing has no
event, and a session may predate the tracking. Staff are never signed out here.
"""

from django.contrib import messages
from django.contrib.auth import logout

from .access import SIGNED_OUT_MESSAGE, may_be_signed_in
from .sessions import session_forget


class AccessEndedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not may_be_signed_in(user):
            session_forget(session_key=request.session.session_key)
            logout(request)
            if not request.path.startswith("/api/"):
                messages.warning(request, SIGNED_OUT_MESSAGE)
        return self.get_response(request)
