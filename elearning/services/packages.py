"""Uploading packages and their new versions, choosing the current version, deleting an unused one.

Every upload is checked completely first (``elearning.validation.package_check``, nothing
stored); then, in one transaction, the rows are written and the entries extracted into the
private storage under a fresh ``content_prefix`` (their real bytes counted again). If anything
fails, the transaction rolls back and the files written so far are removed: a refused package
leaves no row and no file behind.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError

from cms.scanning.clamd import ScannerUnavailable
from cms.scanning.gate import scanning_enabled
from cms.services.scanning import file_scan_record_quarantined, file_scan_register, file_scan_upload_verdict
from cms.storage import private_storage
from core.signals import package_version_published

from ..models import Package, PackageAttempt, PackageVersion
from ..storage import package_files_delete
from ..validation import ByteBudget, CheckedPackage, PackageRejected, entry_read, package_check


class PackageVersionInUse(ValidationError):
    """The version cannot be deleted: it is current, or learners' attempts use it."""


@dataclass
class _Location:
    """Where a version's files go; known before the first file is written, so that a failure can remove them."""

    content_prefix: str = ""
    archive_name: str = ""

    def forget(self) -> None:
        if self.content_prefix or self.archive_name:
            package_files_delete(content_prefix=self.content_prefix, archive_name=self.archive_name)


def _save_exactly(storage, name: str, content) -> None:
    try:
        saved = storage.save(name, content)
    except OSError as error:  # a name the storage cannot hold (too long, …), or the storage failing
        leaf = name.rsplit("/", 1)[-1]
        raise PackageRejected(f"The hub could not store {leaf}: {error.strerror or error}.") from error
    if saved != name:  # a storage that renames would break the package's relative links
        storage.delete(saved)
        raise PackageRejected(f"The hub could not store {name.rsplit('/', 1)[-1]} under its own name.")


def _version_create(*, package, checked: CheckedPackage, file, user, notes: str, location: _Location, verdict=None):
    number = (package.versions.aggregate(Max("number"))["number__max"] or 0) + 1
    token = secrets.token_hex(8)
    location.content_prefix = f"elearning/{package.pk}/{number}-{token}/"
    location.archive_name = f"elearning/{package.pk}/{number}-{token}.zip"
    storage = private_storage()
    budget = ByteBudget()
    for entry in checked.archive.entries:
        with entry_read(checked.archive, entry, budget) as content:
            _save_exactly(storage, location.content_prefix + entry.path, File(content, name=entry.path))
    file.seek(0)
    _save_exactly(storage, location.archive_name, File(file, name="package.zip"))
    version = PackageVersion(
        package=package,
        number=number,
        sha256=checked.sha256,
        size_bytes=checked.size_bytes,
        file_count=checked.file_count,
        content_prefix=location.content_prefix,
        structure=checked.structure,
        schema_version=checked.schema_version,
        uploaded_by=user,
        notes=notes,
    )
    version.archive.name = location.archive_name
    version.full_clean()
    version.save()
    file_scan_register(name=location.archive_name, upload=file, uploaded_by=user, item=version, verdict=verdict)
    return version


def _scan_before_storing(*, file, user, package=None):
    """Scan the uploaded ZIP (clamd looks inside archives) before anything is stored; answer the ``Verdict``.

    Infected: the upload is kept in the quarantine, recorded, its uploader and the package's owner told, and
    refused. ``None`` when scanning is off or the scanner is down: the version is stored pending its scan, and
    no launch opens it until the re-scan job found it clean.
    """
    if not scanning_enabled():
        return None
    try:
        verdict = file_scan_upload_verdict(upload=file)
    except ScannerUnavailable:
        return None
    if verdict.status == "infected":
        leaf = (getattr(file, "name", "") or "package.zip").rsplit("/", 1)[-1]
        name = f"elearning/refused/{secrets.token_hex(8)}-{leaf}"
        file_scan_record_quarantined(
            name=name, upload=file, signature=verdict.signature, uploaded_by=user, item=package
        )
        raise PackageRejected(
            f"The package is infected ({verdict.signature}): it was quarantined and nothing was published."
        )
    if verdict.status == "error":
        raise PackageRejected(f"The virus scanner could not scan the package ({verdict.detail}); nothing was stored.")
    return verdict


