"""Reads of previews: only of each asset's current, servable version, and only for who may see the asset."""

from django.db.models import F

from ..models import Asset, AssetVersion, PreviewImage, VersionPreview


def _current_servable_images():
    versions = AssetVersion.objects.servable().current()
    return PreviewImage.objects.filter(
        preview__version__in=versions, preview__status=VersionPreview.Status.READY
    ).annotate(asset_id=F("preview__version__asset_id"), page_count=F("preview__page_count"))


def preview_images_for_assets(*, asset_ids, thumbnails_only: bool = False) -> dict[int, list[PreviewImage]]:
    """The pictures of these assets' current versions (read the assets through the audience rule first).

    ``{asset id: [thumbnail, page 1, page 2…]}``, one query whatever the number of assets; an asset
    without previews is not in it.
    """
    images = _current_servable_images().filter(preview__version__asset_id__in=list(asset_ids))
    if thumbnails_only:
        images = images.filter(kind=PreviewImage.Kind.THUMBNAIL)
    found: dict[int, list[PreviewImage]] = {}
    for image in images.order_by("kind", "page").only("pk", "kind", "page", "width", "height", "file"):
        found.setdefault(image.asset_id, []).append(image)
    return found


def preview_image_for_partner(*, user, image_id: int) -> PreviewImage | None:
    """One picture, if it belongs to the current servable version of an asset ``user`` may see (one query)."""
    return (
        _current_servable_images()
        .filter(pk=image_id, preview__version__asset__in=Asset.objects.visible_to(user))
        .only("pk", "kind", "page", "file")
        .first()
    )


def attach_previews(assets, *, thumbnails_only: bool = True) -> list:
    """Set ``preview_images`` (pages, then the thumbnail) and ``preview_page_count`` on each asset (one query)."""
    found = preview_images_for_assets(asset_ids=[asset.pk for asset in assets], thumbnails_only=thumbnails_only)
    for asset in assets:
        asset.preview_images = found.get(asset.pk, [])
        asset.preview_page_count = asset.preview_images[0].page_count if asset.preview_images else None
    return assets


def versions_needing_previews(*, everything: bool = False) -> list[int]:
    """Ids of current servable versions without previews (``everything``: all current servable versions)."""
    versions = AssetVersion.objects.servable().current().filter(asset__archived_at__isnull=True)
    if not everything:
        versions = versions.filter(preview__isnull=True)
    return list(versions.order_by("pk").values_list("pk", flat=True))
