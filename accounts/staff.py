"""Staff sign in where everyone does: ``/admin/login/`` is allauth's sign-in, never Wagtail's own form.

Wagtail's form would check the password alone; allauth's flow asks the second factor after it. So the admin's
door (``cms/urls.py``) sends a browser to ``/accounts/login/``, keeping a safe ``next`` (the admin by default),
and a sign-in posted to it the way Wagtail's form posts (``username`` or e-mail, ``password``) goes through
allauth's flow: the same checks, the same second factor, the same django-axes lock per account and address.
"""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from allauth.account.views import login as allauth_login

ADMIN_HOME = "/admin/"


def safe_next(request, default: str = ADMIN_HOME) -> str:
    """The ``next`` of the request when it stays on this site, ``default`` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def email_of(identifier: str) -> str:
    """The address to sign in with: ``identifier`` itself, or the e-mail address of the account it names."""
    if "@" in identifier:
        return identifier
    email = get_user_model().objects.filter(username=identifier).values_list("email", flat=True).first()
    return email or identifier


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login_redirect(request):
    """``/admin/login/``: a browser goes to ``/accounts/login/?next=…``; a posted sign-in goes through allauth."""
    if request.method != "POST":
        return redirect(f"{reverse('account_login')}?{urlencode({'next': safe_next(request)})}")
    data = request.POST.copy()
    data["login"] = email_of((data.get("login") or data.get("username") or "").strip())
    data["next"] = safe_next(request)
    request.POST = data
    return allauth_login(request)
