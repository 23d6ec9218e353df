"""Writes of gated content's lifecycle: archive, restore, and the scheduled sweep.

Publishing, workflows and unpublishing are Wagtail's own (``DraftStateMixin``,
``WorkflowMixin``); what is ours is the archive state on top and a sweep that runs
every due transition in batches:

* publish what is scheduled (``go_live_at`` reached): Wagtail's revision publish;
* expire what is live past ``expire_at``: one UPDATE and one log INSERT per batch;
* archive what expired ``ARCHIVE_AFTER_EXPIRY_DAYS`` ago: the same, per batch.

Every transition is written to Wagtail's audit log and told to webhook endpoints
(``cms.webhooks``: one more INSERT per batch). A missed sweep catches up on its next
run, and a second run finds nothing left to do.

A new language variant made by Wagtail's "Translate" starts as a draft of its own, in
review when a workflow applies (``content_translation_prepare`` / ``_submit``).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wagtail.actions.unpublish import UnpublishAction
from wagtail.log_actions import log
from wagtail.models import Locale, ModelLogEntry, Revision, TranslatableMixin
from wagtail.permissions import policy_registry

from core.signals import content_event, items_changed
from partners.audience import AUDIENCE_LISTS
from partners.services import keyed_upsert

from . import webhooks
from .models import (
    Asset,
    AssetVersion,
    BulletinAcknowledgement,
    Download,
    FeedVisit,
    GatedContent,
    Language,
    OwnerReminder,
    Product,
    VersionNotice,
    file_digest,
    gated_content_models,
)

ARCHIVE_ACTION = "partnerhub.archive"
RESTORE_ACTION = "partnerhub.restore"
EXPIRE_ACTION = "wagtail.unpublish.scheduled"
SCHEDULED_PUBLISH_ACTION = "wagtail.publish.scheduled"
AUTO_ARCHIVE_ACTION = "partnerhub.archive.scheduled"


_VERSION_FIELDS = {Asset: ("file", "version_note")}


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


def asset_record_versions(*, assets, user=None, now=None) -> list[AssetVersion]:
    """Record each published asset's file as a new version when it differs from its latest one.

    Old versions are kept (their files too), so partners who downloaded an earlier
    version can be told what changed. Two queries whatever the number of assets.
    """
    now = now or timezone.now()
    assets = [a for a in assets if a.file]
    latest: dict[int, AssetVersion] = {}
    for version in AssetVersion.objects.filter(asset__in=[a.pk for a in assets]).order_by("asset_id", "-number"):
        latest.setdefault(version.asset_id, version)
    new_versions = []
    for asset in assets:
        previous = latest.get(asset.pk)
        if previous is not None and previous.file.name == asset.file.name:
            continue
        new_versions.append(
            AssetVersion(
                asset=asset,
                number=previous.number + 1 if previous else 1,
                file=asset.file.name,
                change_note=asset.version_note if previous else (asset.version_note or "First version"),
                created_at=now,
                created_by=user,
            )
        )
    created = AssetVersion.objects.bulk_create(new_versions)
    if renewed := [version.asset_id for version in created if version.number > 1]:
        content_event.send(sender=Asset, event="new_version", pks=renewed)
    return created


def product_upsert(*, key: str, name: str):
    return keyed_upsert(Product, key=key, name=name)


def language_upsert(*, key: str, name: str):
    return keyed_upsert(Language, key=key, name=name)


def products_for_keys(*, keys: list[str]) -> list[Product]:
    """The products with these keys, creating missing ones (named after their key)."""
    existing = {p.key: p for p in Product.objects.filter(key__in=keys)}
    for key in keys:
        if key not in existing:
            existing[key] = product_upsert(key=key, name=key.replace("-", " ").replace("_", " ").title())[0]
    return [existing[key] for key in keys]


def languages_for_codes(*, codes: list[str]) -> list[Language]:
    """The languages with these codes, creating missing ones with Django's name for them."""
    from django.conf.locale import LANG_INFO

    codes = [code.lower() for code in codes]
    existing = {lang.key: lang for lang in Language.objects.filter(key__in=codes)}
    for code in codes:
        if code not in existing:
            existing[code] = language_upsert(key=code, name=LANG_INFO[code].get("name", code))[0]
    return [existing[code] for code in codes]


def locale_for_code(*, code: str | None) -> Locale:
    """The Wagtail locale of a content language code (created when first used); the default for ``None``."""
    if not code:
        return Locale.get_default()
    from wagtail.coreutils import get_supported_content_language_variant

    language_code = get_supported_content_language_variant(code.lower())
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    return locale


