"""App config for analytics: the daily rollups, the engagement dashboard, partner scorecards, content performance."""

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Analytics"

    def ready(self):
        from core.demo import register_demo

        from . import demo

        # Last: it charts what the other apps' demos did (courses taken, certificates, acknowledgements).
        register_demo(self.label, after=["certifications", "home"], steps=[demo.demo_activity])
