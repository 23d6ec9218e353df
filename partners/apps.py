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

        # Importer sections (core.importer): the order is derived from each section's depends_on.
        from core.importer.registry import register_sections

        from . import importing

        register_sections(
            importing.TiersSection(),
            importing.PartnerTypesSection(),
            importing.RegionsSection(),
            importing.RolesSection(),
            importing.PartnersSection(),
            importing.UsersSection(),
        )
