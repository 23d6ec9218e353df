"""State documents: one by its address, or the ids of a context (activity, agent, registration when given)."""

import hashlib
import json

from ..models import StateDocument
from ..validation import agent_ifi


def state_address(*, activity_id: str, agent_ifi: str, registration, state_id: str) -> str:
    parts = [activity_id, agent_ifi, str(registration) if registration else "", state_id]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def state_get(*, activity_id: str, agent: dict, registration=None, state_id: str) -> StateDocument | None:
    """The state document at this address, or ``None`` (``agent`` is a validated xAPI Agent)."""
    ifi = agent_ifi(agent)
    address = state_address(activity_id=activity_id, agent_ifi=ifi, registration=registration, state_id=state_id)
    return StateDocument.objects.filter(address=address).first()


def state_documents(*, activity_id: str, agent_ifi: str, registration=None, since=None):
    documents = StateDocument.objects.filter(activity_id=activity_id, agent_ifi=agent_ifi)
    if registration is not None:
        documents = documents.filter(registration=registration)
    if since is not None:
        documents = documents.filter(updated__gt=since)
    return documents


def state_ids(*, activity_id: str, agent: dict, registration=None, since=None) -> tuple[list[str], object]:
    """The state ids of a context, and when the newest of them changed (or ``None``)."""
    rows = list(
        state_documents(activity_id=activity_id, agent_ifi=agent_ifi(agent), registration=registration, since=since)
        .order_by("state_id")
        .values_list("state_id", "updated")
    )
    return sorted({state_id for state_id, _ in rows}), max((updated for _, updated in rows), default=None)
