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
