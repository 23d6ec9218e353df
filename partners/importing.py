"""Import-manifest sections of partners: tiers, partner types, regions, roles, partners, users."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

import pydantic

from core.importer.engine import Entry, ImportContext, Problem, Section, entry_problem
from core.importer.helpers import lookup, unknown_reference

from . import services
from .models import Partner, PartnerMfaPolicy, PartnerType, Region, Role, Tier


class NamedEntry(Entry):
    name: str = pydantic.Field(min_length=1, max_length=100)


class TierEntry(NamedEntry):
    rank: int = pydantic.Field(ge=0, le=1_000_000)


class PartnerEntry(Entry):
    name: str = pydantic.Field(min_length=1, max_length=200)
    tier: str
    type: str
    region: str
    active: bool = True
    channel_manager: str | None = pydantic.Field(
        default=None,
        max_length=254,
        description="E-mail of the staff user who manages the partner; absent: unchanged; null: none",
    )
    mfa: PartnerMfaPolicy | None = pydantic.Field(
        default=None,
        description="Two-factor authentication for the partner's users: optional or required; absent: unchanged",
    )

    @pydantic.field_validator("channel_manager")
    @classmethod
    def _lower_email(cls, value: str | None) -> str | None:
        return value.strip().lower() if value else value


class UserEntry(Entry):
    key: str = pydantic.Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    email: str = pydantic.Field(max_length=254)
    partner: str
    roles: list[str] = pydantic.Field(default_factory=list)
    active: bool = True
    first_name: str = pydantic.Field(default="", max_length=150)
    last_name: str = pydantic.Field(default="", max_length=150)
    leaves_on: date | None = pydantic.Field(
        default=None, description="Their last day at the partner (notice given); absent: unchanged"
    )

    @pydantic.field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError(f"{value!r} is not a valid e-mail address") from None
        return value.lower()


class TiersSection(Section):
    name = "tiers"
    schema = TierEntry
    model = Tier

    def check_references(self, entries, context):
        problems = []
        ranks: dict[int, str] = {}
        stored = dict(Tier.objects.values_list("rank", "key"))
        manifest_keys = {e.key for e in entries}
        for index, entry in enumerate(entries):
            other = ranks.get(entry.rank) or (
                stored.get(entry.rank) if stored.get(entry.rank) not in manifest_keys else None
            )
            if other and other != entry.key:
                problems.append(
                    Problem(
                        f"rank {entry.rank} is already used by tier {other!r}",
                        section=self.name,
                        index=index,
                        key=entry.key,
                        field="rank",
                    )
                )
            ranks[entry.rank] = entry.key
        return problems

    def write(self, entry, context):
        return services.tier_upsert(key=entry.key, name=entry.name, rank=entry.rank)


class PartnerTypesSection(Section):
    name = "partner_types"
    schema = NamedEntry
    model = PartnerType

    def write(self, entry, context):
        return services.partner_type_upsert(key=entry.key, name=entry.name)


class RegionsSection(Section):
    name = "regions"
    schema = NamedEntry
    model = Region

    def write(self, entry, context):
        return services.region_upsert(key=entry.key, name=entry.name)


class RolesSection(Section):
    name = "roles"
    schema = NamedEntry
    model = Role

    def write(self, entry, context):
        return services.role_upsert(key=entry.key, name=entry.name)


class PartnersSection(Section):
    name = "partners"
    schema = PartnerEntry
    model = Partner
    depends_on = ("tiers", "partner_types", "regions")

    def check_references(self, entries, context: ImportContext):
        tiers = context.known("tiers", TiersSection().stored_keys)
        types = context.known("partner_types", PartnerTypesSection().stored_keys)
        regions = context.known("regions", RegionsSection().stored_keys)
        problems = []
        for index, entry in enumerate(entries):
            if entry.tier not in tiers:
                problems.append(unknown_reference(self.name, index, entry, "tier", "tier", entry.tier, tiers))
            if entry.type not in types:
                problems.append(unknown_reference(self.name, index, entry, "type", "partner type", entry.type, types))
            if entry.region not in regions:
                problems.append(unknown_reference(self.name, index, entry, "region", "region", entry.region, regions))
        managers = _staff_by_email({entry.channel_manager for entry in entries if entry.channel_manager})
        for index, entry in enumerate(entries):
            if entry.channel_manager and entry.channel_manager not in managers:
                problems.append(
                    entry_problem(
                        self.name,
                        index,
                        entry,
                        "channel_manager",
                        f"no active staff user has the e-mail {entry.channel_manager!r}",
                    )
                )
        return problems

    def write(self, entry, context):
        extra = {}
        if "channel_manager" in entry.model_fields_set:  # absent: unchanged; null: none any more
            manager = entry.channel_manager
            extra["channel_manager"] = _staff_by_email({manager}).get(manager) if manager else None
        if entry.mfa is not None:  # absent (or null): unchanged
            extra["mfa_policy"] = entry.mfa
        return services.partner_upsert(
            key=entry.key,
            name=entry.name,
            tier=lookup(Tier, "tiers", entry.tier, context),
            partner_type=lookup(PartnerType, "partner_types", entry.type, context),
            region=lookup(Region, "regions", entry.region, context),
            is_active=entry.active,
            **extra,
        )


def _staff_by_email(emails: set[str]) -> dict:
    """Active staff users by lower-cased e-mail, among ``emails``."""
    if not emails:
        return {}
    users = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(is_staff=True, is_active=True, email_lower__in=emails)
        .order_by("pk")
    )
    return {user.email_lower: user for user in reversed(users)}  # the oldest account wins a shared address


class UsersSection(Section):
    name = "users"
    schema = UserEntry
    depends_on = ("partners", "roles")

    def stored_keys(self):
        return set(get_user_model().objects.values_list("username", flat=True))

    def check_references(self, entries, context: ImportContext):
        partners = context.known("partners", PartnersSection().stored_keys)
        roles = context.known("roles", RolesSection().stored_keys)
        staff = set(
            get_user_model()
            .objects.filter(username__in=[e.key for e in entries], is_staff=True)
            .values_list("username", flat=True)
        )
        problems = []
        for index, entry in enumerate(entries):
            if entry.key in staff:
                problems.append(
                    Problem(
                        "is a staff account; partner users and editors must be different accounts",
                        section=self.name,
                        index=index,
                        key=entry.key,
                        field="key",
                    )
                )
            if entry.partner not in partners:
                problems.append(
                    unknown_reference(self.name, index, entry, "partner", "partner", entry.partner, partners)
                )
            for role in entry.roles:
                if role not in roles:
                    problems.append(unknown_reference(self.name, index, entry, "roles", "role", role, roles))
        return problems

    def write(self, entry, context):
        return services.partner_user_upsert(
            username=entry.key,
            email=entry.email,
            partner=lookup(Partner, "partners", entry.partner, context),
            roles=[lookup(Role, "roles", key, context) for key in entry.roles],
            is_active=entry.active,
            first_name=entry.first_name,
            last_name=entry.last_name,
            **({"leaves_on": entry.leaves_on} if "leaves_on" in entry.model_fields_set else {}),
        )
