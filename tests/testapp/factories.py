"""Factories of the test-only models."""

import factory

from cms.factories import GatedContentFactory

from .models import Briefing, GatedItem


class GatedItemFactory(factory.django.DjangoModelFactory):
    """``GatedItemFactory(partner_types=[...], regions=[...], roles=[...])`` sets the audience lists."""

    class Meta:
        model = GatedItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Item {n}")
    live = True
    min_tier = None

    @factory.post_generation
    def partner_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.partner_types.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)

    @factory.post_generation
    def commit_audience(self, create, extracted, **kwargs):
        # Parental many-to-many values are kept in memory until the item is saved.
        if create:
            self.save()


class BriefingFactory(GatedContentFactory):
    class Meta:
        model = Briefing
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Briefing {n}")
    body = "What partners need to know this week."
