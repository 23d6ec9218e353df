"""Staff sign in where everyone does: ``/admin/login/`` sends them to ``/accounts/login/``.

Wagtail's own sign-in form would check the password alone; allauth's asks the second factor after it, so the
admin's door is a redirect (``cms/urls.py``), keeping a safe ``next`` (the admin by default). Staff sign in with
their e-mail address; django-axes locks an account from an address there exactly as it did at the admin's.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

ADMIN_HOME = "/admin/"


def safe_next(request, default: str = ADMIN_HOME) -> str:
    """The ``next`` of the request when it stays on this site, ``default`` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login_redirect(request):
    """``/admin/login/``: to ``/accounts/login/?next=…`` (a password posted here is never checked)."""
    return redirect(f"{reverse('account_login')}?{urlencode({'next': safe_next(request)})}")
