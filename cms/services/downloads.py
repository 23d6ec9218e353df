"""The audited download of an asset, shared by the API (``GET assets/{id}/download``) and the portal.

A link redirects to its URL. A file is handed out as a short-lived signed URL (S3, with
``Content-Disposition: attachment``) or streamed as an attachment with a safe name (local
storage): ``private_file_response``, which preview pictures are served through too. A
co-brandable PDF reaches a partner user as their partner's co-branded copy
(``cms.cobranding``). Every download is recorded (``activity.download_record``) once the
answer is ready, saying whether it was co-branded.
"""

import logging

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.text import slugify

from cms.cobranding.services import cobranded_file_for
from cms.models import Asset, FileScan
from cms.scanning.gate import file_refusal, is_servable_status
from cms.storage import private_storage
from partners.audience import viewer_for

from .activity import download_record

logger = logging.getLogger("partnerhub.api")


class AssetFileMissing(Exception):
    """The asset's file is not in private storage (nothing was recorded)."""


class AssetFileNotServable(Exception):
    """The asset's file is pending its virus scan, infected or unscannable (nothing was recorded); says why.

    ``waiting`` tells a file that may still be cleared (pending, not scanned yet) from one that will not.
    """

    def __init__(self, message: str, *, waiting: bool):
        super().__init__(message)
        self.waiting = waiting


def download_name(asset: Asset) -> str:
    """The file name a partner gets: the title, slugified, with the stored file's extension."""
    extension = asset.file.name.rsplit(".", 1)[-1].lower() if "." in asset.file.name else "bin"
    return f"{slugify(asset.title)[:80] or 'asset'}.{extension}"


def private_file_response(*, name: str, filename: str, inline: bool = False, stream: bool = False) -> HttpResponse:
    """The private file ``name``: on S3 a 302 to a signed URL expiring in ``PARTNERHUB_DOWNLOAD_URL_SECONDS``
    (unless ``stream``), else the file streamed. Raises ``AssetFileMissing`` when it is not in storage."""
    storage = private_storage()
    disposition = "inline" if inline else "attachment"
    if hasattr(storage, "bucket_name") and not stream:  # S3: hand out a signed URL that expires in minutes
        url = storage.url(
            name,
            parameters={"ResponseContentDisposition": f'{disposition}; filename="{filename}"'},
            expire=settings.PARTNERHUB_DOWNLOAD_URL_SECONDS,
        )
        return HttpResponseRedirect(url)
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        logger.error("The private file %s is missing", name)
        raise AssetFileMissing(name) from None
    return FileResponse(handle, as_attachment=not inline, filename=filename)


def _scan_refusal(asset: Asset) -> str | None:
    status = getattr(asset, "file_scan_status", _UNKNOWN)  # annotated by ``selectors.asset_for_download``
    if status is not _UNKNOWN and is_servable_status(status):
        return None
    return file_refusal(asset.file.name)


_UNKNOWN = object()


def asset_download_response(*, asset: Asset, user) -> HttpResponse:
    """Record the download of ``asset`` (from ``selectors.asset_for_download``) by ``user`` and answer it.

    Raises ``AssetFileMissing`` when the stored file is gone and ``AssetFileNotServable`` when its virus scan
    does not let it out (``cms.scanning.gate``); then nothing is recorded.
    """
    if asset.file and (refusal := _scan_refusal(asset)):
        status = getattr(asset, "file_scan_status", None)
        raise AssetFileNotServable(
            refusal, waiting=status in (None, FileScan.Status.PENDING, FileScan.Status.UNSCANNED)
        )
    cobranded = None
    if not asset.file:
        response = HttpResponseRedirect(asset.external_url)
    else:
        viewer = viewer_for(user)
        if asset.cobrandable and viewer is not None and viewer.partner_id:
            cobranded = cobranded_file_for(asset=asset, partner_id=viewer.partner_id)
        try:
            name = cobranded.file.name if cobranded else asset.file.name
            response = private_file_response(name=name, filename=download_name(asset))
        except AssetFileMissing:
            logger.error("Asset %s: its file %s is missing from private storage", asset.pk, asset.file.name)
            raise AssetFileMissing(asset.pk) from None
    download_record(asset=asset, user=user, cobranded=cobranded is not None)
    response["Cache-Control"] = "private, no-store"
    return response
