"""App config for accounts: sign-in pages (django-allauth), single sign-on, MFA, sessions ended on lock-out,
the session API, the sign-in audit, and the demo SSO connection."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router
        from core.demo import register_demo

        from . import demo, preferences, signals  # noqa: F401 (preferences: its sign-in receiver)
        from .api import audit, session
        from .api import mfa as mfa_api
        from .mfa import audit as mfa_audit
        from .mfa import checks  # noqa: F401 (registers the deploy check)

        signals.connect()
        mfa_audit.connect()
        register_api_router(session.router)
        register_api_router(audit.router)
        register_api_router(mfa_api.router)
        register_demo(self.label, after=["partners"], steps=[demo.demo_sso_connection])
