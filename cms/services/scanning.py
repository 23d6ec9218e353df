"""Writes of virus scanning: record a stored file, scan it with clamd, quarantine and tell, re-scan what waits.

A new file is scanned as it is stored (``file_scan_register``, from ``cms.scanning.fields`` and
elearning's package uploads). A scanner that is down leaves it ``pending``, never ``clean``; the
re-scan job (``file_scans_rescan``: beat and ``manage.py rescan_files``) scans it when the daemon is back.
An infected file is moved to ``quarantine/`` in the private storage and its uploader and its item's
owner are e-mailed, once the upload's transaction is committed.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.admin.admin_url_finder import AdminURLFinder

from cms.models import FileScan
from cms.scanning.clamd import ClamdClient, ScannerUnavailable
from cms.scanning.gate import scanning_enabled
from cms.scanning.registry import scanned_file_sources
from cms.storage import private_storage
from core.links import public_url

logger = logging.getLogger("partnerhub.scanning")
Status = FileScan.Status
QUARANTINE_PREFIX = "quarantine/"


def _client() -> ClamdClient:
    return ClamdClient(settings.CLAMAV_URL, timeout=settings.CLAMAV_TIMEOUT)


def file_scan_register(*, name: str, upload=None, uploaded_by=None, item=None, verdict=None) -> FileScan:
    """Record the newly stored file ``name`` and scan it now (from ``upload``, the open upload, when given).

    ``verdict``: the daemon's answer on the same bytes just before they were stored (no second scan).

    ``item`` is what the file belongs to (an asset, a package…; saved or about to be). Once the
    transaction commits, the record points at it and, if the file is infected, people are told.
    """
    user = uploaded_by if getattr(uploaded_by, "pk", None) else None
    scan, _created = FileScan.objects.update_or_create(
        name=name,
        defaults={
            "status": Status.PENDING if scanning_enabled() else Status.UNSCANNED,
            "signature": "",
            "detail": "",
            "attempts": 0,
            "quarantine_name": "",
            "uploaded_by": user,
            "scanned_at": None,
            "notified_at": None,
            **_item_reference(item),
        },
    )
    if scanning_enabled() and verdict is not None:
        scan.attempts, scan.scanned_at = 1, timezone.now()
        scan.status, scan.signature, scan.detail = verdict.status, verdict.signature[:255], verdict.detail[:500]
        if scan.status == Status.INFECTED:
            file_quarantine(scan=scan)
        scan.full_clean()
        scan.save()
    elif scanning_enabled():
        file_scan_run(scan=scan, upload=upload)
    if item is not None:
        transaction.on_commit(lambda: _after_commit(scan_pk=scan.pk, item=item), robust=True)
    return scan


def _item_reference(item) -> dict:
    if item is None:
        return {}
    return {
        "content_type": ContentType.objects.get_for_model(item, for_concrete_model=False),
        "object_id": item.pk,
    }


def _after_commit(*, scan_pk: int, item) -> None:
    """Point the record at its item (a new one has its id now), and tell people of an infected file."""
    if item.pk is not None:
        FileScan.objects.filter(pk=scan_pk, object_id__isnull=True).update(object_id=item.pk)
    scan = FileScan.objects.filter(pk=scan_pk, status=Status.INFECTED, notified_at__isnull=True).first()
    if scan is not None:
        file_scan_notify(scan=scan)


def file_scan_run(*, scan: FileScan, upload=None) -> FileScan:
    """Scan the file of ``scan`` once (from ``upload`` if given, else from the private storage) and record it.

    Raises nothing: a daemon that cannot be reached leaves the file pending, with why in ``detail``.
    """
    scan.attempts += 1
    try:
        verdict = _scan_upload(upload) if upload is not None else None
        if verdict is None:
            verdict = _scan_stored(scan.name)
    except ScannerUnavailable as error:
        logger.warning("Virus scan of %s postponed: %s", scan.name, error)
        scan.status = Status.PENDING
        scan.detail = f"The scanner was unavailable: {error}"[:500]
    except FileNotFoundError:
        scan.status, scan.detail, scan.scanned_at = Status.ERROR, "The stored file is missing.", timezone.now()
    else:
        scan.status, scan.signature, scan.detail = verdict.status, verdict.signature[:255], verdict.detail[:500]
        scan.scanned_at = timezone.now()
        if scan.status == Status.INFECTED:
            logger.warning("Infected file %s (%s): quarantined", scan.name, scan.signature)
            file_quarantine(scan=scan)
    scan.full_clean()
    scan.save()
    return scan


def _scan_upload(upload):
    try:
        upload.seek(0)
    except (ValueError, OSError):  # the storage closed it after copying it
        return None
    try:
        return _client().scan(upload)
    finally:
        upload.seek(0)


def _scan_stored(name: str):
    with private_storage().open(name, "rb") as handle:
        return _client().scan(handle)


def file_scan_upload_verdict(*, upload):
    """Scan an open upload that is not stored (yet): a ``Verdict``, or ``ScannerUnavailable`` raised."""
    upload.seek(0)
    try:
        return _client().scan(upload)
    finally:
        upload.seek(0)


def file_quarantine(*, scan: FileScan) -> None:
    """Move the infected file out of where readers look: to ``quarantine/<name>`` in the private storage."""
    storage = private_storage()
    try:
        with storage.open(scan.name, "rb") as handle:
            scan.quarantine_name = storage.save(QUARANTINE_PREFIX + scan.name, handle)
        storage.delete(scan.name)
    except FileNotFoundError:
        scan.quarantine_name = scan.quarantine_name or ""


def file_scan_record_quarantined(*, name: str, upload, signature: str, uploaded_by=None, item=None) -> FileScan:
    """Keep an infected upload that was refused before it was stored (a package): in the quarantine, recorded."""
    upload.seek(0)
    stored = private_storage().save(QUARANTINE_PREFIX + name, upload)
    user = uploaded_by if getattr(uploaded_by, "pk", None) else None
    scan = FileScan.objects.create(
        name=stored,
        status=Status.INFECTED,
        signature=signature[:255],
        attempts=1,
        quarantine_name=stored,
        uploaded_by=user,
        scanned_at=timezone.now(),
        **_item_reference(item),
    )
    file_scan_notify(scan=scan, item=item)
    return scan


def file_scan_notify(*, scan: FileScan, item=None) -> int:
    """E-mail the uploader and the item's owner that the file was found infected and quarantined (once)."""
    item = item if item is not None else scan.item
    owner = getattr(item, "owner", None) or getattr(item, "created_by", None)
    recipients = sorted({user.email for user in (scan.uploaded_by, owner) if user is not None and user.email})
    path = AdminURLFinder().get_edit_url(item) if item is not None else None
    context = {
        "scan": scan,
        "item": item,
        "url": public_url(path) if path else "",
    }
    if recipients:
        send_mail(
            subject=f"Partner Hub: an infected file was quarantined ({scan.signature or 'virus found'})",
            message=render_to_string("cms/emails/file_quarantined.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    FileScan.objects.filter(pk=scan.pk).update(notified_at=timezone.now())
    return len(recipients)


def file_scans_backfill() -> int:
    """Record the stored files of every registered model that have no scan yet (stored before scanning was on)."""
    status = Status.PENDING if scanning_enabled() else Status.UNSCANNED
    recorded = 0
    for model, field in scanned_file_sources():
        unrecorded = (
            model._default_manager.exclude(**{field: ""})
            .filter(~Exists(FileScan.objects.filter(name=OuterRef(field))))
            .values_list(field, flat=True)
            .distinct()
        )
        rows = [FileScan(name=name, status=status) for name in unrecorded.iterator()]
        recorded += len(FileScan.objects.bulk_create(rows, ignore_conflicts=True))
    return recorded


def file_scans_due():
    """What the re-scan job scans: pending and unscanned files, and errors not yet tried too often."""
    return FileScan.objects.filter(
        Q(status__in=[Status.PENDING, Status.UNSCANNED])
        | Q(status=Status.ERROR, attempts__lt=settings.CLAMAV_MAX_ATTEMPTS)
    ).order_by("created_at", "pk")


def file_scans_rescan(*, progress=None) -> dict[str, int]:
    """Scan every due file; stop at the first sign the scanner is down (what is left stays pending).

    ``progress(total)`` answers a function called once per file (a progress bar). Answers counts per status.
    """
    counts = {"clean": 0, "infected": 0, "error": 0, "pending": 0}
    if not scanning_enabled():
        return counts
    file_scans_backfill()
    due = list(file_scans_due().values_list("pk", flat=True))
    advance = progress(len(due)) if progress else None
    for done, pk in enumerate(due, start=1):
        scan = FileScan.objects.filter(pk=pk).first()
        if scan is None:
            continue
        scan = file_scan_run(scan=scan)
        counts[scan.status] = counts.get(scan.status, 0) + 1
        if scan.status == Status.INFECTED:
            file_scan_notify(scan=scan)
        if advance:
            advance(1)
        if scan.status == Status.PENDING:  # the daemon is down: the rest waits for the next run
            counts["pending"] += len(due) - done
            break
    return counts
