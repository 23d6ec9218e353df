"""Writes of language variants: a copy made by Wagtail's "Translate" becomes a draft of its own, in review.

``content_translation_prepare`` runs on the unsaved copy, ``content_translation_submit``
once it is saved (both from ``cms.signals``).
"""

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from cms.gating.models import GatedContent
from cms.selectors import variant_key_for
from partners.audience import AUDIENCE_LISTS

TRANSLATE_ACTION = "wagtail.copy_for_translation"


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
