"""Writes of gated content's lifecycle: archive, restore, and the scheduled sweep.

Publishing, workflows and unpublishing are Wagtail's own (``DraftStateMixin``,
``WorkflowMixin``); what is ours is the archive state on top and a sweep that runs
every due transition in batches:

* publish what is scheduled (``go_live_at`` reached): Wagtail's revision publish;
* expire what is live past ``expire_at``: one UPDATE and one log INSERT per batch;
* archive what expired ``ARCHIVE_AFTER_EXPIRY_DAYS`` ago: the same, per batch.

Every transition is written to Wagtail's audit log. A missed sweep catches up on
its next run, and a second run finds nothing left to do.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from .models import GATED_CONTENT_MODELS, GatedContent

ARCHIVE_ACTION = "partnerhub.archive"
RESTORE_ACTION = "partnerhub.restore"
EXPIRE_ACTION = "wagtail.unpublish.scheduled"
AUTO_ARCHIVE_ACTION = "partnerhub.archive.scheduled"


class LifecycleError(Exception):
    """A transition that does not apply to the item in its current state."""


@transaction.atomic
def content_archive(*, item: GatedContent, user=None) -> GatedContent:
    """Archive an item: hidden from partners everywhere, kept with its revisions and history."""
    if item.archived_at is not None:
        raise LifecycleError(f"“{item}” is already archived.")
    if item.live:
        item.unpublish(user=user, log_action=False, commit=False)
    if item.approved_schedule:
        # A scheduled publish must not bring an archived item back on its own.
        item.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)
    item.archived_at = timezone.now()
    item.archived_by = user
    item.save()
    log(item, ARCHIVE_ACTION, user=user)
    return item


@transaction.atomic
def content_restore(*, item: GatedContent, user=None) -> GatedContent:
    """Restore an archived item as a draft. A past expiry date is cleared so it can be published again."""
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
    return item


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


def _bulk_transition(*, model, queryset, changes: dict, action: str, now, batch_size: int) -> int:
    """Apply ``changes`` to everything in ``queryset``, a batch at a time, logging each item."""
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
            ModelLogEntry.objects.bulk_create(
                ModelLogEntry(
                    content_type=content_type,
                    object_id=str(pk),
                    label=title,
                    action=action,
                    timestamp=now,
                    data={},
                )
                for pk, title in batch
            )
            done += len(batch)


def lifecycle_sweep(*, now=None, batch_size: int = 500) -> SweepResult:
    """Run every due transition once: publish scheduled, expire, auto-archive. Idempotent."""
    now = now or timezone.now()
    archive_before = now - timedelta(days=settings.ARCHIVE_AFTER_EXPIRY_DAYS)
    result = SweepResult()
    for model in GATED_CONTENT_MODELS:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        due_revisions = Revision.objects.filter(
            base_content_type=content_type, approved_go_live_at__lte=now
        ).order_by("approved_go_live_at", "pk")
        published = 0
        for revision_pk in list(due_revisions.values_list("pk", flat=True)):
            with transaction.atomic():
                # Lock and re-check, so that two sweeps at once never publish a revision twice.
                revision = (
                    Revision.objects.select_for_update(skip_locked=True)
                    .filter(pk=revision_pk, approved_go_live_at__lte=now)
                    .first()
                )
                if revision is None:
                    continue
                # Wagtail applies the revision's content, clears the schedule and logs the publish.
                revision.publish(log_action="wagtail.publish.scheduled", skip_permission_checks=True)
                published += 1

        expired = _bulk_transition(
            model=model,
            queryset=model.objects.filter(live=True, expire_at__lte=now),
            changes={"live": False, "expired": True, "has_unpublished_changes": True, "live_revision": None},
            action=EXPIRE_ACTION,
            now=now,
            batch_size=batch_size,
        )
        archived = _bulk_transition(
            model=model,
            queryset=model.objects.filter(archived_at__isnull=True, expired=True, expire_at__lte=archive_before),
            changes={"archived_at": now},
            action=AUTO_ARCHIVE_ACTION,
            now=now,
            batch_size=batch_size,
        )
        result.published += published
        result.expired += expired
        result.archived += archived
        result.by_model[model._meta.verbose_name_plural] = (published, expired, archived)
    return result
