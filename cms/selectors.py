"""Reads of the content library: partners' reads go through the audience rule (``visible_to``).

Also the editors' side: which owner reminders are due, and a free key for a new language variant.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from wagtail.models import Locale, ModelLogEntry

from cms.gating.models import GatedContent, gated_content_models
from core.feed import feed_sections_for
from partners.audience import count_visible, viewer_for

from .models import (
    Asset,
    AssetVersion,
    Bulletin,
    BulletinAcknowledgement,
    Download,
    FeedVisit,
    FileScan,
    OwnerReminder,
    Program,
)
from .summary_rows import summary_relation_rows
from .uploads import stored_asset_file_problem


def _latest_version(field: str) -> Subquery:
    """A field of the asset's latest version, as a subquery on the outer asset."""
    return Subquery(AssetVersion.objects.filter(asset=OuterRef("pk")).order_by("-number").values(field)[:1])


def _with_summary_relations(queryset):
    """What the API's asset summary reads from the row itself; ``attach_summary_relations`` adds the rest."""
    return queryset.select_related("locale")


def attach_summary_relations(assets) -> list[Asset]:
    """Load products, languages and the latest version of a page of assets: two light queries, whatever its size.

    Sets ``product_refs`` and ``language_refs`` (``[{"key", "name"}]``, by name) and
    ``latest_version`` (a dict, or ``None``) on each asset. Plain rows of SQL written once per process
    (``cms.summary_rows``; no ORM query compiled per request, no model instances for lookup tables),
    products and languages in one query.
    """
    assets = list(assets)
    ids = [asset.pk for asset in assets]
    relations = {"products": {}, "languages": {}}
    related, latest = summary_relation_rows(ids)
    for asset_id, relation, key, label in sorted(related, key=lambda row: row[3]):
        relations[relation].setdefault(asset_id, []).append({"key": key, "name": label})
    versions = {asset_id: {"number": n, "note": note, "created_at": at} for asset_id, n, note, at in latest}
    for asset in assets:
        asset.product_refs = relations["products"].get(asset.pk, [])
        asset.language_refs = relations["languages"].get(asset.pk, [])
        asset.latest_version = versions.get(asset.pk)
    return assets


def attach_summary_relations_in_memory(asset: Asset) -> Asset:
    """``attach_summary_relations`` for one asset as it is in memory (a preview of unsaved relations)."""
    asset.product_refs = [{"key": p.key, "name": p.name} for p in asset.products.all()]
    asset.language_refs = [{"key": lang.key, "name": lang.name} for lang in asset.languages.all()]
    version = asset.versions.order_by("-number").first() if asset.pk else None
    asset.latest_version = version and {
        "number": version.number,
        "note": version.change_note,
        "created_at": version.created_at,
    }
    return asset


def _filter_assets(
    queryset,
    *,
    asset_type: str | None = None,
    product: str | None = None,
    language: str | None = None,
    updated_since=None,
):
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
    return queryset


ASSET_ORDERINGS = {
    "-published_at": ["-last_published_at", "-pk"],
    "title": ["title", "pk"],
    "-title": ["-title", "-pk"],
}


def assets_for_partner(*, user, locale: str | None = None, ordering: str = "-published_at", **filters):
    """The assets ``user`` may see, filtered (``_filter_assets``), one language variant each.

    Pass each page through ``attach_summary_relations`` before building summaries.
    """
    queryset = Asset.objects.visible_to(user)
    if locale:
        queryset = queryset.localized_for(user, locale)
    return _with_summary_relations(_filter_assets(queryset, **filters)).order_by(*ASSET_ORDERINGS[ordering])


def asset_for_partner(*, user, asset_id: int) -> Asset | None:
    asset = _with_summary_relations(Asset.objects.visible_to(user)).filter(pk=asset_id).first()
    return asset and attach_summary_relations([asset])[0]


