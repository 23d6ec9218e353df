"""App config for analytics: the daily rollups, the engagement dashboard, partner scorecards, content performance."""

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Analytics"
