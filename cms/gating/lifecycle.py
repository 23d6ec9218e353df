"""Writes of gated content's lifecycle: archive, restore, bring to a state, and the scheduled sweep.

Publishing, workflows and unpublishing are Wagtail's own (``DraftStateMixin``,
``WorkflowMixin``); what is ours is the archive state on top and a sweep that runs
every due transition in batches, for every kind of gated content (``gated_content_models``):

* publish what is scheduled (``go_live_at`` reached): Wagtail's revision publish;
* expire what is live past ``expire_at``: one UPDATE and one log INSERT per batch;
* archive what expired ``ARCHIVE_AFTER_EXPIRY_DAYS`` ago: the same, per batch.

Every transition is written to Wagtail's audit log and told to webhook endpoints
(``cms.webhooks``: one more INSERT per batch). A missed sweep catches up on its next
run, and a second run finds nothing left to do.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wagtail.actions.unpublish import UnpublishAction
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision
from wagtail.permissions import policy_registry

from cms import webhooks
from cms.models import Asset
from cms.models.content import FileNotCleared
from cms.scanning.gate import refused_file_names
from cms.services.versions import asset_record_versions
from core.signals import items_changed

from .models import GatedContent, gated_content_models

ARCHIVE_ACTION = "partnerhub.archive"
RESTORE_ACTION = "partnerhub.restore"
EXPIRE_ACTION = "wagtail.unpublish.scheduled"
SCHEDULED_PUBLISH_ACTION = "wagtail.publish.scheduled"
AUTO_ARCHIVE_ACTION = "partnerhub.archive.scheduled"


logger = logging.getLogger("partnerhub.lifecycle")

_VERSION_FIELDS = {Asset: ("file", "version_note", "pdf_rendition")}


class LifecycleError(Exception):
    """A transition that does not apply to the item in its current state."""


class LifecyclePermissionError(LifecycleError, PermissionDenied):
    """A transition that ``user`` may not make: taking content down or back takes the publish permission."""


def user_can_publish(*, user, item) -> bool:
    """Whether ``user`` holds the publish permission of ``item`` (Wagtail's permission policy of its model)."""
    return policy_registry.get_by_type(type(item)).user_has_permission_for_instance(user, "publish", item)


def _check_can_publish(*, user, item, verb: str) -> None:
    # No user: a system caller (the lifecycle sweep, the importer), which is not asked.
    if user is not None and not user_can_publish(user=user, item=item):
        raise LifecyclePermissionError(
            f"You may not {verb} “{item}”: it takes the permission to publish {item._meta.verbose_name_plural}."
        )


@transaction.atomic
def content_archive(*, item: GatedContent, user=None) -> GatedContent:
    """Archive an item: hidden from partners everywhere, kept with its revisions and history.

    ``user`` needs the publish permission (archiving unpublishes); ``None`` is a system caller.
    """
    _check_can_publish(user=user, item=item, verb="archive")
    if item.archived_at is not None:
        raise LifecycleError(f"“{item}” is already archived.")
    if workflow_state := item.current_workflow_state:
        # An approval after archiving would publish the archived item: end the review now.
        workflow_state.cancel(user=user)
    if item.live:
        with webhooks.muted(webhooks.Event.UNPUBLISHED):  # webhooks hear "archived" instead
            UnpublishAction(item, user=user, log_action=False, commit=False).execute()
    if item.approved_schedule:
        # A scheduled publish must not bring an archived item back on its own.
        item.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)
    item.archived_at = timezone.now()
    item.archived_by = user
    item.save()
    log(item, ARCHIVE_ACTION, user=user)
    webhooks.emit(webhooks.Event.ARCHIVED, [item], occurred_at=item.archived_at)
    return item


