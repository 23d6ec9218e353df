"""Reads of gated content for partners: every one goes through the audience rule (``visible_to``)."""

import hashlib
import json
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from wagtail.models import ModelLogEntry

from partners.audience import viewer_for

from .models import Asset, AssetVersion, Bulletin, BulletinAcknowledgement, Download, Program


def _latest_version(field: str) -> Subquery:
    """A field of the asset's latest version, as a subquery on the outer asset."""
    return Subquery(AssetVersion.objects.filter(asset=OuterRef("pk")).order_by("-number").values(field)[:1])


def _with_summary_relations(queryset):
    """What the API's asset summary reads, loaded for the whole page at once."""
    return queryset.select_related("locale").prefetch_related("products", "languages", latest_versions())


def latest_versions() -> Prefetch:
    """Each asset's latest version as ``asset.latest_version_list`` (one query for the whole page)."""
    newest = AssetVersion.objects.filter(
        number=Subquery(AssetVersion.objects.filter(asset=OuterRef("asset")).order_by("-number").values("number")[:1])
    )
    return Prefetch("versions", queryset=newest, to_attr="latest_version_list")


def assets_for_partner(
    *,
    user,
    asset_type: str | None = None,
    product: str | None = None,
    language: str | None = None,
    updated_since=None,
    locale: str | None = None,
    ordering: str = "-published_at",
):
    """The assets ``user`` may see, filtered, one language variant each, in a fixed number of queries."""
    queryset = Asset.objects.visible_to(user)
    if locale:
        queryset = queryset.localized_for(user, locale)
    if asset_type:
        queryset = queryset.filter(asset_type=asset_type)
    # Exists, not joins: a join on a many-to-many needs DISTINCT, which sorts every visible row.
    if product:
        queryset = queryset.filter(
            Exists(Asset.products.through.objects.filter(asset=OuterRef("pk"), product__key=product))
        )
    if language:
        queryset = queryset.filter(
            Exists(Asset.languages.through.objects.filter(asset=OuterRef("pk"), language__key=language.lower()))
        )
    if updated_since:
        queryset = queryset.filter(last_published_at__gte=updated_since)
    order = {"-published_at": ["-last_published_at", "-pk"], "title": ["title", "pk"], "-title": ["-title", "-pk"]}
    return _with_summary_relations(queryset).order_by(*order[ordering])


def asset_for_partner(*, user, asset_id: int) -> Asset | None:
    return _with_summary_relations(Asset.objects.visible_to(user)).filter(pk=asset_id).first()


def asset_for_download(*, user, asset_id: int) -> Asset | None:
    """Just what a download needs: the visible asset's file, link, title and latest version (two queries)."""
    return (
        Asset.objects.visible_to(user)
        .filter(pk=asset_id)
        .annotate(latest_version_id=_latest_version("pk"))
        .only("pk", "title", "file", "external_url")
        .first()
    )


def asset_translations_for_partner(*, user, asset: Asset) -> list[tuple[int, str]]:
    """The other language variants of ``asset`` that ``user`` may see: ``(id, language code)``."""
    return list(
        Asset.objects.visible_to(user)
        .filter(translation_key=asset.translation_key)
        .exclude(pk=asset.pk)
        .values_list("pk", "locale__language_code")
    )


def _visible_assets_prefetch(user, attr: str):
    return Prefetch(attr, queryset=Asset.objects.visible_to(user).order_by("title"), to_attr=f"visible_{attr}")


def programs_for_partner(*, user):
    return (
        Program.objects.visible_to(user)
        .prefetch_related("key_dates", _visible_assets_prefetch(user, "related_assets"))
        .order_by("-last_published_at", "-pk")
    )


def bulletins_for_partner(*, user):
    return (
        Bulletin.objects.visible_to(user)
        .prefetch_related(_visible_assets_prefetch(user, "attachments"))
        .order_by("-pinned", "-last_published_at", "-pk")
    )


