"""Services of elearning (every write): packages and their versions (``packages``); the SCORM runtime's launches,
commits and attempts (``runtime``, imported from there)."""

from .packages import (
    PackageVersionInUse,
    package_delete,
    package_upload,
    package_version_add,
    package_version_delete,
    package_version_make_current,
)

__all__ = [
    "PackageVersionInUse",
    "package_delete",
    "package_upload",
    "package_version_add",
    "package_version_delete",
    "package_version_make_current",
]