TRANSLATE_ACTION = "wagtail.copy_for_translation"


def variant_key_for(*, model, source_key: str | None, locale: Locale) -> str | None:
    """A key of its own for a new language variant: ``<source key>--<language>``, numbered when taken."""
    if not source_key:
        return None
    max_length = model._meta.get_field("key").max_length
    suffix = f"--{locale.language_code.lower()}"
    base = source_key[: max_length - len(suffix)] + suffix
    key, number = base, 1
    while model._default_manager.filter(key=key).exists():
        number += 1
        tail = f"-{number}"
        key = base[: max_length - len(tail)] + tail
    return key


def content_translation_prepare(*, source: GatedContent, translation: GatedContent) -> None:
    """Turn the unsaved copy Wagtail made for a translation into a new draft of its own.

    Wagtail copies the source's latest draft, lifecycle included (live, its live
    revision, its key). The copy keeps the draft's text for the translator, but starts
    unpublished, unlocked, unarchived, with a key of its own, and with the audience and
    dates of the source as stored (what partners see of a live source), never those of
    an unreviewed draft. Its first revision is made once it is saved
    (``content_translation_submit``).
    """
    stored = type(source)._default_manager.get(pk=source.pk)
    translation.min_tier_id = stored.min_tier_id
    for name in AUDIENCE_LISTS:
        getattr(translation, name).set(list(getattr(stored, name).all()))
    translation.go_live_at = stored.go_live_at
    translation.expire_at = stored.expire_at
    translation.live = False
    translation.expired = False
    translation.has_unpublished_changes = True
    translation.live_revision = None
    translation.latest_revision = None
    translation.first_published_at = translation.last_published_at = None
    translation.locked, translation.locked_at, translation.locked_by = False, None, None
    translation.archived_at, translation.archived_by = None, None
    translation.created_at = timezone.now()
    translation.key = variant_key_for(model=type(translation), source_key=stored.key, locale=translation.locale)
    # Only what this copy changes is validated: a field the source no longer satisfies (an owner who left
    # the staff, a file of a format now refused) is the reviewer's to fix in the draft, not a failed Translate.
    translation.validate_unique()
    translation.validate_constraints()
    translation._translation_of = stored


@transaction.atomic
def content_translation_submit(*, item: GatedContent, source: GatedContent, user=None):
    """Give a new language variant its first revision, and put it in review when a workflow applies."""
    revision = item.save_revision(user=user, clean=False)  # cleaned before its first save
    log(
        item,
        TRANSLATE_ACTION,
        user=user,
        revision=revision,
        content_changed=True,
        data={
            "source": {"id": source.pk, "title": str(source)},
            "source_locale": {"id": source.locale_id, "language_code": source.locale.language_code},
            "destination_locale": {"id": item.locale_id, "language_code": item.locale.language_code},
        },
    )
    if workflow := item.get_workflow():
        workflow.start(item, user)
    return revision


@transaction.atomic
def content_import(
    *,
    model,
    key: str,
    values: dict,
    relations: dict,
    state: str,
    children: dict | None = None,
    file_path=None,
    translation: dict | None = None,
    user=None,
):
    """Create or update one imported item by ``key`` and bring it to ``state``; return ``(item, created, changed)``.

    An entry equal to what is stored changes nothing: no revision, no version, no log entry.
    """
    from django.core.files import File

    item = model.objects.filter(key=key).first()
    created = item is None
    if created:
        item = model(key=key, live=False)
    changed = created
    if issubclass(model, TranslatableMixin):
        translation = translation or {}
        values = {**values, "locale": locale_for_code(code=translation.get("locale"))}
        if translation.get("of"):
            source = model.objects.get(key=translation["of"])
            if item.translation_key != source.translation_key:
                item.translation_key = source.translation_key
                changed = True
    for name, value in values.items():
        field = model._meta.get_field(name)
        wanted = value.pk if field.is_relation and value is not None else value
        if getattr(item, field.attname) != wanted:
            setattr(item, name, value)
            changed = True
    opened = None
    if file_path is not None:
        with open(file_path, "rb") as handle:
            digest = file_digest(File(handle))
        if digest != getattr(item, "file_sha256", None):
            opened = open(file_path, "rb")  # noqa: SIM115 - closed below, after the save copies it
            item.file = File(opened, name=file_path.name)
            changed = True
    for name, objects in relations.items():
        wanted = {obj.pk for obj in objects}
        current = set() if created else {obj.pk for obj in getattr(item, name).all()}
        if wanted != current:
            getattr(item, name).set(objects)
            changed = True
    for name, rows in (children or {}).items():
        current = (
            []
            if created
            else [{k: getattr(child, k) for k in rows[0]} for child in getattr(item, name).all()]
            if rows
            else list(getattr(item, name).all())
        )
        if current != rows:
            setattr(item, name, [getattr(model, name).rel.related_model(**row) for row in rows])
            changed = True
    try:
        if changed:
            item.full_clean()
            item.save()
    finally:
        if opened is not None:
            opened.close()

    state_changed = content_bring_to_state(item=item, state=state, content_changed=changed, user=user)
    return item, created, changed or state_changed


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


