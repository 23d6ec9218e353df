"""Partner API routes of content: assets (list, detail, download), programs and bulletins.

Thin: every read goes through ``cms.selectors`` (the audience rule) and every write
through ``cms.services``. Whatever the caller may not see answers 404. Each detail a partner
user reads is recorded (``activity.record_content_view``), once its answer is ready. The headless
preview answers ``preview_payload`` of any kind of gated content.
"""

import logging
from datetime import datetime
from functools import partial
from typing import Literal

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from core.api import PageNumberPagination

from . import selectors
from .gating.locking import raise_if_locked
from .gating.preview import InvalidPreviewToken, preview_item_from_token
from .models import Asset, Bulletin, Program
from .previews.selectors import attach_previews
from .previews.signing import preview_image_url, previews_payload
from .rich_text import rich_text_blocks, rich_text_html
from .schemas import AcknowledgementOut, AssetOut, AssetSummaryOut, BulletinOut, FeedOut, LockedOut, ProgramOut
from .services import activity, downloads

router = Router(tags=["content"])
logger = logging.getLogger("partnerhub.api")

AssetType = Literal[tuple(Asset.AssetType.values)]


class ErrorOut(Schema):
    detail: str


class AssetFilters(Schema):
    type: AssetType | None = Field(None, description="Asset type.")
    product: str | None = Field(None, max_length=64, description="Product key.")
    language: str | None = Field(None, max_length=16, description="Language code the asset is in.")
    updated_since: datetime | None = Field(None, description="Only assets published at or after this time (ISO 8601).")
    locale: str | None = Field(
        None, max_length=16, description="Preferred language: one variant per asset, this language first."
    )
    ordering: Literal["-published_at", "title", "-title"] = "-published_at"


def asset_summary(request, asset) -> dict:
    """An asset's summary; its thumbnail when ``attach_previews`` (or ``attach_page``) loaded the pictures."""
    images = getattr(asset, "preview_images", None) or []
    thumbnail = next((image for image in images if image.kind == "thumbnail"), None)
    return {
        "id": asset.pk,
        "title": asset.title,
        "summary": asset.summary,
        "type": asset.asset_type,
        "locale": asset.locale.language_code,
        "products": asset.product_refs,
        "languages": asset.language_refs,
        "published_at": asset.last_published_at,
        "expire_at": asset.expire_at,
        "version": asset.latest_version,
        "is_link": not asset.file,
        "download_url": request.build_absolute_uri(reverse("api-v1:download_asset", kwargs={"asset_id": asset.pk})),
        "thumbnail_url": thumbnail and preview_image_url(image=thumbnail, user=request.auth, request=request),
        "cobranded": bool(asset.cobrandable and asset.file),
    }


def attach_page(assets, *, thumbnails_only: bool = True) -> list:
    """A page of assets with what their summaries need: relations, versions and pictures (three queries)."""
    assets = selectors.attach_summary_relations(assets)
    return attach_previews(assets, thumbnails_only=thumbnails_only)


@router.get("/assets", response=list[AssetSummaryOut], summary="Assets I may see")
@paginate(PageNumberPagination)
def list_assets(request, filters: Query[AssetFilters]):
    arguments = {
        "asset_type": filters.type,
        "product": filters.product,
        "language": filters.language,
        "updated_since": filters.updated_since,
        "locale": filters.locale,
    }
    assets = selectors.assets_for_partner(user=request.auth, ordering=filters.ordering, **arguments)
    count = partial(selectors.asset_count_for_partner, user=request.auth, **arguments)
    return MappedPage(assets, partial(asset_summary, request), count=count, prepare=attach_page)


class MappedPage:
    """A queryset that the paginator counts and slices; only the page's rows are turned into dicts.

    ``prepare`` (optional) loads what the mapper needs for the whole page at once.
    """

    def __init__(self, queryset, mapper, count=None, prepare=list):
        self.queryset, self.mapper, self.prepare = queryset, mapper, prepare
        self.count = count or queryset.count

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [self.mapper(obj) for obj in self.prepare(self.queryset[item])]


@router.get("/assets/{int:asset_id}", response={200: AssetOut, 403: LockedOut, 404: ErrorOut}, summary="One asset")
def get_asset(request, asset_id: int, response: HttpResponse):
    asset = selectors.asset_for_partner(user=request.auth, asset_id=asset_id)
    if asset is None:
        raise_if_locked(Asset, user=request.auth, pk=asset_id)
        raise Http404
    _last_modified(response, asset)
    translations = selectors.asset_translations_for_partner(user=request.auth, asset=asset)
    attach_previews([asset], thumbnails_only=False)
    pages = previews_payload(request=request, user=request.auth, images=asset.preview_images)["preview_pages"]
    payload = {
        **asset_summary(request, asset),
        "external_url": asset.external_url or None,
        "file_name": downloads.download_name(asset) if asset.file else None,
        "translations": [{"id": pk, "locale": code} for pk, code in translations],
        "page_count": asset.preview_page_count if pages else None,
        "preview_pages": pages,
    }
    activity.record_content_view(user=request.auth, item=asset)
    return payload


