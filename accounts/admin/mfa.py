"""Resetting a user's two-factor authentication in the Wagtail admin (Settings → Users, each user's "More" menu).

Whoever may change users (Wagtail's user permission: superusers, and groups given "Can change user") sees
"Reset two-factor authentication" for a user who has it, confirms on a page that names what will be removed,
and ``accounts.mfa.services.mfa_reset`` deletes it with the audit line ``MFA_RESET`` naming them. Only a
superuser resets a superuser's. The user then signs in with their password (or SSO) alone and, if the policy
requires it, sets up a new authenticator at once.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from allauth.mfa.models import Authenticator

from ..mfa.audit import type_names
from ..mfa.services import mfa_reset

URL_NAME = "accounts_mfa_reset"
USERS_INDEX = "wagtailusers_users:index"
_USERS_WITH_MFA = "_partnerhub_users_with_mfa"


def change_user_permission() -> str:
    meta = get_user_model()._meta
    return f"{meta.app_label}.change_{meta.model_name}"


def may_reset_mfa(actor, user) -> bool:
    """``actor`` may change users; and a superuser's MFA is reset by a superuser only."""
    if not actor.is_authenticated or not actor.is_active or not actor.has_perm(change_user_permission()):
        return False
    return actor.is_superuser or not user.is_superuser


def reset_url(user) -> str:
    return reverse(URL_NAME, args=[user.pk])


class MfaResetView(WagtailAdminTemplateMixin, TemplateView):
    """Asks to confirm, then resets the user's two-factor authentication through the service."""

    template_name = "accounts/admin/mfa_reset_confirm.html"
    header_icon = "key"
    page_title = "Reset two-factor authentication"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(get_user_model(), pk=kwargs["user_id"])

    def dispatch(self, request, *args, **kwargs):
        if not may_reset_mfa(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.object.get_full_name() or self.object.email or self.object.get_username()

    def get_context_data(self, **kwargs):
        authenticators = Authenticator.objects.filter(user_id=self.object.pk)
        return super().get_context_data(
            subject=self.object,
            kinds=type_names(authenticators),
            index_url=reverse(USERS_INDEX),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            mfa_reset(user=self.object, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Reset the two-factor authentication of {self.get_page_subtitle()}: they sign in with their "
                "password alone and set up a new authenticator app if their account requires one.",
            )
        return redirect(USERS_INDEX)


def users_with_mfa(request_user) -> set[int]:
    """The ids of users who have an authenticator: one query per listing (cached on the request's user)."""
    if not hasattr(request_user, _USERS_WITH_MFA):
        setattr(request_user, _USERS_WITH_MFA, set(Authenticator.objects.values_list("user_id", flat=True)))
    return getattr(request_user, _USERS_WITH_MFA)


def user_listing_buttons(user, request_user):
    """The "Reset two-factor authentication" entry of a user who has it, for whoever may reset it."""
    if not may_reset_mfa(request_user, user) or user.pk not in users_with_mfa(request_user):
        return []
    return [Button("Reset two-factor authentication", url=reset_url(user), icon_name="key", priority=60)]


urlpatterns = [path("accounts/mfa-reset/<int:user_id>/", MfaResetView.as_view(), name=URL_NAME)]
