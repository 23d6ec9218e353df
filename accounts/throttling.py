"""Sign-in throttling: the client address, and the account that django-axes locks per address.

django-axes locks one account from one address after ``AXES_FAILURE_LIMIT`` failures (the same
account whether it is named by username at the Wagtail admin or by e-mail address at
/accounts/login/); allauth's own limits count per address only, so a user with the right password
always gets in from elsewhere.
"""

from math import ceil

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.shortcuts import render

from ninja.throttling import BaseThrottle


def client_address(request) -> str | None:
    """The client's address as the partner API's rate limits see it (``NINJA_NUM_PROXIES`` trusted proxies)."""
    return BaseThrottle().get_ident(request)


def lockout_username(request, credentials) -> str | None:
    """The account a sign-in attempt names, for django-axes (``AXES_USERNAME_CALLABLE``).

    The username when the login names one user (by username, or by an e-mail address only one user has);
    otherwise the login itself, lower-cased, so unknown names are counted too.
    """
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email")
    if not login and request is not None:
        data = getattr(request, "POST", {})
        login = data.get("username") or data.get("login")
    if not login:
        return None
    login = str(login).strip()
    users = get_user_model().objects
    if users.filter(username=login).exists():
        return login
    if "@" in login:
        usernames = list(users.filter(email__iexact=login).values_list("username", flat=True)[:2])
        if len(usernames) == 1:
            return usernames[0]
    return login.lower()


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): a page, 429, saying for how long.

    JSON for a script (``X-Requested-With: XMLHttpRequest``), without django-axes' wildcard CORS header.
    """
    minutes = max(1, ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"detail": settings.AXES_COOLOFF_MESSAGE}, status=429)
    return render(request, "account/lockout.html", {"cooloff_minutes": minutes}, status=429)
