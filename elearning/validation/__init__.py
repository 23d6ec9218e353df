"""Validation of uploaded learning packages: the ZIP, its manifest, and the structure read from it.

``package_check(file)`` reads everything and stores nothing; it answers a ``CheckedPackage``
(the open, checked archive and the structure) or raises ``PackageRejected`` with a message for
the editor. The services (``elearning.services.packages``) then extract the entries, which
counts their real bytes and looks at their content once more (``archive.entry_read``).

Modules: ``archive`` (the ZIP: limits, names, types, bombs), ``paths`` (safe paths and hrefs),
``xml`` (defusedxml parsing), ``scorm`` (imsmanifest.xml, SCORM 1.2 and 2004), ``cmi5`` (cmi5.xml).
"""

import hashlib
from dataclasses import dataclass

from .archive import ByteBudget, CheckedArchive, archive_open, archive_sniff, entry_read
from .cmi5 import cmi5_structure
from .errors import PackageRejected
from .scorm import scorm_structure
from .xml import MAX_MANIFEST_BYTES, parse

__all__ = ["ByteBudget", "CheckedPackage", "PackageRejected", "entry_read", "package_check"]

MANIFESTS = {"imsmanifest.xml": scorm_structure, "cmi5.xml": cmi5_structure}


@dataclass
class CheckedPackage:
    archive: CheckedArchive
    structure: dict
    sha256: str
    size_bytes: int

    @property
    def standard(self) -> str:
        return self.structure["standard"]

    @property
    def schema_version(self) -> str:
        return self.structure["schema_version"]

    @property
    def file_count(self) -> int:
        return len(self.archive.entries)


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(64 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def package_check(file) -> CheckedPackage:
    """Check an uploaded package (a Django ``File``) completely, without storing anything."""
    archive = archive_open(file)
    entries = {entry.path: entry for entry in archive.entries}
    found = [name for name in MANIFESTS if name in entries]
    if not found:
        raise PackageRejected(
            "The package has no imsmanifest.xml (SCORM) or cmi5.xml (cmi5) at its root. Zip the package's "
            "folder content, not the folder."
        )
    if len(found) > 1:
        raise PackageRejected("The package has both imsmanifest.xml and cmi5.xml; upload one standard at a time.")
    name = found[0]
    entry = entries[name]
    if entry.info.file_size > MAX_MANIFEST_BYTES:
        raise PackageRejected(f"{name} is larger than 10 MB.")
    with entry_read(archive, entry, ByteBudget()) as manifest:
        root = parse(manifest.read(), name)
    structure = MANIFESTS[name](root, archive.paths)
    archive_sniff(archive)
    return CheckedPackage(archive=archive, structure=structure, sha256=_sha256(file), size_bytes=file.size)
