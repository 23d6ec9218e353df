"""System checks of elearning: the package limits in the settings make sense."""

from django.conf import settings
from django.core.checks import Error, register

LIMITS = (
    "PARTNERHUB_PACKAGE_MAX_BYTES",
    "PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES",
    "PARTNERHUB_PACKAGE_MAX_FILES",
    "PARTNERHUB_PACKAGE_MAX_RATIO",
)


@register()
def check_package_limits(app_configs, **kwargs):
    errors = []
    for name in LIMITS:
        value = getattr(settings, name, None)
        if not isinstance(value, int) or value <= 0:
            errors.append(Error(f"{name} must be a positive whole number (it is {value!r}).", id="elearning.E001"))
    if not errors and settings.PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES < settings.PARTNERHUB_PACKAGE_MAX_BYTES:
        errors.append(
            Error(
                "PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES is below PARTNERHUB_PACKAGE_MAX_BYTES.",
                hint="A ZIP's content is at least as large as the ZIP; raise the uncompressed limit.",
                id="elearning.E002",
            )
        )
    return errors
