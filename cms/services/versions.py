"""Writes of asset versions: each newly published file of an asset is kept as a version.

``core.signals.asset_file_stored`` tells what listens (previews, text) which version has a new file, or a
new PDF rendition, inside the transaction that stores it.
"""

from django.utils import timezone

from cms.models import Asset, AssetVersion
from core.signals import asset_file_stored, content_event


def asset_record_versions(*, assets, user=None, now=None) -> list[AssetVersion]:
    """Record each published asset's file as a new version when it differs from its latest one.

    Old versions are kept (their files too), so partners who downloaded an earlier
    version can be told what changed. Two queries whatever the number of assets.
    """
    now = now or timezone.now()
    assets = [a for a in assets if a.file]
    latest: dict[int, AssetVersion] = {}
    for version in AssetVersion.objects.filter(asset__in=[a.pk for a in assets]).order_by("asset_id", "-number"):
        latest.setdefault(version.asset_id, version)
    new_versions, renditions = [], []
    for asset in assets:
        previous = latest.get(asset.pk)
        if previous is not None and previous.file.name == asset.file.name:
            if (previous.pdf_rendition.name or "") != (asset.pdf_rendition.name or ""):
                previous.pdf_rendition = asset.pdf_rendition.name or ""
                renditions.append(previous)
            continue
        new_versions.append(
            AssetVersion(
                asset=asset,
                number=previous.number + 1 if previous else 1,
                file=asset.file.name,
                change_note=asset.version_note if previous else (asset.version_note or "First version"),
                pdf_rendition=asset.pdf_rendition.name or "",
                created_at=now,
                created_by=user,
            )
        )
    created = AssetVersion.objects.bulk_create(new_versions)
    AssetVersion.objects.bulk_update(renditions, ["pdf_rendition"])
    # Inside the transaction, so that what each receiver records (a text waiting to be read) commits with the
    # version or not at all; receivers hand work to the worker only after the commit.
    for version in [*created, *renditions]:
        asset_file_stored.send(sender=Asset, asset_id=version.asset_id, version_id=version.pk)
    if renewed := [version.asset_id for version in created if version.number > 1]:
        content_event.send(sender=Asset, event="new_version", pks=renewed)
    return created
