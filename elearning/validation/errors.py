"""The refusal of a package: a ``ValidationError`` whose message says what is wrong, for the editor."""

from django.core.exceptions import ValidationError


class PackageRejected(ValidationError):
    """The uploaded package is refused; nothing of it was stored."""

    def __init__(self, message, code="package_rejected", params=None):
        super().__init__(message, code=code, params=params)
