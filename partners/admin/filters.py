"""Report filters on a learner's partner, shared by the learning and certification reports."""

from django import forms

import django_filters

from ..models import PartnerType, Tier

LEARNER_PARTNER = "user__partner_membership__partner"


def partner_tier_filter(*, field_name: str = f"{LEARNER_PARTNER}__tier") -> django_filters.ModelChoiceFilter:
    """Radio buttons of the partner tiers, "All" first."""
    return django_filters.ModelChoiceFilter(
        label="Partner tier",
        field_name=field_name,
        queryset=Tier.objects.all(),
        empty_label="All",
        widget=forms.RadioSelect,
    )


def partner_type_filter(*, field_name: str = f"{LEARNER_PARTNER}__partner_type") -> django_filters.ModelChoiceFilter:
    """Radio buttons of the partner types, "All" first."""
    return django_filters.ModelChoiceFilter(
        label="Partner type",
        field_name=field_name,
        queryset=PartnerType.objects.all(),
        empty_label="All",
        widget=forms.RadioSelect,
    )