def asset_for_download(*, user, asset_id: int) -> Asset | None:
    """Just what a download needs: the visible asset's file, link, title, latest version and scan (two queries)."""
    return (
        Asset.objects.visible_to(user)
        .filter(pk=asset_id)
        .annotate(
            latest_version_id=_latest_version("pk"),
            file_scan_status=Subquery(FileScan.objects.filter(name=OuterRef("file")).values("status")[:1]),
        )
        .only("pk", "title", "file", "external_url", "cobrandable", "cobrand_pages", "cobrand_corner", "cobrand_size")
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


def asset_versions_for_partner(*, asset: Asset) -> list[dict]:
    """The versions of an asset the partner may see (read it with ``asset_for_partner``), newest first.

    ``{"number", "change_note", "created_at"}`` each: what changed, never the stored file.
    """
    return list(asset.versions.order_by("-number").values("number", "change_note", "created_at"))


def last_download_at(*, user, asset_id: int) -> datetime | None:
    """When ``user`` last downloaded the asset, or ``None`` (what the feed compares with the latest version)."""
    downloads = Download.objects.filter(user=user, asset_id=asset_id).order_by("-downloaded_at")
    return downloads.values_list("downloaded_at", flat=True).first()


def programs_with_asset_for_partner(*, user, asset_id: int) -> list[Program]:
    """The programs ``user`` may see that list the asset among their related assets, newest first."""
    return list(
        Program.objects.visible_to(user)
        .filter(Exists(Program.related_assets.through.objects.filter(program=OuterRef("pk"), asset_id=asset_id)))
        .only("pk", "title", "summary")
        .order_by("-last_published_at", "-pk")
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
#: "New since my last visit" for a user who has never marked their feed as seen.
FEED_FIRST_VISIT_DAYS = 30


def feed_seen_at(*, user) -> datetime | None:
    """When ``user`` last marked their feed as seen; ``None`` if they never have (a first visit, as far as we know)."""
    return FeedVisit.objects.filter(user=user).values_list("visited_at", flat=True).first()


def feed_since(*, user, now, seen_at: datetime | None = None) -> datetime:
    """Where "new" starts for ``user``: when they last marked their feed as seen, else ``FEED_FIRST_VISIT_DAYS``.

    Pass ``seen_at`` (``feed_seen_at``) when it was read already.
    """
    seen = seen_at or feed_seen_at(user=user)
    return seen or now - timedelta(days=FEED_FIRST_VISIT_DAYS)


def feed_for_partner(*, user, since, now, expiring_within_days: int = 14) -> dict:
    """What is new for ``user`` since ``since``: the partner home page in one call, in a fixed number of queries.

    ``sections`` are those other apps registered (``core.feed``), each in a fixed number of queries too.
    """
    assets = _with_summary_relations(
        Asset.objects.visible_to(user).annotate(latest_version_created_at=_latest_version("created_at"))
    )
    limit = FEED_SECTION_LIMIT
    acknowledged = acknowledged_bulletin_ids(user=user)
    unacknowledged = Q(requires_acknowledgement=True) & ~Q(pk__in=acknowledged)
    my_last_download = Download.objects.filter(user=user, asset=OuterRef("pk")).order_by("-downloaded_at")
    horizon = now + timedelta(days=expiring_within_days)
    sections = {
        "new_assets": assets.filter(first_published_at__gt=since).order_by("-first_published_at", "-pk"),
        "updated_assets": assets.filter(last_published_at__gt=since, first_published_at__lte=since).order_by(
            "-last_published_at"
        ),
        "expiring_assets": assets.filter(expire_at__gt=now, expire_at__lte=horizon).order_by("expire_at"),
        # Only the assets the user downloaded (the (user, asset) index), not a subquery per visible asset.
        "updated_since_download": assets.filter(pk__in=Download.objects.filter(user=user).values("asset_id"))
        .annotate(my_last_download=Subquery(my_last_download.values("downloaded_at")[:1]))
        .filter(latest_version_created_at__gt=F("my_last_download"))
        .order_by("-latest_version_created_at"),
    }
    feed = {name: list(queryset[:limit]) for name, queryset in sections.items()}
    attach_summary_relations([asset for section in feed.values() for asset in section])
    return {
        **feed,
        "acknowledged": acknowledged,
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
        "sections": feed_sections_for(user=user, since=since, now=now, limit=limit),
    }


COUNT_CACHE_SECONDS = 60


def _content_generation() -> str:
    """Changes whenever any asset changes: a save (``updated_at``) or any logged transition, sweeps included."""
    last_log = ModelLogEntry.objects.aggregate(last=Max("pk"))["last"]
    last_save = Asset.objects.aggregate(last=Max("updated_at"))["last"]
    return f"{last_log}:{last_save.timestamp() if last_save else 0}"


def _live_asset_facts(generation: str, now) -> tuple:
    """``(next expiry or go-live of a live asset, or False; whether any live asset requires a qualification)``."""
    key = f"partnerhub:asset-live-facts:{generation}"
    facts = cache.get(key)
    if facts is None:
        found = Asset.objects.filter(live=True).aggregate(
            expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
            go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
            required=Count("pk", filter=Q(required_qualification__isnull=False)),
        )
        moment = min((found[name] for name in ("expiry", "go_live") if found[name] is not None), default=False)
        facts = (moment, bool(found["required"]))
        cache.set(key, facts, COUNT_CACHE_SECONDS)
    return facts


def _seconds_until_next_transition(generation: str, now) -> float:
    """Until the next expiry or go-live of a live asset: no cached count may outlive it."""
    moment, _required = _live_asset_facts(generation, now)
    return COUNT_CACHE_SECONDS if not moment else max(0.0, (moment - now).total_seconds())


def translated_keys(*, model) -> list:
    """``translation_key`` of the items of ``model`` with more than one language variant (whatever the audience).

    One grouped scan, cached under the content generation: only these can have a variant that
    ``localized_for`` passes over, so search looks no further.
    """
    key = f"partnerhub:translated-keys:{model._meta.label_lower}:{_content_generation()}"
    keys = cache.get(key)
    if keys is None:
        grouped = model.objects.order_by().values("translation_key").annotate(variants=Count("pk"))
        keys = list(grouped.filter(variants__gt=1).values_list("translation_key", flat=True))
        cache.set(key, keys, COUNT_CACHE_SECONDS)
    return keys


def asset_count_for_partner(*, user, locale: str | None = None, **filters) -> int:
    """The count of ``assets_for_partner(user=user, locale=locale, **filters)``, mostly from the cache.

    Counting every visible row is the expensive part of a list. Without ``locale`` the
    live assets matching the filters are counted once per audience (one grouped query,
    cached under the filters and the content generation and shared by every viewer),
    and the viewer's count is the sum over the audiences the rule lets them see. With
    ``locale`` (which variant is picked depends on the viewer) the plain count is cached
    under the viewer's audience key instead. Nothing cached outlives the next scheduled
    expiry or go-live: a cached count is always the count of the list served.
    """
    viewer = viewer_for(user)
    if viewer is None:
        return 0
    generation = _content_generation()
    ttl = int(min(COUNT_CACHE_SECONDS, _seconds_until_next_transition(generation, timezone.now())))
    # Viewers with the same audience see the same assets, unless some require a qualification: then what
    # each viewer (and their partner) holds is part of the key too (one query more, only then).
    _moment, qualification_required = _live_asset_facts(generation, timezone.now())
    scope = viewer.qualified_audience_key if qualification_required else viewer.audience_key

    def cached(scope, compute):
        if ttl < 1:
            return compute()
        digest = hashlib.sha256(json.dumps([scope, filters, locale, generation], default=str).encode()).hexdigest()
        key = f"partnerhub:asset-count:{digest}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, ttl)
        return value

    if locale:
        return cached(scope, lambda: assets_for_partner(user=user, locale=locale, **filters).order_by().count())

    def count_for_viewer():
        by_audience = cached(
            "audiences", lambda: _filter_assets(Asset.objects.live_for_partners(), **filters).audience_counts()
        )
        return count_visible(by_audience, viewer)

    return cached(scope, count_for_viewer)


def assets_with_refused_files():
    """Not archived assets whose stored file today's rules (``cms.uploads``) refuse: ``(asset, problem)`` pairs.

    Reads every such file's first bytes (and a zip's directory); changes nothing.
    """
    for asset in Asset.objects.not_archived().exclude(file="").order_by("pk").iterator(chunk_size=500):
        if problem := stored_asset_file_problem(asset_type=asset.asset_type, field_file=asset.file):
            yield asset, problem


# --- owners' reminders and language variants -----------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    item: GatedContent
    kind: str
    due_on: object  # date
    days_before: int


def reminder_lead_time(days_left: int, lead_times: list[int]) -> int | None:
    """The smallest configured lead time that ``days_left`` falls within, if any."""
    return min((d for d in lead_times if days_left <= d), default=None)


def freshness_reminders_due(*, now=None) -> list[DueReminder]:
    """Reminders owners should get now and have not had: expiry and review, each lead time once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = []
    for model in gated_content_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        owned = model.objects.filter(archived_at__isnull=True, owner__isnull=False, owner__is_active=True).exclude(
            owner__email=""
        )
        candidates = []
        if settings.FRESHNESS_EXPIRY_REMINDER_DAYS:
            horizon = now + timedelta(days=max(settings.FRESHNESS_EXPIRY_REMINDER_DAYS))
            for item in owned.filter(live=True, expire_at__gt=now, expire_at__lte=horizon).select_related("owner"):
                expires_on = timezone.localdate(item.expire_at)
                lead = reminder_lead_time((expires_on - today).days, settings.FRESHNESS_EXPIRY_REMINDER_DAYS)
                if lead is not None:
                    candidates.append(DueReminder(item, OwnerReminder.Kind.EXPIRY, expires_on, lead))
        if settings.FRESHNESS_REVIEW_REMINDER_DAYS:
            horizon_day = today + timedelta(days=max(settings.FRESHNESS_REVIEW_REMINDER_DAYS))
            for item in owned.filter(review_by__isnull=False, review_by__lte=horizon_day).select_related("owner"):
                lead = reminder_lead_time((item.review_by - today).days, settings.FRESHNESS_REVIEW_REMINDER_DAYS)
                if lead is not None:
                    candidates.append(DueReminder(item, OwnerReminder.Kind.REVIEW, item.review_by, lead))
        sent = set(
            OwnerReminder.objects.filter(
                content_type=content_type, object_id__in={c.item.pk for c in candidates}
            ).values_list("object_id", "kind", "due_on", "days_before")
        )
        due += [c for c in candidates if (c.item.pk, c.kind, c.due_on, c.days_before) not in sent]
    return due


def variant_key_for(*, model, source_key: str | None, locale: Locale) -> str | None:
    """A key of its own for a new language variant: ``<source key>--<language>``, numbered when taken."""
    if not source_key:
        return None
    max_length = model._meta.get_field("key").max_length
    suffix = f"--{locale.language_code.lower()}"
    base = source_key[: max_length - len(suffix)] + suffix
    key, number = base, 1
    while model._default_manager.filter(key=key).exists():
        number += 1
        tail = f"-{number}"
        key = base[: max_length - len(tail)] + tail
    return key
