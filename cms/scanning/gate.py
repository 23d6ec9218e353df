"""May a stored file be published or served? The one answer every reader of a file asks.

With scanning on (``CLAMAV_URL`` set) only a file ClamAV found clean is servable: pending,
infected, error, or never recorded is not. With scanning off (the embedded default without
services) a file is servable unless it was found infected.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cms.models.scans import FileScan

Status = FileScan.Status

# Learners read these too (a package that cannot be launched yet): in the request's language.
REFUSALS = {
    Status.PENDING: _(
        "This file is waiting for its virus scan. It can be published and downloaded once it is "
        "found clean; try again in a few minutes."
    ),
    Status.UNSCANNED: _(
        "This file has not been scanned for viruses yet. It can be published and downloaded once "
        "it is found clean; try again in a few minutes."
    ),
    Status.INFECTED: _(
        "This file was found infected ({signature}) and is quarantined: it cannot be published "
        "or downloaded. Upload a clean file."
    ),
    Status.ERROR: _(
        "The virus scanner could not scan this file ({detail}). It cannot be published or "
        "downloaded; upload it again or ask an administrator."
    ),
}


def scanning_enabled() -> bool:
    return bool(settings.CLAMAV_URL)


def servable_statuses() -> set[str]:
    if scanning_enabled():
        return {Status.CLEAN}
    return {Status.CLEAN, Status.PENDING, Status.UNSCANNED, Status.ERROR}


def is_servable_status(status: str | None) -> bool:
    """Whether a file whose scan has ``status`` (``None``: no record) may be published or served."""
    if status is None:
        return not scanning_enabled()
    return status in servable_statuses()


def servable_q(field: str = "file") -> Q:
    """Rows whose file (``field`` holds its name in the private storage) may be served: for querysets."""
    scans = FileScan.objects.filter(name=OuterRef(field))
    if scanning_enabled():
        return Q(Exists(scans.filter(status=Status.CLEAN)))
    return ~Q(Exists(scans.filter(status=Status.INFECTED)))


def scan_status_of(name: str) -> FileScan | None:
    return FileScan.objects.filter(name=name).first() if name else None


def file_scan_refusal(scan: FileScan | None) -> str | None:
    """Why the file of ``scan`` may not be published or served, in words for an editor or a partner; else ``None``."""
    status = scan.status if scan is not None else None
    if is_servable_status(status):
        return None
    template = REFUSALS.get(status or Status.UNSCANNED)
    return template.format(signature=scan.signature if scan else "", detail=scan.detail if scan else "")


def refused_file_names(names) -> set[str]:
    """Those of the stored files ``names`` that may not be published or served (one query for all)."""
    names = {name for name in names if name}
    if not names:
        return set()
    statuses = dict(FileScan.objects.filter(name__in=names).values_list("name", "status"))
    return {name for name in names if not is_servable_status(statuses.get(name))}


def file_refusal(name: str) -> str | None:
    """``file_scan_refusal`` of the stored file ``name`` (one query)."""
    return file_scan_refusal(scan_status_of(name))