@transaction.atomic
def content_restore(*, item: GatedContent, user=None) -> GatedContent:
    """Restore an archived item as a draft. A past expiry date is cleared so it can be published again.

    ``user`` needs the publish permission, as for archiving; ``None`` is a system caller.
    """
    _check_can_publish(user=user, item=item, verb="restore")
    if item.archived_at is None:
        raise LifecycleError(f"“{item}” is not archived.")
    item.archived_at = None
    item.archived_by = None
    item.expired = False
    item.live = False
    if item.expire_at and item.expire_at <= timezone.now():
        item.expire_at = None
    item.save()
    log(item, RESTORE_ACTION, user=user)
    webhooks.emit(webhooks.Event.RESTORED, [item])
    return item


def content_bring_to_state(*, item, state: str, content_changed: bool, user) -> bool:
    ran_its_course = item.expire_at and item.expire_at <= timezone.now() and (item.expired or item.archived_at)
    if state == "live" and not content_changed and ran_its_course:
        # It was live and has since expired (perhaps been archived): that is the manifest's "live" too.
        return False
    if state == "archived":
        if content_changed:
            item.save_revision(user=user, log_action=True)
        if item.archived_at is None:
            content_archive(item=item, user=user)
            return True
        return False
    if item.archived_at is not None:
        content_restore(item=item, user=user)
        item = type(item).objects.get(pk=item.pk)
        content_changed = True
    if state == "live":
        scheduled = item.approved_schedule
        if content_changed or not (item.live or scheduled):
            item.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
            return True
        return False
    # draft
    if content_changed:
        item.save_revision(user=user, log_action=True)
    if item.live:
        item.unpublish(user=user)
        return True
    return content_changed


@dataclass
class SweepResult:
    published: int = 0
    expired: int = 0
    archived: int = 0
    by_model: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.published + self.expired + self.archived

    def __str__(self) -> str:
        return f"{self.published} published, {self.expired} expired, {self.archived} archived"


def _log_entries(*, content_type, rows, action: str, now, revisions=None):
    """One audit-log row per ``(pk, title)``, written in a single INSERT."""
    revisions = revisions or {}
    return ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(pk),
            label=title,
            action=action,
            timestamp=now,
            data={},
            revision_id=revisions.get(pk),
            content_changed=pk in revisions,
        )
        for pk, title in rows
    )