def _last_modified(response, item) -> None:
    """``Last-Modified`` of a detail: when the item last changed (any edit, publish or new version)."""
    response["Last-Modified"] = http_date(item.updated_at.timestamp())


@router.get(
    "/assets/{int:asset_id}/download",
    response={302: None, 403: LockedOut, 404: ErrorOut, 409: ErrorOut},
    summary="Download an asset",
    description="302 to a short-lived signed URL (S3) or the file itself as an attachment (local storage); "
    "links redirect to their URL. Every download is recorded. 409 while the file waits for its virus scan "
    "(or was found infected), with why in `detail`.",
)
def download_asset(request, asset_id: int):
    asset = selectors.asset_for_download(user=request.auth, asset_id=asset_id)
    if asset is None:
        raise_if_locked(Asset, user=request.auth, pk=asset_id)
        raise Http404
    try:
        return downloads.asset_download_response(asset=asset, user=request.auth)
    except downloads.AssetFileMissing:
        return Status(404, {"detail": "The file of this asset is missing; please tell your partner manager."})
    except downloads.AssetFileNotServable as refusal:
        return Status(409, {"detail": str(refusal)})


def _asset_refs(assets):
    return [{"id": a.pk, "title": a.title, "type": a.asset_type} for a in assets]


def _program(program) -> dict:
    body, eligibility = rich_text_html(program.body), rich_text_html(program.eligibility)
    return {
        "id": program.pk,
        "title": program.title,
        "summary": program.summary,
        "body": body,
        "body_blocks": rich_text_blocks(body),
        "eligibility": eligibility,
        "eligibility_blocks": rich_text_blocks(eligibility),
        "key_dates": [{"label": d.label, "date": d.date} for d in program.key_dates.all()],
        "related_assets": _asset_refs(program.visible_related_assets),
        "published_at": program.last_published_at,
        "expire_at": program.expire_at,
    }


@router.get("/programs", response=list[ProgramOut], summary="Programs I may see")
@paginate(PageNumberPagination)
def list_programs(request):
    return MappedPage(selectors.programs_for_partner(user=request.auth), _program)


@router.get(
    "/programs/{int:program_id}", response={200: ProgramOut, 403: LockedOut, 404: ErrorOut}, summary="One program"
)
def get_program(request, program_id: int, response: HttpResponse):
    program = selectors.programs_for_partner(user=request.auth).filter(pk=program_id).first()
    if program is None:
        raise_if_locked(Program, user=request.auth, pk=program_id)
        raise Http404
    _last_modified(response, program)
    payload = _program(program)
    activity.record_content_view(user=request.auth, item=program)
    return payload


def _bulletin_mapper(user, acknowledged=None):
    acknowledged = selectors.acknowledged_bulletin_ids(user=user) if acknowledged is None else acknowledged

    def mapper(bulletin) -> dict:
        body = rich_text_html(bulletin.body)
        return {
            "id": bulletin.pk,
            "title": bulletin.title,
            "summary": bulletin.summary,
            "body": body,
            "body_blocks": rich_text_blocks(body),
            "priority": bulletin.priority,
            "pinned": bulletin.pinned,
            "requires_acknowledgement": bulletin.requires_acknowledgement,
            "acknowledged": bulletin.pk in acknowledged,
            "attachments": _asset_refs(bulletin.visible_attachments),
            "published_at": bulletin.last_published_at,
            "expire_at": bulletin.expire_at,
        }

    return mapper


@router.get("/bulletins", response=list[BulletinOut], summary="Bulletins I may see, pinned first, then newest")
@paginate(PageNumberPagination)
def list_bulletins(request):
    return MappedPage(selectors.bulletins_for_partner(user=request.auth), _bulletin_mapper(request.auth))


@router.get(
    "/bulletins/{int:bulletin_id}", response={200: BulletinOut, 403: LockedOut, 404: ErrorOut}, summary="One bulletin"
)
def get_bulletin(request, bulletin_id: int, response: HttpResponse):
    bulletin = selectors.bulletins_for_partner(user=request.auth).filter(pk=bulletin_id).first()
    if bulletin is None:
        raise_if_locked(Bulletin, user=request.auth, pk=bulletin_id)
        raise Http404
    _last_modified(response, bulletin)
    payload = _bulletin_mapper(request.auth)(bulletin)
    activity.record_content_view(user=request.auth, item=bulletin)
    return payload


