"""Profile documents (Communication §2.6-2.7): one by its address, or the ids of an agent's or an activity's."""

import hashlib
import json

from ..models import ActivityProfileDocument, AgentProfileDocument
from ..validation import agent_ifi


def _sha256(parts: list[str]) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def activity_hash(activity_id: str) -> str:
    return _sha256(["activity", activity_id])


def agent_profile_address(*, agent_ifi: str, profile_id: str) -> str:
    return _sha256(["agent", agent_ifi, profile_id])


def activity_profile_address(*, activity_id: str, profile_id: str) -> str:
    return _sha256(["activity", activity_id, profile_id])


def _ids(documents, since) -> tuple[list[str], object]:
    if since is not None:
        documents = documents.filter(updated__gt=since)
    rows = list(documents.order_by("profile_id").values_list("profile_id", "updated"))
    return [profile_id for profile_id, _ in rows], max((updated for _, updated in rows), default=None)


def agent_profile_get(*, agent: dict, profile_id: str) -> AgentProfileDocument | None:
    """The profile document ``profile_id`` of ``agent`` (a validated Agent), or ``None``."""
    address = agent_profile_address(agent_ifi=agent_ifi(agent), profile_id=profile_id)
    return AgentProfileDocument.objects.filter(address=address).first()


def agent_profile_ids(*, agent: dict, since=None) -> tuple[list[str], object]:
    """The profile ids of ``agent`` (changed after ``since`` when given), and when the newest changed (or ``None``)."""
    return _ids(AgentProfileDocument.objects.filter(agent_ifi=agent_ifi(agent)), since)


def activity_profile_get(*, activity_id: str, profile_id: str) -> ActivityProfileDocument | None:
    address = activity_profile_address(activity_id=activity_id, profile_id=profile_id)
    return ActivityProfileDocument.objects.filter(address=address).first()


def activity_profile_ids(*, activity_id: str, since=None) -> tuple[list[str], object]:
    """The profile ids of an activity (changed after ``since`` when given), and when the newest changed."""
    documents = ActivityProfileDocument.objects.filter(activity_hash=activity_hash(activity_id))
    return _ids(documents.filter(activity_id=activity_id), since)