def _make_current(*, package, version, move_learners: bool) -> None:
    package.current_version = version
    package.save(update_fields=["current_version"])
    package_version_published.send(sender=Package, package=package, version=version, move_learners=move_learners)


def package_upload(*, file, title: str | None = None, key: str | None = None, user, description: str = "") -> Package:
    """A new package from an uploaded ZIP (a Django ``File``): version 1, current at once.

    ``title`` defaults to the manifest's; ``key`` is the importer's stable identifier. Raises
    ``PackageRejected`` (a ``ValidationError``) with a message for the editor; nothing is stored then.
    """
    checked = package_check(file)
    verdict = _scan_before_storing(file=file, user=user)
    package = Package(
        title=(title or checked.structure["title"])[:255],
        key=key or None,
        standard=checked.standard,
        description=description,
        created_by=user,
    )
    package.full_clean(exclude=["current_version"])
    location = _Location()
    try:
        with transaction.atomic():
            package.save()
            version = _version_create(
                package=package, checked=checked, file=file, user=user, notes="", location=location, verdict=verdict
            )
            _make_current(package=package, version=version, move_learners=False)
    except BaseException:
        location.forget()
        raise
    return package


def package_version_add(
    *, package, file, user, notes: str = "", make_current: bool = True, move_learners: bool = False
) -> PackageVersion:
    """A new version of ``package`` from an uploaded ZIP of the same standard.

    With ``make_current`` (the default) new launches use it at once; learners mid-way keep the
    version they started unless ``move_learners`` (the runtime moves them, on ``package_version_published``).
    """
    checked = package_check(file)
    if checked.standard != package.standard:
        raise PackageRejected(
            f"This package is {package.get_standard_display()}; the upload is "
            f"{Package.Standard(checked.standard).label}. Upload it as a new package instead."
        )
    verdict = _scan_before_storing(file=file, user=user, package=package)
    location = _Location()
    try:
        with transaction.atomic():
            package = Package.objects.select_for_update().get(pk=package.pk)  # one version number at a time
            version = _version_create(
                package=package, checked=checked, file=file, user=user, notes=notes, location=location, verdict=verdict
            )
            if make_current:
                _make_current(package=package, version=version, move_learners=move_learners)
    except BaseException:
        location.forget()
        raise
    return version


def package_version_make_current(*, package, version, move_learners: bool = False) -> Package:
    """Make ``version`` the one new launches use.

    Only the pointer changes here; the runtime hears ``core.signals.package_version_published``
    and, with ``move_learners``, moves the attempts in progress onto the version.
    """
    if version.package_id != package.pk:
        raise ValidationError("That version belongs to another package.")
    with transaction.atomic():
        _make_current(package=package, version=version, move_learners=move_learners)
    return package


def package_version_delete(*, version) -> None:
    """Delete a version no one uses (not current, no attempts); its files go once the deletion is committed."""
    if version.package.current_version_id == version.pk:
        raise PackageVersionInUse("This version is the current one; make another version current first.")
    try:
        with transaction.atomic():
            version.delete()
    except (ProtectedError, RestrictedError) as error:
        raise PackageVersionInUse("Learners' attempts use this version; it stays.") from error


def package_delete(*, package) -> None:
    """Delete a package no learner has attempted, with its versions; their files go once the deletion is committed.

    ``PackageVersionInUse`` when learners' attempts use any version: their records stay, so the package does.
    """
    attempts = PackageAttempt.objects.filter(package=package).count()
    if attempts:
        raise PackageVersionInUse(
            f"Learners have {attempts} attempt{'s' if attempts != 1 else ''} at this package; "
            "it stays so that their records do. Upload a new version instead, or stop using it in lessons."
        )
    try:
        with transaction.atomic():
            package.delete()
    except (ProtectedError, RestrictedError) as error:
        raise PackageVersionInUse("Learners' attempts use this package; it stays.") from error
