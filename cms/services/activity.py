"""Writes of what partner users do: read their feed, acknowledge a bulletin, view an item, download an asset."""

from django.utils import timezone

from cms.models import Asset, BulletinAcknowledgement, ContentView, Download, FeedVisit
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


def record_content_view(*, user, item) -> ContentView | None:
    """Record that a partner user read ``item``'s detail (an asset, program, bulletin, course: any gated kind).

    Called by the detail endpoints (API and portal) once the item is found visible, so 404s and locked items
    (403) never get here. One INSERT and nothing else: the partner is the request's ``viewer_for`` (already
    loaded when the audience rule ran), the item is the row just read. A user with no partner access today
    (anonymous, staff without a membership) records nothing; editors' previews never call this. Staff who are
    members of a partner are recorded like anyone of that partner (as their downloads and searches are);
    ``ContentView.objects.by_partner_users()`` leaves them out.
    """
    viewer = viewer_for(user)  # already loaded by the request's audience rule: no query
    if viewer is None:
        return None
    view = ContentView(kind=item._meta.model_name, item_id=item.pk, user=user, partner_id=viewer.partner_id)
    # The user and partner come from the authenticated request: checking they exist would cost two queries.
    view.full_clean(exclude=["user", "partner"])
    view.save()
    return view


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
