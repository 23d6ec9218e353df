"""The URLs of preview pictures: signed, bound to one user and one picture, expiring after minutes.

A URL names ``GET /api/v1/asset-previews/<token>``; the token (Django's signing, its own salt) holds the picture
and the user it was made for, and lives ``PARTNERHUB_DOWNLOAD_URL_SECONDS`` like the download's signed URLs.
Serving it checks the signature and age, that the requester is that user, and the audience rule again: a URL
copied to someone else, replayed after expiry or altered answers 404.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "partnerhub.asset-preview"


def preview_image_url(*, image, user, request=None) -> str:
    """The picture's URL for ``user``: absolute for the API (``request``), a path for the portal's pages."""
    token = signing.dumps({"i": image.pk, "u": user.pk}, salt=SALT)
    path = reverse("api-v1:asset_preview_image", kwargs={"token": token})
    return request.build_absolute_uri(path) if request is not None else path


def preview_image_id_from_token(*, token: str, user) -> int | None:
    """The picture a token names, if it is valid, not expired and made for ``user``; else ``None``."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PARTNERHUB_DOWNLOAD_URL_SECONDS)
    except signing.BadSignature:  # expired too (SignatureExpired is one)
        return None
    if not isinstance(data, dict) or data.get("u") != getattr(user, "pk", None) or not isinstance(data.get("i"), int):
        return None
    return data["i"]


def previews_payload(*, user, images, request=None) -> dict:
    """The API's and the portal's view of an asset's pictures: ``thumbnail_url`` and ``preview_pages``."""
    thumbnail = next((image for image in images if image.kind == "thumbnail"), None)
    return {
        "thumbnail_url": thumbnail and preview_image_url(request=request, image=thumbnail, user=user),
        "preview_pages": [
            {
                "page": image.page,
                "url": preview_image_url(request=request, image=image, user=user),
                "width": image.width,
                "height": image.height,
            }
            for image in images
            if image.kind == "page"
        ],
    }
