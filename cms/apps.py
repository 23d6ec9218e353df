"""App config for cms: the content domain (assets, programs, bulletins) and project-wide tooling."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals, spreadsheets

        signals.connect()
        spreadsheets.install()
