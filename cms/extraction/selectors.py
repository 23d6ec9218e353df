"""Reads of file text: the units of each asset's current file, for search (both backends) and the admin.

An asset's current file is its latest version (the file partners download); older
versions keep their text, but only the current one is searched.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from cms.models import AssetTextUnit, AssetVersion, AssetVersionText


def current_version_id(asset_ref=None) -> Subquery:
    """The id of the latest version of the asset ``asset_ref`` points at (by default the outer query's row)."""
    asset_ref = OuterRef("pk") if asset_ref is None else asset_ref
    return Subquery(AssetVersion.objects.filter(asset=asset_ref).order_by("-number").values("pk")[:1])


def current_units():
    """Units of every asset's current version (filter them further by ``version__asset_id``)."""
    return AssetTextUnit.objects.filter(version_id=current_version_id(OuterRef("version__asset_id")))


def file_units_for(asset_ids) -> dict[int, list[dict]]:
    """Asset id -> the units of its current file, in order: ``{"unit", "kind", "name", "text"}`` (one query)."""
    rows = (
        current_units()
        .filter(version__asset_id__in=list(asset_ids))
        .order_by("version__asset_id", "number")
        .values_list("version__asset_id", "number", "kind", "name", "text")
    )
    found: dict[int, list[dict]] = {}
    for asset_id, number, kind, name, text in rows:
        found.setdefault(asset_id, []).append({"unit": number, "kind": kind, "name": name, "text": text})
    return found


def file_text_q(word: str) -> Q:
    """Assets whose current file has ``word`` in the text of some page, slide or sheet (the database fallback)."""
    return Q(Exists(current_units().filter(version__asset_id=OuterRef("pk"), text__icontains=word)))


def file_text_where(asset_ids, words: list[str]) -> dict[int, dict]:
    """Asset id -> the unit of its current file that has the most of ``words`` (the first such), if any has one.

    One query; only units that have at least one of the words are read.
    """
    if not words:
        return {}
    any_word = Q()
    for word in words:
        any_word |= Q(text__icontains=word)
    rows = (
        current_units()
        .filter(any_word, version__asset_id__in=list(asset_ids))
        .order_by("version__asset_id", "number")
        .values_list("version__asset_id", "number", "kind", "name", "text")
    )
    best: dict[int, tuple[int, dict]] = {}
    for asset_id, number, kind, name, text in rows:
        lowered = text.lower()
        found = sum(word in lowered for word in words)
        if found > best.get(asset_id, (0, None))[0]:
            best[asset_id] = (found, {"unit": number, "kind": kind, "name": name, "text": text})
    return {asset_id: unit for asset_id, (_found, unit) in best.items()}


def file_text_problems():
    """Texts of current versions that could not be had (failed or too large): for the admin's report."""
    return AssetVersionText.objects.filter(
        state__in=AssetVersionText.PROBLEMS, version_id=current_version_id(OuterRef("version__asset_id"))
    )


def versions_for_text(*, which: str = "missing", every_version: bool = False):
    """Ids of asset versions to read the text of: ``missing`` (never read, or still pending), ``failed`` (failed or
    too large) or ``all``; each asset's current version only unless ``every_version``."""
    versions = AssetVersion.objects.all()
    if not every_version:
        versions = versions.filter(pk=current_version_id(OuterRef("asset_id")))
    if which == "missing":
        versions = versions.filter(Q(text__isnull=True) | Q(text__state=AssetVersionText.State.PENDING))
    elif which == "failed":
        versions = versions.filter(text__state__in=AssetVersionText.PROBLEMS)
    return versions.order_by("pk").values_list("pk", flat=True)
