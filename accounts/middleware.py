"""Middleware of accounts: the language of each request, and signing out who lost access.

``UserLanguageMiddleware`` (after ``AuthenticationMiddleware``) activates a signed-in user's own language
(``accounts.preferences``), read from their session without a query; everyone else, and users who chose none,
get Django's ``LocaleMiddleware`` choice (the language cookie, then ``Accept-Language``). The partner API is
left in ``LANGUAGE_CODE``: its ``locale`` parameter is its contract, and its answers do not vary by language.
The Wagtail admin applies its users' own admin language over this one (``get_localized_response``).

``AccessEndedMiddleware`` signs out, on their next request, a partner user who lost access with no event to say
so: deactivations end sessions at once (``access_revoked``); a last day (``leaves_on``) passing has no event, and
a session may predate the tracking. Staff are never signed out here.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .access import SIGNED_OUT_MESSAGE, may_be_signed_in
from .preferences import session_language
from .sessions import session_forget

API_PREFIX = "/api/"


class UserLanguageMiddleware(LocaleMiddleware):
    def __call__(self, request):
        try:
            return super().__call__(request)
        finally:
            translation.deactivate()  # what runs next in this thread (a task, a test) is not in this user's language

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)  # never a language left over from an earlier request
            request.LANGUAGE_CODE = translation.get_language()
            return
        user = getattr(request, "user", None)
        language = session_language(request) if user is not None and user.is_authenticated else ""
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        else:
            super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)


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
