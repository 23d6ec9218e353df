"""One asset of the library (``/library/<id>/``) and its download (``/library/<id>/download/``).

The page reads what the API's ``GET assets/{id}`` reads (``cms.selectors``), plus the versions with their change
notes, the preview pictures of the current version (signed URLs for this user), the other language variants, and
the programs and courses that use the asset, each only where the user may see it (an asset locked by a
certification: 403 saying what unlocks it). The download is the API's audited one (``cms.services.downloads``):
recorded, then the signed short-lived URL (S3) or the file itself (local storage). An asset the user may not see is
404, download too. Each page read is recorded as a content view (``cms.services.activity.record_content_view``).
"""

from contextlib import suppress

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse

from cms.gating.locking import raise_if_locked
from cms.models import Asset
from cms.previews.selectors import attach_previews
from cms.previews.signing import previews_payload
from cms.selectors import (
    asset_for_download,
    asset_for_partner,
    asset_translations_for_partner,
    asset_versions_for_partner,
    last_download_at,
    programs_with_asset_for_partner,
)
from cms.services.activity import record_content_view
from cms.services.downloads import AssetFileMissing, AssetFileNotServable, asset_download_response
from courses.selectors import courses_using_asset_for_partner
from search.services import SearchError, search_click_record

from ...access import portal_page

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _record_search_click(request, asset_id: int) -> None:
    """A result opened from the library's search (``?search=<query id>&position=<n>``), for the search reports."""
    query_id, position = request.GET.get("search", ""), request.GET.get("position", "")
    if not query_id.isdigit() or len(query_id) > 15:
        return
    with suppress(SearchError):  # not their search, or a stale link: nothing to record
        search_click_record(
            user=request.user,
            query_id=int(query_id),
            kind="asset",
            item_id=asset_id,
            position=int(position) if position.isdigit() and len(position) < 6 else None,
        )


@portal_page
def asset_detail(request, asset_id: int):
    asset = asset_for_partner(user=request.user, asset_id=asset_id)
    if asset is None:
        raise_if_locked(Asset, user=request.user, pk=asset_id)
        raise Http404
    _record_search_click(request, asset.pk)
    versions = asset_versions_for_partner(asset=asset)
    downloaded_at = last_download_at(user=request.user, asset_id=asset.pk)
    latest = versions[0] if versions else None
    translations = [
        {"id": pk, "code": code, "name": LANGUAGE_NAMES.get(code, code)}
        for pk, code in asset_translations_for_partner(user=request.user, asset=asset)
    ]
    programs = [
        {"item": program, "url": reverse("home:program_detail", args=[program.pk])}
        for program in programs_with_asset_for_partner(user=request.user, asset_id=asset.pk)
    ]
    courses = [
        {"item": course, "url": reverse("home:learning_course", args=[course.pk])}
        for course in courses_using_asset_for_partner(user=request.user, asset_id=asset.pk)
    ]
    attach_previews([asset], thumbnails_only=False)
    previews = previews_payload(user=request.user, images=asset.preview_images)
    context = {
        "asset": asset,
        "preview_pages": previews["preview_pages"],
        "page_count": asset.preview_page_count,
        "language_name": LANGUAGE_NAMES.get(asset.locale.language_code, asset.locale.language_code),
        "versions": versions,
        "translations": sorted(translations, key=lambda variant: variant["name"]),
        "programs": programs,
        "courses": courses,
        "downloaded_at": downloaded_at,
        "new_version_since_download": bool(downloaded_at and latest and latest["created_at"] > downloaded_at),
    }
    record_content_view(user=request.user, item=asset)
    return TemplateResponse(request, "home/library/asset.html", context)


@portal_page
def asset_download(request, asset_id: int):
    """The API's audited download, from the portal: recorded, then the file (or the link's address)."""
    asset = asset_for_download(user=request.user, asset_id=asset_id)
    if asset is None:
        raise_if_locked(Asset, user=request.user, pk=asset_id)
        raise Http404
    try:
        return asset_download_response(asset=asset, user=request.user)
    except AssetFileMissing:
        return render(request, "home/library/file_missing.html", {"asset": asset}, status=404)
    except AssetFileNotServable as refusal:  # pending its virus scan, or quarantined
        context = {"asset": asset, "waiting": refusal.waiting}
        return render(request, "home/library/file_not_servable.html", context, status=409)
