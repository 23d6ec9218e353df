"""App config for partners."""

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_delete

        from core.demo import register_demo

        from . import demo
        from .audience import protect_audience_references
        from .models import PartnerType, Region, Role

        for model in (PartnerType, Region, Role):
            pre_delete.connect(
                protect_audience_references, sender=model, dispatch_uid=f"protect-audience-{model.__name__}"
            )
        register_demo(self.label, prepare=[demo.demo_editors], steps=[demo.demo_logins])

        # Plugged into core's registries: the API router.
        from core.api import register_api_router

        from .api import router

        register_api_router(router)
