"""Writes of what partner users do: read their feed, acknowledge a bulletin, download an asset."""

from django.utils import timezone

from cms.models import Asset, BulletinAcknowledgement, Download, FeedVisit
from partners.audience import viewer_for


def feed_visit_record(*, user, now=None):
    """Record that ``user`` has seen their feed up to now ("mark as seen"); return when they had before
    (``None`` the first time). Reading the feed does not call this: what is new stays new until they say so."""
    now = now or timezone.now()
    visit = FeedVisit.objects.filter(user=user).first()
    previous = visit.visited_at if visit else None
    FeedVisit.objects.update_or_create(user=user, defaults={"visited_at": now})
    return previous


def bulletin_acknowledge(*, bulletin, user) -> BulletinAcknowledgement:
    """Record that ``user`` read ``bulletin``; acknowledging twice keeps the first time."""
    membership = getattr(user, "partner_membership", None)
    acknowledgement, _created = BulletinAcknowledgement.objects.get_or_create(
        bulletin=bulletin, user=user, defaults={"partner": membership.partner if membership else None}
    )
    return acknowledgement


def download_record(*, asset: Asset, user, cobranded: bool = False) -> Download:
    """Record that a partner user downloaded the asset's current version (``cobranded``: with their logo)."""
    viewer = viewer_for(user)  # already loaded by the request's authentication: no query
    version_id = getattr(asset, "latest_version_id", None)
    if version_id is None:
        version_id = asset.versions.order_by("-number").values_list("pk", flat=True).first()
    download = Download(
        asset_id=asset.pk,
        version_id=version_id,
        user=user,
        partner_id=viewer.partner_id if viewer else None,
        cobranded=cobranded,
    )
    # The foreign keys come from rows just read; re-checking each would cost four queries per download.
    download.full_clean(exclude=["asset", "version", "user", "partner"])
    download.save()
    return download
