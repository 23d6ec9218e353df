"""The audited download of an asset, shared by the API (``GET assets/{id}/download``) and the portal.

A link redirects to its URL. A file is handed out as a short-lived signed URL (S3, with
``Content-Disposition: attachment``) or streamed as an attachment with a safe name (local
storage). Every download is recorded (``activity.download_record``) once the answer is ready.
"""

import logging

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.text import slugify

from cms.models import Asset
from cms.storage import private_storage

from .activity import download_record

logger = logging.getLogger("partnerhub.api")


class AssetFileMissing(Exception):
    """The asset's file is not in private storage (nothing was recorded)."""


def download_name(asset: Asset) -> str:
    """The file name a partner gets: the title, slugified, with the stored file's extension."""
    extension = asset.file.name.rsplit(".", 1)[-1].lower() if "." in asset.file.name else "bin"
    return f"{slugify(asset.title)[:80] or 'asset'}.{extension}"


def asset_download_response(*, asset: Asset, user) -> HttpResponse:
    """Record the download of ``asset`` (from ``selectors.asset_for_download``) by ``user`` and answer it.

    Raises ``AssetFileMissing`` when the stored file is gone; then nothing is recorded.
    """
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
