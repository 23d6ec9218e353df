"""Reads of gated content for partners: every one goes through the audience rule (``visible_to``)."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery

from .models import Asset, AssetVersion, Bulletin, BulletinAcknowledgement, Program


def _with_latest_version(queryset):
    """Annotate the latest version (for filters on it, like the feed's "updated since my download")."""
    latest = AssetVersion.objects.filter(asset=OuterRef("pk")).order_by("-number")
    return queryset.annotate(latest_version_created_at=Subquery(latest.values("created_at")[:1]))


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
    return (
        queryset.select_related("locale")
        .prefetch_related("products", "languages", latest_versions())
        .order_by(*order[ordering])
    )


def asset_for_partner(*, user, asset_id: int) -> Asset | None:
    return (
        Asset.objects.visible_to(user)
        .select_related("locale")
        .prefetch_related("products", "languages", latest_versions())
        .filter(pk=asset_id)
        .first()
    )


def asset_for_download(*, user, asset_id: int) -> Asset | None:
    """Just what a download needs: the visible asset's file, link, title and latest version (two queries)."""
    latest = AssetVersion.objects.filter(asset=OuterRef("pk")).order_by("-number").values("pk")[:1]
    return (
        Asset.objects.visible_to(user)
        .filter(pk=asset_id)
        .annotate(latest_version_id=Subquery(latest))
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
    from datetime import timedelta

    from .models import Download

    assets = _with_latest_version(Asset.objects.visible_to(user)).select_related("locale")
    assets = assets.prefetch_related("products", "languages", latest_versions())
    limit = FEED_SECTION_LIMIT
    new_assets = list(assets.filter(first_published_at__gt=since).order_by("-first_published_at", "-pk")[:limit])
    updated_assets = list(
        assets.filter(last_published_at__gt=since, first_published_at__lte=since).order_by("-last_published_at")[
            :limit
        ]
    )
    new_programs = list(
        programs_for_partner(user=user).filter(first_published_at__gt=since).order_by("-first_published_at")[:limit]
    )
    acknowledged = acknowledged_bulletin_ids(user=user)
    unacknowledged = Bulletin.objects.filter(requires_acknowledgement=True).exclude(pk__in=acknowledged)
    bulletins = list(
        bulletins_for_partner(user=user)
        .filter(Q(pinned=True) | Q(first_published_at__gt=since) | Q(pk__in=unacknowledged.values("pk")))
        .order_by("-pinned", "-last_published_at")[:limit]
    )
    horizon = now + timedelta(days=expiring_within_days)
    expiring_assets = list(assets.filter(expire_at__gt=now, expire_at__lte=horizon).order_by("expire_at")[:limit])
    my_last_download = (
        Download.objects.filter(user=user, asset=OuterRef("pk")).order_by("-downloaded_at").values("downloaded_at")[:1]
    )
    downloaded = Download.objects.filter(user=user, asset=OuterRef("pk"))
    updated_since_download = list(
        assets.annotate(my_last_download=Subquery(my_last_download))
        .filter(Exists(downloaded), latest_version_created_at__gt=F("my_last_download"))
        .order_by("-latest_version_created_at")[:limit]
    )
    return {
        "since": since,
        "new_assets": new_assets,
        "updated_assets": updated_assets,
        "new_programs": new_programs,
        "bulletins": bulletins,
        "unacknowledged_bulletin_ids": {
            b.pk for b in bulletins if b.requires_acknowledgement and b.pk not in acknowledged
        },
        "expiring_assets": expiring_assets,
        "updated_since_download": updated_since_download,
        "acknowledged": acknowledged,
    }


COUNT_CACHE_SECONDS = 60


def _content_generation() -> str:
    """Changes whenever any asset changes: a save (``updated_at``) or any logged transition, sweeps included."""
    from django.db.models import Max

    from wagtail.models import ModelLogEntry

    last_log = ModelLogEntry.objects.aggregate(last=Max("pk"))["last"]
    last_save = Asset.objects.aggregate(last=Max("updated_at"))["last"]
    return f"{last_log}:{last_save.timestamp() if last_save else 0}"


def _seconds_until_next_transition(generation: str, now) -> float:
    """Until the next expiry or go-live of a live asset: no cached count may outlive it."""
    from django.core.cache import cache
    from django.db.models import Min

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
    import hashlib
    import json

    from django.core.cache import cache
    from django.utils import timezone

    from partners.audience import viewer_for

    viewer = viewer_for(user)
    if viewer is None:
        return 0
    generation = _content_generation()
    ttl = min(COUNT_CACHE_SECONDS, _seconds_until_next_transition(generation, timezone.now()))
    if ttl < 1:
        return queryset.count()
    audience = (viewer.tier_rank, viewer.partner_type_id, viewer.region_id, sorted(viewer.role_ids))
    digest = hashlib.sha256(json.dumps([audience, filters, generation], default=str).encode()).hexdigest()
    key = f"partnerhub:asset-count:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, int(ttl))
    return count
