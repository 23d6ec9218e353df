"""Filters of the content library's admin listings: the gated content filters, and an asset's type."""

from django import forms

import django_filters

from cms.gating.filters import GatedContentFilterSet

from .models import Asset, Bulletin, Program


class AssetFilterSet(GatedContentFilterSet):
    asset_type = django_filters.ChoiceFilter(
        label="Type", choices=Asset.AssetType.choices, empty_label="All", widget=forms.RadioSelect
    )

    class Meta:
        model = Asset
        fields = []


class ProgramFilterSet(GatedContentFilterSet):
    class Meta:
        model = Program
        fields = []


class BulletinFilterSet(GatedContentFilterSet):
    class Meta:
        model = Bulletin
        fields = []
