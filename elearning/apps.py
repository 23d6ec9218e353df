"""App config for elearning: learning packages (SCORM 1.2, SCORM 2004, cmi5) and, later, their runtime."""

from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    label = "elearning"
    verbose_name = "E-learning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401 - checks registers the system checks

        signals.connect()
        from .runtime import receivers

        receivers.connect()
        from .cmi5 import receivers as cmi5_receivers  # cmi5: the LRS policy and statement progress

        cmi5_receivers.connect()
        from cms.scanning.registry import register_scanned_files

        from .models import PackageVersion

        register_scanned_files(
            PackageVersion, "archive"
        )  # uploads are scanned (cms.scanning); the re-scan finds old ones
