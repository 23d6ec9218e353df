"""Reads of elearning: packages, their versions, and the files of a version (for the runtime)."""

import mimetypes
import posixpath

from django.db.models import Count
from django.http import Http404

from cms.models import FileScan
from cms.scanning.gate import file_refusal
from cms.storage import private_storage

from .models import Package, PackageVersion
from .validation.paths import safe_path

#: Content types the runtime must get right whatever the platform's mimetypes table says.
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".dtd": "application/xml-dtd",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".vtt": "text/vtt",
    ".map": "application/json",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}


class PackageFileNotFound(Http404):
    """No such file in the package version (or a path that tries to leave it): a 404."""


def packages_for_admin():
    """Packages with their current version and how many versions they have (one query)."""
    return Package.objects.select_related("current_version", "created_by").annotate(version_count=Count("versions"))


def package_versions(*, package):
    """The versions of ``package``, newest first, with who uploaded them and their ZIP's virus scan."""
    return (
        PackageVersion.objects.filter(package=package)
        .select_related("uploaded_by")
        .annotate(**FileScan.objects.scan_annotations("archive"))
        .order_by("-number")
    )


def package_by_key(*, key: str) -> Package | None:
    return Package.objects.select_related("current_version").filter(key=key).first()


def package_file_content_type(path: str) -> str:
    extension = posixpath.splitext(path)[1].lower()
    return CONTENT_TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"


class PackageNotServable(Exception):
    """The version's uploaded ZIP waits for its virus scan (or is infected): none of its files is served."""


def package_version_scan_refusal(*, version: PackageVersion) -> str | None:
    """Why no file of ``version`` may be served (its ZIP pending its virus scan, infected…), or ``None``."""
    return file_refusal(version.archive.name)


def package_file(*, version: PackageVersion, path: str):
    """``(file, content_type)`` of the file at ``path`` inside ``version``; the caller closes the file.

    ``path`` is relative to the package's root (as the structure's hrefs are, without their query).
    Anything that is not a plain path inside the package, or a file it does not have, raises
    ``PackageFileNotFound`` (an ``Http404``).
    """
    if refusal := package_version_scan_refusal(version=version):
        raise PackageNotServable(refusal)
    normal = safe_path(path or "")
    if normal is None or normal != path:  # only plain, normalised paths inside the package
        raise PackageFileNotFound("No such file in the package.")
    storage = private_storage()
    name = version.content_prefix + normal
    try:
        file = storage.open(name, "rb")
    except OSError as error:  # FileNotFoundError, IsADirectoryError
        raise PackageFileNotFound("No such file in the package.") from error
    return file, package_file_content_type(normal)
