"""Reads of gated content for partners: every one goes through the audience rule (``visible_to``)."""

from django.db.models import OuterRef, Prefetch, Subquery

from .models import Asset, AssetVersion, Bulletin, BulletinAcknowledgement, Program


def _with_latest_version(queryset):
    latest = AssetVersion.objects.filter(asset=OuterRef("pk")).order_by("-number")
    return queryset.annotate(
        latest_version_number=Subquery(latest.values("number")[:1]),
        latest_version_note=Subquery(latest.values("change_note")[:1]),
        latest_version_created_at=Subquery(latest.values("created_at")[:1]),
    )


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
    if product:
        queryset = queryset.filter(products__key=product)
    if language:
        queryset = queryset.filter(languages__key=language.lower())
    if updated_since:
        queryset = queryset.filter(last_published_at__gte=updated_since)
    order = {"-published_at": ["-last_published_at", "-pk"], "title": ["title", "pk"], "-title": ["-title", "-pk"]}
    return (
        _with_latest_version(queryset)
        .select_related("locale")
        .prefetch_related("products", "languages")
        .order_by(*order[ordering])
        .distinct()
    )


def asset_for_partner(*, user, asset_id: int) -> Asset | None:
    return (
        _with_latest_version(Asset.objects.visible_to(user))
        .select_related("locale")
        .prefetch_related("products", "languages")
        .filter(pk=asset_id)
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
