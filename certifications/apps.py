"""App config for certifications: earned, verifiable, expiring and renewed certificates."""

from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    name = "certifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.demo import register_demo

        from . import demo, signals

        signals.connect()
        register_demo(self.label, after=["courses"], steps=[demo.demo_steps])

        # Importer sections (core.importer): the order is derived from each section's depends_on.
        from core.importer.registry import register_sections

        from .importing import CertificationsSection

        register_sections(CertificationsSection())
