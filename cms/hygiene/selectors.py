"""Reads of the library's hygiene: assets sharing one file, and the external URLs to check or found broken.

Archived assets are left out everywhere here: they are kept for their history, not offered
to partners, so a copy of an archived file is no duplicate to clean up, and its link is
not checked.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet

from cms.models import Asset, LinkCheck

from .probe import url_host


def _not_archived() -> QuerySet:
    return Asset.objects.filter(archived_at__isnull=True)


def duplicate_hashes() -> QuerySet:
    """The content hashes (``file_sha256``) that more than one asset (not archived) has: a values queryset."""
    return (
        _not_archived()
        .exclude(file_sha256="")
        .order_by()
        .values("file_sha256")
        .annotate(copies=Count("pk"))
        .filter(copies__gt=1)
        .values("file_sha256")
    )


def duplicate_file_q() -> Q:
    """Assets (not archived) whose file is identical to another one's."""
    return Q(archived_at__isnull=True, file_sha256__in=duplicate_hashes())


def assets_with_file(*, sha256: str, exclude_pk=None) -> list[Asset]:
    """The assets (not archived) whose file has this content hash, but ``exclude_pk``; by title. One query."""
    if not sha256:
        return []
    assets = _not_archived().filter(file_sha256=sha256).only("pk", "title", "file_sha256").order_by("title", "pk")
    if exclude_pk is not None:
        assets = assets.exclude(pk=exclude_pk)
    return list(assets)


def copies_by_hash(hashes) -> dict[str, list[tuple[int, str]]]:
    """``{hash: [(pk, title), …]}`` of the assets (not archived) with these hashes, by title. One query."""
    copies = defaultdict(list)
    rows = (
        _not_archived()
        .filter(file_sha256__in=[h for h in set(hashes) if h])
        .order_by("title", "pk")
        .values_list("file_sha256", "pk", "title")
    )
    for sha256, pk, title in rows:
        copies[sha256].append((pk, title))
    return dict(copies)


# --- links ---------------------------------------------------------------------------------------


def link_assets() -> QuerySet:
    """Assets (not archived) with an external URL: links, and videos hosted elsewhere."""
    return _not_archived().exclude(external_url="")


def current_check_q(prefix: str = "") -> Q:
    """A link check of the asset's current URL (one made before its URL changed says nothing about it)."""
    return Q(**{f"{prefix}link_check__url": F(f"{prefix}external_url")})


def broken_link_q() -> Q:
    """Assets (not archived) whose current external URL failed its last check."""
    return Q(archived_at__isnull=True, link_check__is_broken=True) & ~Q(external_url="") & current_check_q()


def links_due(
    *, now, interval_hours: int, asset_ids=None, host: str | None = None, force: bool = False, limit: int | None = None
) -> list[tuple[int, str]]:
    """``(asset pk, URL)`` of the links to check, the stalest first: never checked (or since the URL changed), then
    by the last check. ``force`` takes every link (of ``asset_ids`` or ``host``), due or not."""
    assets = link_assets()
    if asset_ids is not None:
        assets = assets.filter(pk__in=asset_ids)
    if not force:
        stale = (
            Q(link_check__isnull=True)
            | ~current_check_q()
            | Q(link_check__checked_at__lte=now - timedelta(hours=interval_hours))
        )
        assets = assets.filter(stale)
    rows = assets.order_by(F("link_check__checked_at").asc(nulls_first=True), "pk").values_list(
        "pk", "external_url", "link_check__url"
    )
    due = []
    # Never checked, or checked at another URL: first, whatever the date of the old check.
    for pk, url, checked_url in rows:
        if host and url_host(url) != host.lower():
            continue
        due.append((checked_url == url, pk, url))
    due.sort(key=lambda row: row[0])  # stable: the order by date stays within each group
    picked = [(pk, url) for _, pk, url in due]
    return picked[:limit] if limit is not None else picked


def link_checks_of(asset_ids) -> dict[int, LinkCheck]:
    """The last check of each of these assets, by asset pk. One query."""
    return {check.asset_id: check for check in LinkCheck.objects.filter(asset_id__in=list(asset_ids))}
