"""factory_boy helpers of the portal: links of the links hub."""

import factory

from .models import PortalLink, PortalLinkIcon


class PortalLinkFactory(factory.django.DjangoModelFactory):
    """An active link for everyone; pass ``min_tier``, ``partner_types``, ``regions``, ``roles`` to gate it."""

    class Meta:
        model = PortalLink
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partner system {n}")
    description = "Where partners do something."
    url = factory.Sequence(lambda n: f"https://systems.example/{n}")
    icon = PortalLinkIcon.DEALS
    is_active = True

    @factory.post_generation
    def partner_types(obj, create, extracted, **kwargs):
        if extracted:
            obj.partner_types.set(extracted)
            obj.save()

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if extracted:
            obj.regions.set(extracted)
            obj.save()

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if extracted:
            obj.roles.set(extracted)
            obj.save()