def _bulk_transition(*, model, queryset, changes: dict, action: str, now, batch_size: int, event: str) -> int:
    """Apply ``changes`` to everything in ``queryset``, a batch at a time, logging each item and telling webhooks."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    done = 0
    while True:
        with transaction.atomic():
            # select_for_update(skip_locked) lets two sweeps run at once without doing anything twice.
            batch = list(
                queryset.select_for_update(skip_locked=True).order_by("pk").values_list("pk", "title")[:batch_size]
            )
            if not batch:
                return done
            model.objects.filter(pk__in=[pk for pk, _ in batch]).update(**changes)
            _log_entries(content_type=content_type, rows=batch, action=action, now=now)
            webhooks.emit_rows(event, model=model, rows=batch, occurred_at=now)
            items_changed.send(sender=model, pks=[pk for pk, _ in batch])
            done += len(batch)


def _publish_scheduled(*, model, now, batch_size: int) -> int:
    """Make scheduled items live, a batch at a time.

    When Wagtail publishes a revision with a future ``go_live_at`` on an item that is not
    live yet, it already writes that revision's content to the item and only holds back
    ``live``; going live is then a flag change we can make for a whole batch at once
    (a constant number of queries per batch). A scheduled change to an item that is
    already live has its content only in the revision, so it goes through Wagtail's
    own ``Revision.publish`` one by one.

    An asset whose file is not cleared by its virus scan (pending, infected, unscannable) stays
    scheduled: it goes live at the first sweep after its file is found clean, and it never stops
    the sweep for the other items.
    """
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    due = Revision.objects.filter(base_content_type=content_type, approved_go_live_at__lte=now)
    published = 0
    seen: set[int] = set()  # never loop on a revision that a publish could not clear
    while True:
        with transaction.atomic():
            revisions = list(
                due.exclude(pk__in=seen)
                .select_for_update(skip_locked=True)
                .order_by("approved_go_live_at", "pk")
                .values_list("pk", "object_id")[:batch_size]
            )
            if not revisions:
                return published
            seen.update(pk for pk, _ in revisions)
            revision_by_object = {int(object_id): pk for pk, object_id in revisions}
            items = list(
                model.objects.filter(pk__in=revision_by_object, live_revision__isnull=True, archived_at__isnull=True)
                .select_for_update()
                .only("pk", "title", "latest_revision_id", "first_published_at", *_VERSION_FIELDS.get(model, ()))
            )
            if model is Asset:
                refused = refused_file_names(item.file.name for item in items if item.file)
                held = [item for item in items if item.file and item.file.name in refused]
                for item in held:
                    logger.info("Scheduled asset %s not published yet: its file is not cleared", item.pk)
                items = [item for item in items if item not in held]
                held_pks = {revision_by_object[item.pk] for item in held}
            else:
                held_pks = set()
            for item in items:
                revision_pk = revision_by_object[item.pk]
                item.live = True
                item.expired = False
                item.live_revision_id = revision_pk
                item.last_published_at = now
                item.first_published_at = item.first_published_at or now
                item.has_unpublished_changes = item.latest_revision_id != revision_pk
            model.objects.bulk_update(
                items,
                [
                    "live",
                    "expired",
                    "live_revision",
                    "last_published_at",
                    "first_published_at",
                    "has_unpublished_changes",
                ],
            )
            bulk_pks = {revision_by_object[item.pk] for item in items}
            Revision.objects.filter(pk__in=bulk_pks).update(approved_go_live_at=None)
            _log_entries(
                content_type=content_type,
                rows=[(item.pk, item.title) for item in items],
                action=SCHEDULED_PUBLISH_ACTION,
                now=now,
                revisions={item.pk: revision_by_object[item.pk] for item in items},
            )
            if model is Asset:
                asset_record_versions(assets=items, now=now)
            webhooks.emit(webhooks.Event.PUBLISHED, items, occurred_at=now)
            items_changed.send(sender=model, pks=[item.pk for item in items])
            published += len(items)
            # Scheduled changes to live items (and leftovers of archived ones) go one by one.
            for revision_pk, _object_id in revisions:
                if revision_pk in bulk_pks or revision_pk in held_pks:
                    continue
                revision = Revision.objects.get(pk=revision_pk)
                if model.objects.filter(pk=int(revision.object_id), archived_at__isnull=False).exists():
                    revision.approved_go_live_at = None
                    revision.save(update_fields=["approved_go_live_at"])
                    continue
                try:
                    with transaction.atomic():
                        revision.publish(log_action=SCHEDULED_PUBLISH_ACTION, skip_permission_checks=True)
                except FileNotCleared:
                    logger.info("Scheduled change %s not published yet: its file is not cleared", revision_pk)
                    continue
                published += 1


def lifecycle_sweep(*, now=None, batch_size: int = 500) -> SweepResult:
    """Run every due transition once: publish scheduled, expire, auto-archive. Idempotent."""
    now = now or timezone.now()
    archive_before = now - timedelta(days=settings.ARCHIVE_AFTER_EXPIRY_DAYS)
    result = SweepResult()
    for model in gated_content_models():
        published = _publish_scheduled(model=model, now=now, batch_size=batch_size)

        expired = _bulk_transition(
            model=model,
            queryset=model.objects.filter(live=True, expire_at__lte=now),
            changes={"live": False, "expired": True, "has_unpublished_changes": True, "live_revision": None},
            action=EXPIRE_ACTION,
            now=now,
            batch_size=batch_size,
            event=webhooks.Event.EXPIRED,
        )
        archived = _bulk_transition(
            model=model,
            queryset=model.objects.filter(archived_at__isnull=True, expired=True, expire_at__lte=archive_before),
            changes={"archived_at": now},
            action=AUTO_ARCHIVE_ACTION,
            now=now,
            batch_size=batch_size,
            event=webhooks.Event.ARCHIVED,
        )
        result.published += published
        result.expired += expired
        result.archived += archived
        result.by_model[model._meta.verbose_name_plural] = (published, expired, archived)
    return result
