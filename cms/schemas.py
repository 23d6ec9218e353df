"""Partner API schemas of content: assets, programs, bulletins."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict


class KeyedOut(Schema):
    key: str
    name: str


class VersionOut(Schema):
    number: int
    note: str
    created_at: datetime


class TranslationOut(Schema):
    id: int
    locale: str


class AssetSummaryOut(Schema):
    id: int
    title: str
    summary: str
    type: str
    locale: str
    products: list[KeyedOut]
    languages: list[KeyedOut]
    published_at: datetime | None
    expire_at: datetime | None
    version: VersionOut | None
    is_link: bool
    download_url: str
    thumbnail_url: str | None = Field(
        description="A small picture of the current version (signed for me, expires in minutes); null when none."
    )
    cobranded: bool = Field(description="My download carries my partner's logo and name.")


class PreviewPageOut(Schema):
    page: int
    url: str = Field(description="The page as a JPEG, signed for me, expiring in minutes.")
    width: int
    height: int


class AssetOut(AssetSummaryOut):
    external_url: str | None
    file_name: str | None
    translations: list[TranslationOut]
    page_count: int | None = Field(description="Pages of the current version's document, when previewed.")
    preview_pages: list[PreviewPageOut] = Field(description="The first pages of the current version; empty when none.")


class AssetRefOut(Schema):
    id: int
    title: str
    type: str


class KeyDateOut(Schema):
    label: str
    date: date


class ProgramOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    body_blocks: list[dict]
    eligibility: str
    eligibility_blocks: list[dict]
    key_dates: list[KeyDateOut]
    related_assets: list[AssetRefOut]
    published_at: datetime | None
    expire_at: datetime | None


class BulletinOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    body_blocks: list[dict]
    priority: str
    pinned: bool
    requires_acknowledgement: bool
    acknowledged: bool
    attachments: list[AssetRefOut]
    published_at: datetime | None
    expire_at: datetime | None


class AcknowledgementOut(Schema):
    bulletin_id: int
    acknowledged_at: datetime


class ProgramRefOut(Schema):
    id: int
    title: str
    summary: str
    published_at: datetime | None


class UpdatedSinceDownloadOut(Schema):
    asset: AssetSummaryOut
    downloaded_at: datetime


class FeedItemOut(BaseModel):
    """An item of a feed section; the section may add fields (a due date, an expiry…).

    A plain pydantic model: ninja's ``Schema`` reads only the declared fields.
    """

    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="The kind of item: course, certification…")
    id: int
    title: str
    summary: str


class FeedSectionOut(Schema):
    name: str = Field(description="Stable key of the section, e.g. `courses_due`.")
    title: str = Field(description="What to call it on screen.")
    items: list[FeedItemOut]


class FeedOut(Schema):
    since: datetime
    generated_at: datetime
    new_assets: list[AssetSummaryOut]
    updated_assets: list[AssetSummaryOut]
    new_programs: list[ProgramRefOut]
    bulletins: list[BulletinOut]
    unacknowledged_bulletins: int
    expiring_soon: list[AssetSummaryOut]
    updated_since_download: list[UpdatedSinceDownloadOut]
    sections: list[FeedSectionOut] = Field(description="What other apps add: my courses due, certifications expiring…")


class UnlockRefOut(Schema):
    id: int
    title: str
    url: str


class UnlockOut(Schema):
    """What unlocks a locked item (``cms.gating.locking``): only what the user may see is named."""

    reason: str = Field(description="Why it is locked: `qualification` (a certification is required).")
    message: str
    certification: UnlockRefOut | None = Field(description="The certification, when the user may see it.")
    courses: list[UnlockRefOut] = Field(description="Courses that earn it, those the user may see.")
    held_by: str = Field(description="`user`: the user must hold it; `partner`: enough users of their company.")
    held_by_you: bool
    holders_needed: int
    holders_now: int | None = Field(description="Active users of the user's company holding it (partner mode).")


class LockedOut(Schema):
    """403 for an item the user may know exists but not open until a certification is held."""

    detail: str
    locked_reason: str
    unlock: UnlockOut


class LockedItemOut(Schema):
    kind: str
    id: int
    title: str
    unlock: UnlockOut
