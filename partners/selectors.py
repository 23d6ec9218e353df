"""Reads of partner data."""

from dataclasses import dataclass

from .models import Partner, PartnerMembership, Tier


def membership_for_user(*, user) -> PartnerMembership | None:
    """The user's membership with partner, tier, type, region and roles loaded (two queries)."""
    return (
        PartnerMembership.objects.select_related("partner__tier", "partner__partner_type", "partner__region")
        .prefetch_related("roles")
        .filter(user_id=user.pk)
        .first()
    )


def audience_facts_for_user(*, user) -> dict | None:
    """What the audience rule needs to know about a user, as plain values in one query.

    ``None`` unless the user belongs to an active partner and is not past their last day. One
    row per role held (or one row with no role), so the roles come with the partner's tier, type and region.
    """
    rows = list(
        PartnerMembership.objects.current()
        .filter(user_id=user.pk, partner__is_active=True)
        .values_list(
            "partner_id",
            "partner__tier_id",
            "partner__tier__rank",
            "partner__partner_type_id",
            "partner__region_id",
            "leaves_on",
            "roles",
        )
    )
    if not rows:
        return None
    partner_id, tier_id, tier_rank, partner_type_id, region_id, last_day, _role = rows[0]
    return {
        "partner_id": partner_id,
        "tier_id": tier_id,
        "tier_rank": tier_rank,
        "partner_type_id": partner_type_id,
        "region_id": region_id,
        "last_day": last_day,
        "role_ids": frozenset(role for *_facts, role in rows if role is not None),
    }


def viewers_of(*, memberships) -> list:
    """``Viewer``s of the active, current users of active partners among ``memberships`` (two queries, whatever
    their number).

    The bulk twin of ``audience.viewer_for``: for deciding the audience rule for many users at once.
    """
    from .audience import Viewer

    rows = list(
        memberships.current()
        .filter(user__is_active=True, partner__is_active=True)
        .values_list(
            "pk",
            "user_id",
            "partner_id",
            "partner__tier_id",
            "partner__tier__rank",
            "partner__partner_type_id",
            "partner__region_id",
        )
    )
    roles: dict[int, set[int]] = {}
    for membership_id, role_id in PartnerMembership.roles.through.objects.filter(
        partnermembership_id__in=[row[0] for row in rows]
    ).values_list("partnermembership_id", "role_id"):
        roles.setdefault(membership_id, set()).add(role_id)
    return [
        Viewer(
            user_id=user_id,
            partner_id=partner_id,
            tier_id=tier_id,
            tier_rank=rank,
            partner_type_id=type_id,
            region_id=region_id,
            role_ids=frozenset(roles.get(pk, ())),
        )
        for pk, user_id, partner_id, tier_id, rank, type_id, region_id in rows
    ]


@dataclass(frozen=True)
class AudienceReach:
    partners: int
    users: int
    sample: list[str]  # names of some partners reached, in name order

    @property
    def more(self) -> int:
        """Partners reached beyond the sample."""
        return self.partners - len(self.sample)


def audience_reach(*, min_tier=None, partner_type_ids=(), region_ids=(), role_ids=(), sample=5) -> AudienceReach:
    """How many active partners, and current active users of theirs, an audience reaches right now (the audience
    rule's tier, type, region and role conditions; an item's required qualification narrows it further). Three
    queries."""
    partners = Partner.objects.active()
    if min_tier is not None:
        partners = partners.filter(tier__rank__gte=min_tier.rank)
    if partner_type_ids:
        partners = partners.filter(partner_type_id__in=partner_type_ids)
    if region_ids:
        partners = partners.filter(region_id__in=region_ids)
    users = PartnerMembership.objects.current().filter(partner__in=partners, user__is_active=True)
    if role_ids:
        users = users.filter(roles__in=role_ids)
    return AudienceReach(
        partners=partners.count(),
        users=users.values("user_id").distinct().count(),
        sample=list(partners.order_by("name").values_list("name", flat=True)[:sample]),
    )


def tier_named(pk) -> Tier | None:
    return Tier.objects.filter(pk=pk).first() if pk else None
