"""The audited download of an asset, shared by the API (``GET assets/{id}/download``) and the portal.

A link redirects to its URL. A file is handed out as a short-lived signed URL (S3, with
``Content-Disposition: attachment``) or streamed as an attachment with a safe name (local
storage). Every download is recorded (``activity.download_record``) once the answer is ready.
"""

import logging

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.text import slugify

from cms.models import Asset, FileScan
from cms.scanning.gate import file_refusal, is_servable_status
from cms.storage import private_storage

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
    if not asset.file:
        response = HttpResponseRedirect(asset.external_url)
    else:
        storage = private_storage()
        name = download_name(asset)
        if hasattr(storage, "bucket_name"):  # S3: hand out a signed URL that expires in minutes
            url = storage.url(
                asset.file.name,
                parameters={"ResponseContentDisposition": f'attachment; filename="{name}"'},
                expire=settings.PARTNERHUB_DOWNLOAD_URL_SECONDS,
            )
            response = HttpResponseRedirect(url)
        else:
            try:
                response = FileResponse(storage.open(asset.file.name, "rb"), as_attachment=True, filename=name)
            except FileNotFoundError:
                logger.error("Asset %s: its file %s is missing from private storage", asset.pk, asset.file.name)
                raise AssetFileMissing(asset.pk) from None
    download_record(asset=asset, user=user)
    response["Cache-Control"] = "private, no-store"
    return response
