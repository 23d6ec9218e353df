"""App config for certifications: earned, verifiable, expiring and renewed certificates."""

from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    name = "certifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.preview import register_preview_payload
        from core.demo import register_demo

        from . import demo, signals
        from .api import certification_preview
        from .models import Certification

        signals.connect()
        register_preview_payload(Certification, certification_preview)
        register_demo(self.label, after=["courses"], steps=[demo.demo_steps])

        # Importer sections (core.importer): the order is derived from each section's depends_on.
        from core.importer.registry import register_sections

        from .importing import CertificationsSection

        register_sections(CertificationsSection())
