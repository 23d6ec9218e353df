"""The co-branded copy of an asset's current version for one partner: made on the first download, then reused.

The copy is kept on the private storage (``CobrandedFile``, one per version and partner). Its ``fingerprint``
covers the partner's logo (its SHA-256) and name and the asset's placement, so a new logo or name, or a new
placement, makes the next download stamp a fresh copy; a new version is a new row. The original is never
changed. Only servable versions (``AssetVersion.objects.servable()``) are co-branded.
"""

import hashlib
import json
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from partners.models import Partner

from ..models import Asset, AssetVersion, CobrandedFile
from .stamp import StampError, stamp_pdf

logger = logging.getLogger("partnerhub.cobranding")

#: Raise when the stamp's drawing changes: every cached copy is made again on its next download.
STAMP_VERSION = 1


def cobrand_fingerprint(*, asset: Asset, partner: Partner) -> str:
    parts = [
        STAMP_VERSION,
        partner.logo_sha256,
        partner.cobrand_name,
        asset.cobrand_pages,
        asset.cobrand_corner,
        asset.cobrand_size,
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _read(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def cobranded_file_for(*, asset: Asset, partner_id: int) -> CobrandedFile | None:
    """The partner's co-branded copy of the asset's current servable version, made now if missing or stale.

    ``None`` when there is nothing to co-brand (no servable version, or a PDF the stamp cannot change: then
    the partner gets the original, and the log says why).
    """
    version = AssetVersion.objects.servable().current().filter(asset_id=asset.pk).only("pk", "file").first()
    if version is None or version.file.name != asset.file.name:
        return None
    partner = Partner.objects.only("pk", "name", "display_name", "logo", "logo_sha256").get(pk=partner_id)
    fingerprint = cobrand_fingerprint(asset=asset, partner=partner)
    cached = CobrandedFile.objects.filter(version=version, partner=partner).first()
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    try:
        stamped = stamp_pdf(
            _read(version.file),
            name=partner.cobrand_name,
            logo=_read(partner.logo) if partner.logo else None,
            pages=asset.cobrand_pages,
            corner=asset.cobrand_corner,
            size=asset.cobrand_size,
        )
    except StampError as error:
        logger.warning("Asset %s version %s cannot be co-branded: %s", asset.pk, version.pk, error)
        return None
    return _keep(version=version, partner=partner, fingerprint=fingerprint, data=stamped)


def _keep(*, version, partner, fingerprint: str, data: bytes) -> CobrandedFile:
    """Store the new copy and point the (version, partner) row at it; a parallel download's copy wins if first."""
    new = CobrandedFile(version=version, partner=partner, fingerprint=fingerprint)
    new.file.save(f"v{version.pk}-p{partner.pk}-{secrets.token_hex(8)}.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            row = CobrandedFile.objects.select_for_update().filter(version=version, partner=partner).first()
            if row is not None and row.fingerprint == fingerprint:  # made meanwhile by another download
                transaction.on_commit(lambda: new.file.storage.delete(new.file.name), robust=True)
                return row
            if row is None:
                new.full_clean(exclude=["version", "partner"])
                new.save()
                return new
            old_name = row.file.name
            row.fingerprint, row.file, row.created_at = fingerprint, new.file.name, new.created_at
            row.full_clean(exclude=["version", "partner"])
            row.save()
            transaction.on_commit(lambda: row.file.storage.delete(old_name), robust=True)
            return row
    except IntegrityError:  # a parallel first download created the row between our read and insert
        new.file.storage.delete(new.file.name)
        return CobrandedFile.objects.get(version=version, partner=partner)
