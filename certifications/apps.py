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

        # Plugged into core's registries: the API router, the feed section.
        from core.api import register_api_router
        from core.feed import register_feed_section

        from .api import router
        from .feed import feed_certificates_expiring

        register_api_router(router)
        register_feed_section(
            "certificates_expiring", title="My certifications expiring", items=feed_certificates_expiring
        )