@dataclass(frozen=True)
class DueReminder:
    item: GatedContent
    kind: str
    due_on: object  # date
    days_before: int


def reminder_lead_time(days_left: int, lead_times: list[int]) -> int | None:
    """The smallest configured lead time that ``days_left`` falls within, if any."""
    return min((d for d in lead_times if days_left <= d), default=None)


def freshness_reminders_due(*, now=None) -> list[DueReminder]:
    """Reminders owners should get now and have not had: expiry and review, each lead time once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = []
    for model in gated_content_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        owned = model.objects.filter(archived_at__isnull=True, owner__isnull=False, owner__is_active=True).exclude(
            owner__email=""
        )
        candidates = []
        if settings.FRESHNESS_EXPIRY_REMINDER_DAYS:
            horizon = now + timedelta(days=max(settings.FRESHNESS_EXPIRY_REMINDER_DAYS))
            for item in owned.filter(live=True, expire_at__gt=now, expire_at__lte=horizon).select_related("owner"):
                expires_on = timezone.localdate(item.expire_at)
                lead = reminder_lead_time((expires_on - today).days, settings.FRESHNESS_EXPIRY_REMINDER_DAYS)
                if lead is not None:
                    candidates.append(DueReminder(item, OwnerReminder.Kind.EXPIRY, expires_on, lead))
        if settings.FRESHNESS_REVIEW_REMINDER_DAYS:
            horizon_day = today + timedelta(days=max(settings.FRESHNESS_REVIEW_REMINDER_DAYS))
            for item in owned.filter(review_by__isnull=False, review_by__lte=horizon_day).select_related("owner"):
                lead = reminder_lead_time((item.review_by - today).days, settings.FRESHNESS_REVIEW_REMINDER_DAYS)
                if lead is not None:
                    candidates.append(DueReminder(item, OwnerReminder.Kind.REVIEW, item.review_by, lead))
        sent = set(
            OwnerReminder.objects.filter(
                content_type=content_type, object_id__in={c.item.pk for c in candidates}
            ).values_list("object_id", "kind", "due_on", "days_before")
        )
        due += [c for c in candidates if (c.item.pk, c.kind, c.due_on, c.days_before) not in sent]
    return due


def freshness_reminders_send(*, now=None) -> int:
    """E-mail each owner one digest of their due reminders and record them, so each is sent once."""
    from django.core.mail import send_mail
    from django.db import IntegrityError
    from django.template.loader import render_to_string

    from wagtail.admin.admin_url_finder import AdminURLFinder

    now = now or timezone.now()
    by_owner: dict = {}
    for reminder in freshness_reminders_due(now=now):
        by_owner.setdefault(reminder.item.owner, []).append(reminder)
    url_finder = AdminURLFinder()
    sent = 0
    for owner, reminders in by_owner.items():
        reminders.sort(key=lambda r: (r.due_on, r.item.title))
        lines = [
            {
                "reminder": r,
                "url": settings.WAGTAILADMIN_BASE_URL + (url_finder.get_edit_url(r.item) or ""),
                "type": r.item._meta.verbose_name,
            }
            for r in reminders
        ]
        try:
            with transaction.atomic():
                OwnerReminder.objects.bulk_create(
                    OwnerReminder(
                        content_type=ContentType.objects.get_for_model(r.item, for_concrete_model=False),
                        object_id=r.item.pk,
                        kind=r.kind,
                        due_on=r.due_on,
                        days_before=r.days_before,
                        owner=owner,
                        sent_at=now,
                    )
                    for r in reminders
                )
                context = {"owner": owner, "lines": lines, "today": timezone.localdate(now)}
                send_mail(
                    subject=f"Partner Hub: {len(reminders)} item(s) of yours need attention",
                    message=render_to_string("cms/emails/freshness_reminder.txt", context),
                    from_email=None,
                    recipient_list=[owner.email],
                    html_message=render_to_string("cms/emails/freshness_reminder.html", context),
                )
        except IntegrityError:
            continue  # another run recorded (and sent) these at the same moment
        sent += len(reminders)
    return sent


def version_digests_send(*, now=None, within_days: int = 30) -> int:
    """E-mail partner users a digest of assets they downloaded that have a newer version since.

    Each user hears about each version once, and only about assets they may still see
    (the audience rule is applied per user, so a digest never reveals a gated title).
    Returns how many notices were sent.
    """
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.db import IntegrityError
    from django.db.models import Exists, OuterRef
    from django.template.loader import render_to_string

    now = now or timezone.now()
    versions = AssetVersion.objects.filter(number__gt=1, created_at__gte=now - timedelta(days=within_days))
    pending: dict[int, list[AssetVersion]] = {}
    for version in versions.select_related("asset"):
        downloaded_before = Download.objects.filter(asset_id=version.asset_id, downloaded_at__lt=version.created_at)
        downloaded_since = Download.objects.filter(
            asset_id=version.asset_id, user_id=OuterRef("user_id"), downloaded_at__gte=version.created_at
        )
        users = (
            downloaded_before.exclude(user=None)
            .annotate(again=Exists(downloaded_since))
            .filter(again=False)
            .exclude(user__in=VersionNotice.objects.filter(version=version).values("user"))
            .values_list("user_id", flat=True)
            .distinct()
        )
        for user_id in users:
            pending.setdefault(user_id, []).append(version)

    sent = 0
    for user in get_user_model().objects.filter(pk__in=pending, is_active=True).exclude(email=""):
        visible = set(
            Asset.objects.visible_to(user)
            .filter(pk__in=[v.asset_id for v in pending[user.pk]])
            .values_list("pk", flat=True)
        )
        versions_for_user = [v for v in pending[user.pk] if v.asset_id in visible]
        if not versions_for_user:
            continue
        context = {"user": user, "versions": versions_for_user}
        try:
            with transaction.atomic():
                VersionNotice.objects.bulk_create(
                    VersionNotice(user=user, version=v, sent_at=now) for v in versions_for_user
                )
                send_mail(
                    subject=f"Partner Hub: {len(versions_for_user)} asset(s) you downloaded have been updated",
                    message=render_to_string("cms/emails/version_digest.txt", context),
                    from_email=None,
                    recipient_list=[user.email],
                )
        except IntegrityError:
            continue
        sent += len(versions_for_user)
    return sent


def feed_visit_record(*, user, now=None):
    """Record that ``user`` read their feed now; return when they read it before (``None`` the first time)."""
    now = now or timezone.now()
    visit = FeedVisit.objects.filter(user=user).first()
    previous = visit.visited_at if visit else None
    FeedVisit.objects.update_or_create(user=user, defaults={"visited_at": now})
    return previous


def bulletin_acknowledge(*, bulletin, user) -> BulletinAcknowledgement:
    """Record that ``user`` read ``bulletin``; acknowledging twice keeps the first time."""
    membership = getattr(user, "partner_membership", None)
    acknowledgement, _created = BulletinAcknowledgement.objects.get_or_create(
        bulletin=bulletin, user=user, defaults={"partner": membership.partner if membership else None}
    )
    return acknowledgement


def download_record(*, asset: Asset, user) -> Download:
    """Record that a partner user downloaded the asset's current version."""
    from partners.audience import viewer_for

    viewer = viewer_for(user)  # already loaded by the request's authentication: no query
    version_id = getattr(asset, "latest_version_id", None)
    if version_id is None:
        version_id = asset.versions.order_by("-number").values_list("pk", flat=True).first()
    download = Download(
        asset_id=asset.pk,
        version_id=version_id,
        user=user,
        partner_id=viewer.partner_id if viewer else None,
    )
    # The foreign keys come from rows just read; re-checking each would cost four queries per download.
    download.full_clean(exclude=["asset", "version", "user", "partner"])
    download.save()
    return download


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
                if revision_pk in bulk_pks:
                    continue
                revision = Revision.objects.get(pk=revision_pk)
                if model.objects.filter(pk=int(revision.object_id), archived_at__isnull=False).exists():
                    revision.approved_go_live_at = None
                    revision.save(update_fields=["approved_go_live_at"])
                    continue
                revision.publish(log_action=SCHEDULED_PUBLISH_ACTION, skip_permission_checks=True)
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
