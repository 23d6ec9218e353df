"""App config for the learning record store (xAPI): its resources live under ``/xapi/`` (``lrs.urls``)."""

from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "lrs"
    label = "lrs"
    verbose_name = "Learning record store"
    default_auto_field = "django.db.models.BigAutoField"
