"""Who owns a gated item: giving it a new owner, logged in its history."""

from django.db import transaction
from django.db.models import Q

from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log

CHANGE_OWNER_ACTION = "partnerhub.change_owner"


@transaction.atomic
def content_change_owner(*, item, owner, user=None) -> None:
    """Give ``item`` a new owner, also in the draft or scheduled revision that would be published next.

    The owner is validated as the field is (staff only) before anything is written.
    """
    previous = item.owner
    item.owner = owner
    item.full_clean(
        exclude=[field.name for field in item._meta.concrete_fields if field.name != "owner"],
        validate_unique=False,
        validate_constraints=False,
    )
    item.save(update_fields=["owner", "updated_at"])
    pending = Q(approved_go_live_at__isnull=False)
    if item.has_unpublished_changes and item.latest_revision_id:
        pending |= Q(pk=item.latest_revision_id)
    for revision in item.revisions.filter(pending):
        revision.content["owner"] = owner.pk
        revision.save(update_fields=["content"])
    log(
        item,
        CHANGE_OWNER_ACTION,
        user=user,
        data={
            "owner": {"id": owner.pk, "title": get_user_display_name(owner)},
            "previous_owner": {"id": previous.pk, "title": get_user_display_name(previous)} if previous else None,
        },
    )
