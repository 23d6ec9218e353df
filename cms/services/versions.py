"""Writes of asset versions: each newly published file of an asset is kept as a version.

After the commit, ``core.signals.asset_file_stored`` tells what listens (previews, text, the scan) which
version has a new file, or a new PDF rendition.
"""

from django.db import transaction
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
    stored = [(version.asset_id, version.pk) for version in [*created, *renditions]]
    if stored:
        transaction.on_commit(lambda: _tell_file_stored(stored), robust=True)
    if renewed := [version.asset_id for version in created if version.number > 1]:
        content_event.send(sender=Asset, event="new_version", pks=renewed)
    return created


def _tell_file_stored(stored) -> None:
    for asset_id, version_id in stored:
        asset_file_stored.send(sender=Asset, asset_id=asset_id, version_id=version_id)
