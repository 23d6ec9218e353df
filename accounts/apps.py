"""App config for accounts: sign-in pages (django-allauth), sessions ended on lock-out, the session API."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.api import register_api_router
        from core.signals import access_revoked

        from . import signals
        from .api import router

        access_revoked.connect(signals.end_sessions_of_revoked_users, dispatch_uid="accounts-end-sessions")
        # Every sign-in, the Wagtail admin's included, is tracked per user, so that lock-out can end it.
        user_logged_in.connect(signals.track_session, dispatch_uid="accounts-track-session")
        register_api_router(router)
