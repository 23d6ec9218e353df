"""Signal receivers of cms: keep asset versions in step with Wagtail's publishing, and tell webhooks.

Wagtail's ``published`` and ``unpublished`` signals of assets, programs and bulletins
become webhook events (``cms.webhooks``): ``published`` when an item goes live,
``changed`` when a live item is published again, ``unpublished`` (``expired`` when
Wagtail's own scheduler unpublishes it at its expiry). What the lifecycle services
do in bulk (the sweep, archive, restore) they emit themselves.

Wagtail's "Translate" (``copy_for_translation_done``, then the copy's first save) makes
a new language variant of a translatable gated item a draft in review (``cms.services.translation``).

Each new version of an asset's file (``core.signals.asset_file_stored``) has its text read by the
worker (``cms.services.file_text``).

Its own cross-app signals (``items_changed``, ``content_event``) are in ``core.signals``.
"""

from django.db.models.signals import post_save, pre_save

from wagtail.log_actions import get_active_log_context
from wagtail.models import TranslatableMixin
from wagtail.signals import copy_for_translation_done, published, unpublished

from core.outbox.services import outbox_enqueue
from core.signals import asset_file_stored

from . import webhooks
from .gating.models import GatedContent, gated_content_models
from .models import Asset
from .services.file_text import file_text_request
from .services.translation import content_translation_prepare, content_translation_submit
from .services.versions import asset_record_versions


def record_asset_version_on_publish(sender, instance, revision=None, **kwargs):
    asset_record_versions(assets=[instance], user=getattr(revision, "user", None))


def read_text_of_stored_file(sender, asset_id, version_id, **kwargs):
    file_text_request(version_ids=[version_id])


def remember_whether_live(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a publish saves an item (a full save of a live item), note whether it was live already.

    Wagtail has set ``live`` on the instance by then, so ask the row; a first publish
    (first and last published at the same moment) needs no query.
    """
    if raw or update_fields is not None or not instance.live or instance.pk is None:
        return
    first_publish = instance.first_published_at == instance.last_published_at
    instance._webhooks_was_live = (
        not first_publish and type(instance).objects.filter(pk=instance.pk, live=True).exists()
    )


def webhook_on_publish(sender, instance, revision=None, **kwargs):
    if not instance.live or instance.archived_at is not None:
        # Scheduled for later (the sweep tells when it goes live), or an old draft of an archived item.
        return
    event = webhooks.Event.CHANGED if getattr(instance, "_webhooks_was_live", False) else webhooks.Event.PUBLISHED
    webhooks.emit(event, [instance])


def webhook_on_unpublish(sender, instance, **kwargs):
    # Archiving unpublishes too; it mutes this and sends "archived" (``content_archive``).
    event = webhooks.Event.EXPIRED if instance.expired else webhooks.Event.UNPUBLISHED
    webhooks.emit(event, [instance])


def prepare_translation(sender, source_obj, target_obj, **kwargs):
    """A gated item copied for translation (not saved yet) becomes a draft with the source's audience."""
    if isinstance(target_obj, GatedContent) and target_obj.pk is None:
        content_translation_prepare(source=source_obj, translation=target_obj)


def submit_translation(sender, instance, created=False, raw=False, **kwargs):
    """Once saved, the new variant gets its own first revision and goes into review.

    Wagtail's "Translate" view saves the copy itself and tells nobody who did it but
    the admin's log context, so the revision and the workflow are the translator's.
    """
    source = instance.__dict__.pop("_translation_of", None)
    if raw or not created or source is None:
        return
    content_translation_submit(item=instance, source=source, user=get_active_log_context().user)


def previews_on_file_stored(sender, asset_id, version_id, **kwargs):
    """A version's file (or its PDF rendition) was stored: the worker makes its previews."""
    # In the outbox, with the version's transaction: the worker gets it once the broker can take it.
    outbox_enqueue(task="cms.tasks.generate_version_previews", args=[version_id], dedupe_key=f"previews:{version_id}")


def connect():
    asset_file_stored.connect(previews_on_file_stored, dispatch_uid="cms-previews-on-file-stored")
    published.connect(record_asset_version_on_publish, sender=Asset, dispatch_uid="cms-asset-version-on-publish")
    asset_file_stored.connect(read_text_of_stored_file, dispatch_uid="cms-file-text-on-store")
    for model in gated_content_models():
        name = model._meta.model_name
        pre_save.connect(remember_whether_live, sender=model, dispatch_uid=f"cms-webhooks-was-live-{name}")
        published.connect(webhook_on_publish, sender=model, dispatch_uid=f"cms-webhooks-published-{name}")
        unpublished.connect(webhook_on_unpublish, sender=model, dispatch_uid=f"cms-webhooks-unpublished-{name}")
        if issubclass(model, TranslatableMixin):
            post_save.connect(submit_translation, sender=model, dispatch_uid=f"cms-translation-submit-{name}")
    copy_for_translation_done.connect(prepare_translation, dispatch_uid="cms-translation-prepare")
