"""Signal receivers of search: every change to searchable content and synonyms reaches the index.

Saves and deletes of assets, programs, bulletins and courses (publishing, editing, audience
changes, archive and restore all save the item) and the lifecycle sweep's bulk
transitions (``cms.signals.items_changed``) each schedule a sync of those items after
the transaction commits. A tier whose rank changes does the same for the items whose
minimum tier it is (their documents carry the rank). Saving or deleting a synonym
schedules a rebuild; a product or language change drops the cached facet labels.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save


def sync_saved_item(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import search_sync_later

    search_sync_later(model=sender, pks=[instance.pk])


def sync_changed_items(sender, pks, **kwargs):
    from .services import search_sync_later

    search_sync_later(model=sender, pks=pks)


def remember_tier_rank(sender, instance, raw=False, **kwargs):
    from .client import elasticsearch_configured

    if raw or instance.pk is None or not elasticsearch_configured():  # the database fallback reads ranks live
        return
    instance._search_rank_before = sender.objects.filter(pk=instance.pk).values_list("rank", flat=True).first()


def sync_items_of_tier(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or getattr(instance, "_search_rank_before", instance.rank) == instance.rank:
        return
    from .documents import kinds
    from .services import search_sync_later

    for kind in kinds().values():
        pks = kind.model.objects.filter(min_tier=instance).live_for_partners().values_list("pk", flat=True)
        search_sync_later(model=kind.model, pks=list(pks))


def rebuild_after_synonyms_change(sender, instance, raw=False, **kwargs):
    from .client import elasticsearch_configured
    from .tasks import rebuild_search_index

    if not raw and elasticsearch_configured():
        transaction.on_commit(rebuild_search_index.delay, robust=True)


def forget_facet_labels(sender, **kwargs):
    from django.core.cache import cache

    from .api import FACET_LABELS_KEY

    cache.delete(FACET_LABELS_KEY)


def connect():
    from cms.gating.models import gated_content_models
    from cms.models import Language, Product
    from cms.signals import items_changed
    from partners.models import Tier

    from .models import Synonym

    for model in gated_content_models():
        name = model._meta.model_name
        post_save.connect(sync_saved_item, sender=model, dispatch_uid=f"search-sync-saved-{name}")
        post_delete.connect(sync_saved_item, sender=model, dispatch_uid=f"search-sync-deleted-{name}")
        items_changed.connect(sync_changed_items, sender=model, dispatch_uid=f"search-sync-changed-{name}")
    for model in (Product, Language):
        name = model._meta.model_name
        post_save.connect(forget_facet_labels, sender=model, dispatch_uid=f"search-labels-saved-{name}")
        post_delete.connect(forget_facet_labels, sender=model, dispatch_uid=f"search-labels-deleted-{name}")
    pre_save.connect(remember_tier_rank, sender=Tier, dispatch_uid="search-tier-rank-before")
    post_save.connect(sync_items_of_tier, sender=Tier, dispatch_uid="search-tier-rank-changed")
    post_save.connect(rebuild_after_synonyms_change, sender=Synonym, dispatch_uid="search-synonyms-saved")
    post_delete.connect(rebuild_after_synonyms_change, sender=Synonym, dispatch_uid="search-synonyms-deleted")