@router.post(
    "/bulletins/{int:bulletin_id}/acknowledge",
    response={200: AcknowledgementOut, 400: ErrorOut, 403: LockedOut, 404: ErrorOut},
    summary="Confirm I have read a bulletin that asks for it (idempotent)",
)
def acknowledge_bulletin(request, bulletin_id: int):
    bulletin = selectors.bulletins_for_partner(user=request.auth).filter(pk=bulletin_id).first()
    if bulletin is None:
        raise_if_locked(Bulletin, user=request.auth, pk=bulletin_id)
        raise Http404
    if not bulletin.requires_acknowledgement:
        return Status(400, {"detail": "This bulletin does not ask for acknowledgement."})
    acknowledgement = activity.bulletin_acknowledge(bulletin=bulletin, user=request.auth)
    return Status(200, {"bulletin_id": bulletin.pk, "acknowledged_at": acknowledgement.acknowledged_at})


class FeedFilters(Schema):
    since: datetime | None = Field(
        None, description="Show what is new since this time; by default since my previous visit (or 30 days)."
    )


FEED_ASSET_SECTIONS = ("new_assets", "updated_assets", "expiring_assets", "updated_since_download")


@router.get(
    "/feed",
    response=FeedOut,
    summary="What is new for me",
    description="New and updated assets, new programs, pinned, new and unacknowledged bulletins, assets expiring "
    "soon and assets updated since I downloaded them (with the change note); then `sections` the other apps add "
    "(my courses due, my certifications expiring). Without `since`, new means since I last marked the feed as seen "
    "(`POST /feed/seen`; 30 days the first time): reading it marks nothing.",
)
def feed(request, filters: Query[FeedFilters]):
    now = timezone.now()
    since = filters.since or selectors.feed_since(user=request.auth, now=now)
    data = selectors.feed_for_partner(user=request.auth, since=since, now=now)
    attach_previews([asset for name in FEED_ASSET_SECTIONS for asset in data[name]])
    summary = partial(asset_summary, request)
    bulletin = _bulletin_mapper(request.auth, acknowledged=data["acknowledged"])
    return {
        "since": since,
        "generated_at": now,
        "new_assets": [summary(a) for a in data["new_assets"]],
        "updated_assets": [summary(a) for a in data["updated_assets"]],
        "new_programs": [
            {"id": p.pk, "title": p.title, "summary": p.summary, "published_at": p.first_published_at}
            for p in data["new_programs"]
        ],
        "bulletins": [bulletin(b) for b in data["bulletins"]],
        "unacknowledged_bulletins": sum(
            1 for b in data["bulletins"] if b.requires_acknowledgement and b.pk not in data["acknowledged"]
        ),
        "expiring_soon": [summary(a) for a in data["expiring_assets"]],
        "updated_since_download": [
            {"asset": summary(a), "downloaded_at": a.my_last_download} for a in data["updated_since_download"]
        ],
        "sections": data["sections"],
    }


class FeedSeenOut(Schema):
    seen_at: datetime
    previously_seen_at: datetime | None


@router.post(
    "/feed/seen",
    response=FeedSeenOut,
    summary="Mark my feed as seen",
    description="What is new in my feed from now on starts here. The portal's home calls it when the user says so.",
)
def feed_seen(request):
    now = timezone.now()
    previous = activity.feed_visit_record(user=request.auth, now=now)
    return {"seen_at": now, "previously_seen_at": previous}


class PreviewOut(Schema):
    kind: str = Field(description="The kind of item: asset, program, bulletin, course, certification…")
    id: int | None
    item: dict


def asset_preview(request, asset) -> dict:
    selectors.attach_summary_relations_in_memory(asset)
    return {**asset_summary(request, asset), "external_url": asset.external_url or None}


def program_preview(request, program) -> dict:
    program.visible_related_assets = list(program.related_assets.all())
    return _program(program)


def bulletin_preview(request, bulletin) -> dict:
    bulletin.visible_attachments = list(bulletin.attachments.all())
    return _bulletin_mapper(None, acknowledged=set())(bulletin)


@router.get(
    "/preview",
    auth=None,
    response={200: PreviewOut, 404: ErrorOut},
    summary="A draft as an editor previewed it (headless preview)",
    description="For partner front ends rendering the admin's preview: the token from the preview link names "
    "exactly one previewed item and expires after minutes. Without a valid token: 404.",
)
def preview(request, token: str = Query(..., max_length=4096)):
    try:
        item = preview_item_from_token(token)
    except InvalidPreviewToken:
        raise Http404 from None
    return {"kind": item._meta.model_name, "id": item.pk, "item": item.preview_payload(request)}
