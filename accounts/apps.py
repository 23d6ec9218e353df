"""App config for accounts: identity (sign-in, SSO, invitations, MFA, lock-out) and its audit."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router

        from . import signals
        from .api import router

        # The sign-in audit: Django's, django-axes' and core's identity signals, recorded.
        signals.connect()
        register_api_router(router)
