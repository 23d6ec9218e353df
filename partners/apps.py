"""App config for partners: plugs the partner directory into core's registries."""

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_delete

        from core.api import register_api_router
        from core.demo import register_demo
        from core.importer.registry import register_sections

        from . import demo, importing
        from .api import people, router, tokens
        from .audience import protect_audience_references
        from .identity_cache import connect_identity_receivers
        from .models import PartnerType, Region, Role

        for model in (PartnerType, Region, Role):
            pre_delete.connect(
                protect_audience_references, sender=model, dispatch_uid=f"protect-audience-{model.__name__}"
            )
        connect_identity_receivers()
        register_api_router(router)
        register_api_router(people.router)
        register_api_router(tokens.router)
        # The importer derives the order of sections from each one's depends_on.
        register_sections(
            importing.TiersSection(),
            importing.PartnerTypesSection(),
            importing.RegionsSection(),
            importing.RolesSection(),
            importing.PartnersSection(),
            importing.UsersSection(),
        )
        register_demo(self.label, prepare=[demo.demo_editors], steps=[demo.demo_logins, demo.demo_invitations])
