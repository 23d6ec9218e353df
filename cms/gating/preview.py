"""Headless preview: editors preview drafts in the partner front end through a signed, short-lived token.

The admin's "In the partner portal" preview mode stores what the editor is looking
at (a ``PreviewSnapshot``) and opens ``PARTNERHUB_PREVIEW_URL`` with a token signed
by Django's signing framework. The front end calls ``GET /api/v1/preview?token=…``
and gets that item, as previewed, and nothing else; the token expires after
``PARTNERHUB_PREVIEW_TOKEN_SECONDS`` and cannot be altered to name another item.

What the front end gets for an item is ``item.preview_payload(request)``: a method of
``GatedContent`` with a default every kind previews with, overridden by kinds whose
partner API answers more (assets, programs, bulletins, courses, certifications).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing

from cms.models import PreviewSnapshot

from .models import GatedContent

SALT = "partnerhub.preview"


class InvalidPreviewToken(Exception):
    pass


def preview_snapshot_create(*, item, user=None) -> PreviewSnapshot:
    """Keep what is being previewed (saved or not) and return its snapshot."""
    snapshot = PreviewSnapshot(
        content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        object_id=item.pk,
        revision_id=getattr(item, "latest_revision_id", None),
        content=item.serializable_data(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot


def preview_token_for(*, snapshot: PreviewSnapshot) -> str:
    return signing.dumps({"snapshot": snapshot.pk, "object": snapshot.object_id}, salt=SALT, compress=True)


def preview_url_for(*, item, user=None) -> str:
    token = preview_token_for(snapshot=preview_snapshot_create(item=item, user=user))
    return settings.PARTNERHUB_PREVIEW_URL.format(kind=item._meta.model_name, id=item.pk or "", token=token)


def preview_item_from_token(token: str):
    """The previewed item (an unsaved model instance built from the snapshot); raise ``InvalidPreviewToken``."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PARTNERHUB_PREVIEW_TOKEN_SECONDS)
    except signing.SignatureExpired:
        raise InvalidPreviewToken("This preview link has expired.") from None
    except signing.BadSignature:
        raise InvalidPreviewToken("This preview link is not valid.") from None
    snapshot = PreviewSnapshot.objects.select_related("content_type").filter(pk=data.get("snapshot")).first()
    if snapshot is None or snapshot.object_id != data.get("object"):
        raise InvalidPreviewToken("This preview link is not valid.")
    model = snapshot.content_type.model_class()
    if model is None or not issubclass(model, GatedContent):
        raise InvalidPreviewToken("This kind of content has no preview.")
    item = model.from_serializable_data(snapshot.content, check_fks=False, strict_fks=False)
    item.pk = snapshot.object_id
    return item
