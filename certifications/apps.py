"""App config for certifications: plugs earned, expiring and renewed certificates into core's registries."""

from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    name = "certifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.api import register_api_router
        from core.demo import register_demo
        from core.feed import register_feed_section
        from core.importer.registry import register_sections
        from core.qualifications import register_unlock_hints

        from . import demo, signals
        from .api import router
        from .api_exams import router as exam_router
        from .feed import feed_certificates_expiring
        from .importing import CertificationsSection
        from .qualifications import unlock_hints

        signals.connect()
        register_api_router(router)
        register_api_router(exam_router)
        register_sections(CertificationsSection())
        register_unlock_hints(unlock_hints)
        register_feed_section(
            "certificates_expiring", title="My certifications expiring", items=feed_certificates_expiring
        )
        register_demo(self.label, after=["courses"], steps=[demo.demo_steps])