def acknowledged_bulletin_ids(*, user) -> set[int]:
    return set(BulletinAcknowledgement.objects.filter(user=user).values_list("bulletin_id", flat=True))


FEED_SECTION_LIMIT = 20


def feed_for_partner(*, user, since, now, expiring_within_days: int = 14) -> dict:
    """What is new for ``user`` since ``since``: the partner home page in one call, in a fixed number of queries."""
    assets = _with_summary_relations(
        Asset.objects.visible_to(user).annotate(latest_version_created_at=_latest_version("created_at"))
    )
    limit = FEED_SECTION_LIMIT
    acknowledged = acknowledged_bulletin_ids(user=user)
    unacknowledged = Q(requires_acknowledgement=True) & ~Q(pk__in=acknowledged)
    my_last_download = Download.objects.filter(user=user, asset=OuterRef("pk")).order_by("-downloaded_at")
    horizon = now + timedelta(days=expiring_within_days)
    return {
        "acknowledged": acknowledged,
        "new_assets": list(assets.filter(first_published_at__gt=since).order_by("-first_published_at", "-pk")[:limit]),
        "updated_assets": list(
            assets.filter(last_published_at__gt=since, first_published_at__lte=since).order_by("-last_published_at")[
                :limit
            ]
        ),
        "new_programs": list(
            programs_for_partner(user=user)
            .filter(first_published_at__gt=since)
            .order_by("-first_published_at")[:limit]
        ),
        "bulletins": list(
            bulletins_for_partner(user=user)
            .filter(Q(pinned=True) | Q(first_published_at__gt=since) | unacknowledged)
            .order_by("-pinned", "-last_published_at")[:limit]
        ),
        "expiring_assets": list(
            assets.filter(expire_at__gt=now, expire_at__lte=horizon).order_by("expire_at")[:limit]
        ),
        # Never downloaded: the comparison with NULL is false, so those are left out without another subquery.
        "updated_since_download": list(
            assets.annotate(my_last_download=Subquery(my_last_download.values("downloaded_at")[:1]))
            .filter(latest_version_created_at__gt=F("my_last_download"))
            .order_by("-latest_version_created_at")[:limit]
        ),
    }


COUNT_CACHE_SECONDS = 60


def _content_generation() -> str:
    """Changes whenever any asset changes: a save (``updated_at``) or any logged transition, sweeps included."""
    last_log = ModelLogEntry.objects.aggregate(last=Max("pk"))["last"]
    last_save = Asset.objects.aggregate(last=Max("updated_at"))["last"]
    return f"{last_log}:{last_save.timestamp() if last_save else 0}"


def _seconds_until_next_transition(generation: str, now) -> float:
    """Until the next expiry or go-live of a live asset: no cached count may outlive it."""
    key = f"partnerhub:asset-next-transition:{generation}"
    moment = cache.get(key)
    if moment is None:
        moment = Asset.objects.filter(live=True).aggregate(
            expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
            go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        )
        moment = min((m for m in moment.values() if m is not None), default=False)
        cache.set(key, moment, COUNT_CACHE_SECONDS)
    return COUNT_CACHE_SECONDS if not moment else max(0.0, (moment - now).total_seconds())


def cached_asset_count(*, queryset, user, filters: dict) -> int:
    """The count of a partner's asset list, shared by everyone with the same audience and filters.

    Counting every visible row is the expensive part of a list; the answer depends only
    on the viewer's tier, type, region and roles (not on who they are), so it is cached
    under those, the filters and the content generation, and never beyond the next
    scheduled expiry or go-live: a cached count is always the count of the list served.
    """
    viewer = viewer_for(user)
    if viewer is None:
        return 0
    generation = _content_generation()
    ttl = min(COUNT_CACHE_SECONDS, _seconds_until_next_transition(generation, timezone.now()))
    if ttl < 1:
        return queryset.count()
    digest = hashlib.sha256(json.dumps([viewer.audience_key, filters, generation], default=str).encode()).hexdigest()
    key = f"partnerhub:asset-count:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, int(ttl))
    return count
