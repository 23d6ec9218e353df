"""App config for cms: the content domain (assets, programs, bulletins) and project-wide tooling."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.demo import register_demo

        from . import demo, signals, spreadsheets

        signals.connect()
        spreadsheets.install()
        register_demo(self.label, after=["partners"], prepare=[demo.demo_content])

        # Importer sections (core.importer): the order is derived from each section's depends_on.
        from core.importer.registry import register_sections

        from . import importing

        register_sections(
            importing.ProductsSection(),
            importing.LanguagesSection(),
            importing.AssetsSection(),
            importing.ProgramsSection(),
            importing.BulletinsSection(),
        )
