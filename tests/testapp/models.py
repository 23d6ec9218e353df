"""A minimal gated model: the audience plus a ``live`` flag standing in for a lifecycle."""

from django.db import models
from django.db.models import Q

from modelcluster.models import ClusterableModel

from partners.audience import AudienceMixin, AudienceQuerySet


class GatedItem(AudienceMixin, ClusterableModel):
    title = models.CharField(max_length=100)
    live = models.BooleanField(default=True)

    objects = AudienceQuerySet.as_manager()

    @classmethod
    def live_q(cls):
        return Q(live=True)

    def is_live_for_partners(self):
        return self.live

    def __str__(self):
        return self.title
