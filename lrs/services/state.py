"""The state resource's writes (Communication §2.2-2.3, §3.1): put, merge (post) and delete, with ETags.

``if_match`` (an ETag list or ``*``) and ``if_none_match`` (``*``) are HTTP's preconditions: when one
fails, ``PreconditionFailed`` (412) and nothing changes. The state resource allows writes without them.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..conf import max_body_bytes
from ..errors import BadRequest, PreconditionFailed, TooLarge
from ..models import StateDocument
from ..selectors.state import state_address, state_documents
from ..validation import agent_ifi, validate_agent
from ..validation.values import check_iri, parse_uuid

JSON = "application/json"


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()}


def check_preconditions(document: StateDocument | None, *, if_match=None, if_none_match=None) -> None:
    """Raise ``PreconditionFailed`` unless ``If-Match`` / ``If-None-Match`` hold for ``document``."""
    if if_match is not None:
        tags = _etags(if_match)
        if document is None or ("*" not in tags and document.etag not in tags):
            raise PreconditionFailed("The document changed since you read it (If-Match failed).")
    if if_none_match is not None:
        tags = _etags(if_none_match)
        if document is not None and ("*" in tags or document.etag in tags):
            raise PreconditionFailed("The document already exists (If-None-Match failed).")


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == JSON


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object, so the two cannot be merged.")
    return value


def _address(activity_id, agent, registration, state_id):
    check_iri(activity_id, "activityId")
    validate_agent(agent, "agent")
    if registration is not None:
        registration = parse_uuid(str(registration), "registration")
    if not isinstance(state_id, str) or not state_id:
        raise BadRequest("stateId: give the id of the state document.")
    ifi = agent_ifi(agent)
    return (
        ifi,
        registration,
        state_address(activity_id=activity_id, agent_ifi=ifi, registration=registration, state_id=state_id),
    )


def _write(*, activity_id, agent, registration, state_id, content, content_type, if_match, if_none_match, merge):
    if len(content) > max_body_bytes():
        raise TooLarge(f"A state document is at most {max_body_bytes()} bytes.")
    ifi, registration, address = _address(activity_id, agent, registration, state_id)
    content_type = content_type or "application/octet-stream"
    with transaction.atomic():
        document = StateDocument.objects.select_for_update().filter(address=address).first()
        check_preconditions(document, if_match=if_match, if_none_match=if_none_match)
        if merge and document is not None:
            if not (_is_json(content_type) and _is_json(document.content_type)):
                raise BadRequest("Only JSON documents (application/json) are merged by POST.")
            merged = _json_object(bytes(document.content), "The stored document")
            merged.update(_json_object(content, "The posted document"))
            content = json.dumps(merged, separators=(",", ":")).encode()
        elif merge and _is_json(content_type):
            _json_object(content, "The posted document")
        if document is None:
            document = StateDocument(
                address=address, activity_id=activity_id, agent=agent, agent_ifi=ifi, registration=registration,
                state_id=state_id,
            )  # fmt: skip
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


def state_put(
    *,
    activity_id,
    agent,
    state_id,
    content: bytes,
    content_type: str,
    registration=None,
    if_match=None,
    if_none_match=None,
) -> StateDocument:
    """Store ``content`` as the state document (replacing any); ``PreconditionFailed`` when a precondition fails."""
    return _write(
        activity_id=activity_id, agent=agent, registration=registration, state_id=state_id, content=content,
        content_type=content_type, if_match=if_match, if_none_match=if_none_match, merge=False,
    )  # fmt: skip


def state_post(
    *,
    activity_id,
    agent,
    state_id,
    content: bytes,
    content_type: str,
    registration=None,
    if_match=None,
    if_none_match=None,
) -> StateDocument:
    """Merge a JSON object into the stored JSON document (top-level properties), or store it when there is none."""
    return _write(
        activity_id=activity_id, agent=agent, registration=registration, state_id=state_id, content=content,
        content_type=content_type, if_match=if_match, if_none_match=if_none_match, merge=True,
    )  # fmt: skip


def state_delete(*, activity_id, agent, registration=None, state_id=None, if_match=None, keep=()) -> int:
    """Delete one state document (``state_id``), or every one of the context but those named in ``keep``;
    return how many went."""
    if state_id is not None:
        _ifi, _registration, address = _address(activity_id, agent, registration, state_id)
        with transaction.atomic():
            document = StateDocument.objects.select_for_update().filter(address=address).first()
            if if_match is not None:
                check_preconditions(document, if_match=if_match)
            return document.delete()[0] if document is not None else 0
    check_iri(activity_id, "activityId")
    validate_agent(agent, "agent")
    if registration is not None:
        registration = parse_uuid(str(registration), "registration")
    documents = state_documents(activity_id=activity_id, agent_ifi=agent_ifi(agent), registration=registration)
    return documents.exclude(state_id__in=list(keep)).delete()[0]
