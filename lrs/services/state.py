"""The state resource's writes (Communication §2.2-2.3, §3.1): put, merge (post) and delete, with ETags
(``lrs.services.documents``). The state resource allows writes without preconditions."""

from ..errors import BadRequest
from ..models import StateDocument
from ..selectors.state import state_address, state_documents
from ..validation import agent_ifi, validate_agent
from ..validation.values import check_iri, parse_uuid
from .documents import check_preconditions, document_delete, document_write

__all__ = ["check_preconditions", "state_delete", "state_post", "state_put"]


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
    ifi, registration, address = _address(activity_id, agent, registration, state_id)
    fields = {"activity_id": activity_id, "agent": agent, "agent_ifi": ifi, "registration": registration}
    fields["state_id"] = state_id
    return document_write(
        model=StateDocument, address=address, fields=fields, content=content, content_type=content_type,
        if_match=if_match, if_none_match=if_none_match, merge=merge,
    )  # fmt: skip


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
        return document_delete(model=StateDocument, address=address, if_match=if_match)
    check_iri(activity_id, "activityId")
    validate_agent(agent, "agent")
    if registration is not None:
        registration = parse_uuid(str(registration), "registration")
    documents = state_documents(activity_id=activity_id, agent_ifi=agent_ifi(agent), registration=registration)
    return documents.exclude(state_id__in=list(keep)).delete()[0]
