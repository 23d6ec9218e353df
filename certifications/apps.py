"""App config for certifications: earned, verifiable, expiring and renewed certificates."""

from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    name = "certifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
