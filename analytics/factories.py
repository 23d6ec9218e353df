"""factory_boy factories of the analytics rollups, for tests, the demo and benchmarks.

The rollups are normally written by ``analytics.services.roll_up_day`` from raw records; these
factories write rows directly, for screens tested apart from the rollup and for the bench
population (years of days at once).
"""

from django.utils import timezone

import factory

from partners.factories import PartnerFactory, UserFactory

from .models import (
    DailyContentActivity,
    DailyPartnerActivity,
    DailySearchTerm,
    DailyUserActivity,
    PartnerScore,
    RollupRun,
)


class DailyPartnerActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyPartnerActivity

    day = factory.LazyFunction(timezone.localdate)
    partner = factory.SubFactory(PartnerFactory)
    active_users = 1


class DailyUserActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyUserActivity

    day = factory.LazyFunction(timezone.localdate)
    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    sign_ins = 1


class DailyContentActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyContentActivity

    day = factory.LazyFunction(timezone.localdate)
    kind = "asset"
    item_id = factory.Sequence(lambda n: n + 1)
    partner = factory.SubFactory(PartnerFactory)
    tier = factory.LazyAttribute(lambda o: o.partner.tier)
    region = factory.LazyAttribute(lambda o: o.partner.region)


class DailySearchTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailySearchTerm

    day = factory.LazyFunction(timezone.localdate)
    normalized = factory.Sequence(lambda n: f"term {n}")
    partner = factory.SubFactory(PartnerFactory)
    searches = 1


class PartnerScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerScore

    day = factory.LazyFunction(timezone.localdate)
    partner = factory.SubFactory(PartnerFactory)
    members = 10
    active_users = 5
    engagement = 50.0


class RollupRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RollupRun

    day = factory.LazyFunction(timezone.localdate)
    complete = True
