"""Import-manifest sections of cms: products, languages, assets, programs, bulletins (DESIGN §6).

Content entries carry their audience, schedule, owner, review date and ``state``
(``draft``, ``live`` or ``archived``). Files are copied from paths relative to the
manifest into private storage. Re-importing an unchanged entry changes nothing —
no new revision, no new version — so a manifest can be re-run safely.
"""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth import get_user_model

import pydantic

from core.importer.engine import Entry, ImportContext, Problem, Section, entry_problem
from partners.importing import NamedEntry, PartnerTypesSection, RegionsSection, RolesSection, TiersSection
from partners.models import PartnerType, Qualification, Region, Role, Tier
from partners.services import qualification_reserve

from .models import Asset, Bulletin, Language, Product, Program
from .rich_text import clean_rich_text
from .services.importing import content_import
from .services.taxonomy import language_upsert, languages_for_codes, product_upsert, products_for_keys
from .uploads import asset_file_problem


class AudienceEntry(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    min_tier: str | None = None
    partner_types: list[str] = pydantic.Field(default_factory=list)
    regions: list[str] = pydantic.Field(default_factory=list)
    roles: list[str] = pydantic.Field(default_factory=list)


class ContentEntry(Entry):
    key: str = pydantic.Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    title: str = pydantic.Field(min_length=1, max_length=255)
    summary: str = pydantic.Field(default="", max_length=1000)
    audience: AudienceEntry = pydantic.Field(default_factory=AudienceEntry)
    go_live_at: datetime | None = None
    expire_at: datetime | None = None
    owner: str | None = None
    review_by: date | None = None
    state: Literal["draft", "live", "archived"] = "draft"
    # Qualification gating (``partners.qualifications``): the key of a certification partners must hold.
    requires_certification: str | None = pydantic.Field(default=None, min_length=1, max_length=64)
    certification_held_by: Literal["user", "partner"] = "user"
    certification_holders: int = pydantic.Field(default=1, ge=1, le=10_000)

    @pydantic.model_validator(mode="after")
    def _requirement_complete(self):
        if self.requires_certification is None and (
            self.certification_held_by != "user" or self.certification_holders != 1
        ):
            raise ValueError("certification_held_by and certification_holders need requires_certification")
        if self.certification_held_by == "user" and self.certification_holders != 1:
            raise ValueError("certification_holders counts a partner's holders: set certification_held_by 'partner'")
        return self

    @pydantic.field_validator("go_live_at", "expire_at")
    @classmethod
    def _aware(cls, value):
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2027-01-01T00:00:00Z")
        return value

    @pydantic.model_validator(mode="after")
    def _schedule_in_order(self):
        if self.go_live_at and self.expire_at and self.expire_at <= self.go_live_at:
            raise ValueError("expire_at must be after go_live_at")
        return self


class AssetEntry(ContentEntry):
    type: Asset.AssetType
    locale: str | None = pydantic.Field(
        default=None, description="Language code of this variant; default: the default locale"
    )
    translation_of: str | None = pydantic.Field(
        default=None, description="Key of the asset this is a language variant of"
    )
    products: list[str] = pydantic.Field(default_factory=list)
    languages: list[str] = pydantic.Field(default_factory=list)
    file: str | None = None
    url: pydantic.HttpUrl | None = None
    version_note: str = pydantic.Field(default="", max_length=255)


class ProgramEntry(ContentEntry):
    body: str = ""
    eligibility: str = ""
    key_dates: list[dict] = pydantic.Field(default_factory=list)
    related_assets: list[str] = pydantic.Field(default_factory=list)


class BulletinEntry(ContentEntry):
    body: str = ""
    priority: Bulletin.Priority = Bulletin.Priority.INFO
    pinned: bool = False
    requires_acknowledgement: bool = False
    attachments: list[str] = pydantic.Field(default_factory=list)


class ProductsSection(Section):
    name = "products"
    schema = NamedEntry
    model = Product

    def write(self, entry, context):
        return product_upsert(key=entry.key, name=entry.name)


class LanguagesSection(Section):
    name = "languages"
    schema = NamedEntry
    model = Language

    def check_references(self, entries, context):
        return [
            entry_problem(self.name, i, e, "key", f"unknown language code {e.key!r}")
            for i, e in enumerate(entries)
            if e.key.lower() not in LANG_INFO
        ]

    def write(self, entry, context):
        return language_upsert(key=entry.key.lower(), name=entry.name)


#: The sections an audience refers to: every content section depends on them.
AUDIENCE_SECTIONS = ("tiers", "partner_types", "regions", "roles")


class ContentSection(Section):
    """What the content sections share: audience, owner, schedule, state."""

    depends_on = AUDIENCE_SECTIONS

    def check_references(self, entries, context: ImportContext):
        tiers = context.known("tiers", TiersSection().stored_keys)
        types = context.known("partner_types", PartnerTypesSection().stored_keys)
        regions = context.known("regions", RegionsSection().stored_keys)
        roles = context.known("roles", RolesSection().stored_keys)
        certifications = context.known(
            "certifications", lambda: set(Qualification.objects.values_list("key", flat=True))
        )
        owners = set(
            get_user_model()
            .objects.filter(is_staff=True, is_active=True, email__in=[e.owner.lower() for e in entries if e.owner])
            .values_list("email", flat=True)
        )
        problems = []
        for index, entry in enumerate(entries):
            audience = entry.audience
            if audience.min_tier and audience.min_tier not in tiers:
                problems.append(
                    entry_problem(self.name, index, entry, "audience.min_tier", f"unknown tier {audience.min_tier!r}")
                )
            for field, values, known in (
                ("partner_types", audience.partner_types, types),
                ("regions", audience.regions, regions),
                ("roles", audience.roles, roles),
            ):
                for value in values:
                    if value not in known:
                        problems.append(
                            entry_problem(
                                self.name,
                                index,
                                entry,
                                f"audience.{field}",
                                f"unknown {field[:-1].replace('_', ' ')} {value!r}",
                            )
                        )
            if entry.requires_certification and entry.requires_certification not in certifications:
                known = ", ".join(sorted(certifications)[:20]) or "none"
                problems.append(
                    entry_problem(
                        self.name,
                        index,
                        entry,
                        "requires_certification",
                        f"unknown certification {entry.requires_certification!r}; known: {known}",
                    )
                )
            if entry.owner and entry.owner.lower() not in owners:
                problems.append(
                    entry_problem(
                        self.name, index, entry, "owner", f"no active staff user with e-mail {entry.owner!r}"
                    )
                )
            problems += self.check_entry(index, entry, context)
        return problems

    def stored_keys(self):
        return set(self.model.objects.exclude(key=None).values_list("key", flat=True))

    def check_entry(self, index, entry, context) -> list[Problem]:
        return []

    def common_values(self, entry) -> dict:
        owner = (
            get_user_model().objects.filter(email=entry.owner.lower(), is_staff=True).first() if entry.owner else None
        )
        return {
            "title": entry.title,
            "summary": entry.summary,
            "go_live_at": entry.go_live_at,
            "expire_at": entry.expire_at,
            "owner": owner,
            "review_by": entry.review_by,
            "min_tier": _tier(entry.audience.min_tier),
            "required_qualification": (
                qualification_reserve(key=entry.requires_certification) if entry.requires_certification else None
            ),
            "required_qualification_mode": entry.certification_held_by,
            "required_holders": entry.certification_holders,
        }

    def audience(self, entry) -> dict:
        audience = entry.audience
        return {
            "partner_types": list(PartnerType.objects.filter(key__in=audience.partner_types)),
            "regions": list(Region.objects.filter(key__in=audience.regions)),
            "roles": list(Role.objects.filter(key__in=audience.roles)),
        }


class AssetsSection(ContentSection):
    name = "assets"
    depends_on = (*AUDIENCE_SECTIONS, "products", "languages")
    schema = AssetEntry
    model = Asset

    def check_entry(self, index, entry, context):
        problems = []
        if entry.type == Asset.AssetType.LINK and not entry.url:
            problems.append(entry_problem(self.name, index, entry, "url", "a link needs its url"))
        if entry.type != Asset.AssetType.LINK and not (entry.file or entry.url):
            problems.append(
                entry_problem(self.name, index, entry, "file", "needs a file (or a url for hosted videos)")
            )
        if entry.file and entry.url:
            problems.append(entry_problem(self.name, index, entry, "url", "give a file or a url, not both"))
        if entry.file:
            path = (context.base_dir / entry.file).resolve()
            if context.base_dir.resolve() not in path.parents:
                problems.append(
                    entry_problem(self.name, index, entry, "file", "must be a path inside the manifest's folder")
                )
            elif not path.is_file():
                problems.append(entry_problem(self.name, index, entry, "file", f"no such file: {entry.file}"))
            elif problem := _file_problem(entry.type, path):
                problems.append(entry_problem(self.name, index, entry, "file", problem))
        for language in entry.languages:
            if language.lower() not in LANG_INFO:
                problems.append(
                    entry_problem(self.name, index, entry, "languages", f"unknown language code {language!r}")
                )
        content_languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        if entry.locale and entry.locale.lower() not in content_languages:
            problems.append(
                entry_problem(
                    self.name,
                    index,
                    entry,
                    "locale",
                    f"{entry.locale!r} is not a content language; use one of {', '.join(sorted(content_languages))}",
                )
            )
        if entry.translation_of:
            earlier = {e.key for e in context.entries.get(self.name, [])[:index]}
            if entry.translation_of == entry.key:
                problems.append(entry_problem(self.name, index, entry, "translation_of", "cannot be the entry itself"))
            elif entry.translation_of not in earlier | self.stored_keys():
                problems.append(
                    entry_problem(
                        self.name,
                        index,
                        entry,
                        "translation_of",
                        f"unknown asset {entry.translation_of!r} (a source must come before its variants)",
                    )
                )
            elif not entry.locale:
                problems.append(
                    entry_problem(self.name, index, entry, "locale", "a language variant needs its locale")
                )
        return problems

    def write(self, entry, context):
        values = {
            **self.common_values(entry),
            "asset_type": entry.type,
            "external_url": str(entry.url) if entry.url else "",
            "version_note": entry.version_note,
        }
        return content_import(
            model=Asset,
            key=entry.key,
            values=values,
            relations={
                **self.audience(entry),
                "products": products_for_keys(keys=entry.products),
                "languages": languages_for_codes(codes=entry.languages),
            },
            file_path=(context.base_dir / entry.file) if entry.file else None,
            state=entry.state,
            translation={"locale": entry.locale, "of": entry.translation_of},
        )


def _tier(key):
    return Tier.objects.get(key=key) if key else None


def _file_problem(asset_type, path) -> str | None:
    """What the admin would say of this file as an asset of ``asset_type`` (``cms.uploads``), or ``None``."""
    with open(path, "rb") as handle:
        return asset_file_problem(asset_type=asset_type, name=path.name, size=path.stat().st_size, file=handle)


def _related_asset_problems(section, index, entry, keys, field, context):
    known = context.known("assets", lambda: set(Asset.objects.exclude(key=None).values_list("key", flat=True)))
    return [entry_problem(section, index, entry, field, f"unknown asset {key!r}") for key in keys if key not in known]


class ProgramsSection(ContentSection):
    name = "programs"
    depends_on = (*AUDIENCE_SECTIONS, "assets")
    schema = ProgramEntry
    model = Program

    def check_entry(self, index, entry, context):
        problems = _related_asset_problems(self.name, index, entry, entry.related_assets, "related_assets", context)
        for n, key_date in enumerate(entry.key_dates):
            if set(key_date) != {"label", "date"}:
                problems.append(
                    entry_problem(self.name, index, entry, f"key_dates.{n}", "needs exactly 'label' and 'date'")
                )
                continue
            try:
                date.fromisoformat(str(key_date["date"]))
            except ValueError:
                problems.append(
                    entry_problem(self.name, index, entry, f"key_dates.{n}.date", "is not a YYYY-MM-DD date")
                )
        return problems

    def write(self, entry, context):
        values = {
            **self.common_values(entry),
            "body": clean_rich_text(entry.body),
            "eligibility": clean_rich_text(entry.eligibility),
        }
        return content_import(
            model=Program,
            key=entry.key,
            values=values,
            relations={
                **self.audience(entry),
                "related_assets": list(Asset.objects.filter(key__in=entry.related_assets)),
            },
            children={
                "key_dates": [
                    {"label": d["label"], "date": date.fromisoformat(str(d["date"]))} for d in entry.key_dates
                ]
            },
            state=entry.state,
        )


class BulletinsSection(ContentSection):
    name = "bulletins"
    depends_on = (*AUDIENCE_SECTIONS, "assets")
    schema = BulletinEntry
    model = Bulletin

    def check_entry(self, index, entry, context):
        return _related_asset_problems(self.name, index, entry, entry.attachments, "attachments", context)

    def write(self, entry, context):
        values = {
            **self.common_values(entry),
            "body": clean_rich_text(entry.body),
            "priority": entry.priority,
            "pinned": entry.pinned,
            "requires_acknowledgement": entry.requires_acknowledgement,
        }
        return content_import(
            model=Bulletin,
            key=entry.key,
            values=values,
            relations={**self.audience(entry), "attachments": list(Asset.objects.filter(key__in=entry.attachments))},
            state=entry.state,
        )
