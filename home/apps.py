"""App config for home: the partner portal (pages, branding, links hub), plugged in from ``ready()``."""

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from certifications.api import VERIFICATION_LINK
        from core.api import register_api_router
        from core.branding import register_branding_provider
        from core.demo import register_demo
        from core.links import register_link

        from . import api, demo
        from .branding import certificate_branding
        from .views.verify import verification_page_url

        register_api_router(api.router)
        # Certificates' PDFs and QR codes lead to the portal's verification page (certifications asks core.links).
        register_link(VERIFICATION_LINK, verification_page_url)
        register_branding_provider(certificate_branding)  # the certificate PDF's name, logo and colour
        # The demo's home page: a banner and featured items, once the content and courses are in.
        register_demo(self.label, after=["cms", "courses"], steps=[demo.demo_home])
