"""The route serving preview pictures: ``GET /api/v1/asset-previews/<token>`` (the URLs ``signing`` makes).

The requester must be the user the URL was made for (API token or session), the URL must be unexpired, and the
picture must still belong to the current servable version of an asset the user may see; anything else is 404.
The picture is streamed from the private storage (never a bucket URL: the portal's CSP stays ``'self'``).
"""

from django.conf import settings
from django.http import Http404

from ninja import Router

from ..services.downloads import AssetFileMissing, private_file_response
from .selectors import preview_image_for_partner
from .signing import preview_image_id_from_token

router = Router(tags=["content"])


@router.get(
    "/asset-previews/{token}",
    response={200: None, 404: None},
    url_name="asset_preview_image",
    summary="A preview picture of an asset (from thumbnail_url / preview_pages)",
    description="A JPEG. The URL is signed for the user who read it and expires after "
    "PARTNERHUB_DOWNLOAD_URL_SECONDS; another user, an expired URL or an asset no longer visible is a 404.",
)
def asset_preview_image(request, token: str):
    image_id = preview_image_id_from_token(token=token[:512], user=request.auth)
    image = image_id and preview_image_for_partner(user=request.auth, image_id=image_id)
    if not image:
        raise Http404
    try:
        response = private_file_response(
            name=image.file.name, filename=f"{image.kind}-{image.page}.jpg", inline=True, stream=True
        )
    except AssetFileMissing:
        raise Http404 from None
    response["Cache-Control"] = f"private, max-age={settings.PARTNERHUB_DOWNLOAD_URL_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
