"""App config for home: the partner portal (pages, branding, links hub), plugged in from ``ready()``."""

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router

        from . import api

        register_api_router(api.router)
