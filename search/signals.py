"""Signal receivers of search: every change to searchable content and synonyms reaches the index.

Saves and deletes of gated content of every registered search kind (``core.search``:
publishing, editing, audience changes, archive and restore all save the item) and the
lifecycle sweep's bulk transitions (``core.signals.items_changed``) each schedule a sync
of those items after the transaction commits. A tier whose rank changes does the same
for the items whose minimum tier it is (their documents carry the rank). Saving or
deleting a synonym schedules a rebuild; a product or language change drops the cached
facet labels.

Receivers are connected for every gated model; those of a model that is not a search
kind do nothing (``search_sync_later``), so kinds registered after search's own
``ready()`` are followed too.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save

from cms.gating.models import gated_content_models
from cms.models import Language, Product
from core.outbox.services import outbox_enqueue
from core.search import search_kinds
from core.signals import items_changed
from partners.models import Tier

from .client import elasticsearch_configured
from .models import Synonym
from .selectors import FACET_LABELS_KEY
from .services import search_sync_later
from .tasks import rebuild_search_index


def sync_saved_item(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_sync_later(model=sender, pks=[instance.pk])


def sync_changed_items(sender, pks, **kwargs):
    search_sync_later(model=sender, pks=pks)


def remember_tier_rank(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not elasticsearch_configured():  # the database fallback reads ranks live
        return
    instance._search_rank_before = sender.objects.filter(pk=instance.pk).values_list("rank", flat=True).first()


def sync_items_of_tier(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or getattr(instance, "_search_rank_before", instance.rank) == instance.rank:
        return
    for kind in search_kinds().values():
        pks = kind.model.objects.filter(min_tier=instance).live_for_partners().values_list("pk", flat=True)
        search_sync_later(model=kind.model, pks=list(pks))


def rebuild_after_synonyms_change(sender, instance, raw=False, **kwargs):
    if not raw and elasticsearch_configured():
        outbox_enqueue(task=rebuild_search_index, dedupe_key="search-rebuild")  # one rebuild for many changes


def forget_facet_labels(sender, **kwargs):
    cache.delete(FACET_LABELS_KEY)


def connect():
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
