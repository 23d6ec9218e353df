"""What the three document resources share (Communication §2.2, §3.1): storing bytes at an address, merging JSON
objects on POST, ETags and the HTTP preconditions, deleting.

``if_match`` (an ETag list or ``*``) and ``if_none_match`` (``*`` or ETags) are HTTP's preconditions: when one
fails, ``PreconditionFailed`` (412) and nothing changes. ``require_precondition`` is the profile resources' rule:
a PUT over an existing document without either header is a ``Conflict`` (409), nothing changes.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..conf import max_body_bytes
from ..errors import BadRequest, Conflict, PreconditionFailed, TooLarge

JSON = "application/json"


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()}


def check_preconditions(document, *, if_match=None, if_none_match=None) -> None:
    """Raise ``PreconditionFailed`` unless ``If-Match`` / ``If-None-Match`` hold for ``document`` (or ``None``)."""
    if if_match is not None:
        tags = _etags(if_match)
        if document is None or ("*" not in tags and document.etag not in tags):
            raise PreconditionFailed("The document changed since you read it (If-Match failed).")
    if if_none_match is not None:
        tags = _etags(if_none_match)
        if document is not None and ("*" in tags or document.etag in tags):
            raise PreconditionFailed("The document already exists (If-None-Match failed).")


def is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == JSON


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object, so the two cannot be merged.")
    return value


def document_write(
    *,
    model,
    address: str,
    fields: dict,
    content: bytes,
    content_type: str,
    if_match=None,
    if_none_match=None,
    merge: bool = False,
    require_precondition: bool = False,
):
    """Store ``content`` at ``address`` (a new ``model`` row gets ``fields``), or with ``merge`` merge a JSON object
    into the stored one (top-level properties); return the document. One transaction, the row locked."""
    if len(content) > max_body_bytes():
        raise TooLarge(f"A document is at most {max_body_bytes()} bytes.")
    content_type = content_type or "application/octet-stream"
    with transaction.atomic():
        document = model.objects.select_for_update().filter(address=address).first()
        check_preconditions(document, if_match=if_match, if_none_match=if_none_match)
        if require_precondition and document is not None and if_match is None and if_none_match is None:
            raise Conflict(
                "This document exists already: read it, then send its ETag in If-Match to replace it "
                "(or If-None-Match: * to create a new one only)."
            )
        if merge and document is not None:
            if not (is_json(content_type) and is_json(document.content_type)):
                raise BadRequest("Only JSON documents (application/json) are merged by POST.")
            merged = _json_object(bytes(document.content), "The stored document")
            merged.update(_json_object(content, "The posted document"))
            content = json.dumps(merged, separators=(",", ":")).encode()
        elif merge and is_json(content_type):
            _json_object(content, "The posted document")
        if document is None:
            document = model(address=address, **fields)
        document.content = content
        document.content_type = content_type
        document.etag = hashlib.sha1(content, usedforsecurity=False).hexdigest()
        document.updated = timezone.now()
        document.full_clean(exclude=["content"])
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            raise PreconditionFailed("The document was created at the same moment; read it and try again.") from None
    return document


def document_delete(*, model, address: str, if_match=None) -> int:
    """Delete the document at ``address`` (``If-Match`` checked when given); return how many went (0 or 1)."""
    with transaction.atomic():
        document = model.objects.select_for_update().filter(address=address).first()
        if if_match is not None:
            check_preconditions(document, if_match=if_match)
        return document.delete()[0] if document is not None else 0
