"""Reads of partner data."""

from .models import PartnerMembership


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
