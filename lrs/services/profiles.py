"""The profile resources' writes (Communication §2.6-2.7, §3.1): put, merge (post) and delete of agent and activity
profile documents, with ETags. A PUT over an existing profile document needs ``If-Match`` or ``If-None-Match``
(409 otherwise); POST and DELETE honour them when sent (``lrs.services.documents``)."""

from ..errors import BadRequest
from ..models import ActivityProfileDocument, AgentProfileDocument
from ..selectors.profiles import activity_hash, activity_profile_address, agent_profile_address
from ..validation import agent_ifi, validate_agent
from ..validation.values import check_iri
from .documents import document_delete, document_write


def _profile_id(profile_id) -> str:
    if not isinstance(profile_id, str) or not profile_id:
        raise BadRequest("profileId: give the id of the profile document.")
    return profile_id


def _agent_address(agent, profile_id) -> tuple[str, dict]:
    validate_agent(agent, "agent")
    ifi = agent_ifi(agent)
    profile_id = _profile_id(profile_id)
    fields = {"agent": agent, "agent_ifi": ifi, "profile_id": profile_id}
    return agent_profile_address(agent_ifi=ifi, profile_id=profile_id), fields


def _activity_address(activity_id, profile_id) -> tuple[str, dict]:
    check_iri(activity_id, "activityId")
    profile_id = _profile_id(profile_id)
    fields = {"activity_id": activity_id, "activity_hash": activity_hash(activity_id), "profile_id": profile_id}
    return activity_profile_address(activity_id=activity_id, profile_id=profile_id), fields


def agent_profile_put(
    *, agent, profile_id, content: bytes, content_type: str, if_match=None, if_none_match=None
) -> AgentProfileDocument:
    """Store ``content`` as ``agent``'s profile document ``profile_id`` (replacing one only with a precondition)."""
    address, fields = _agent_address(agent, profile_id)
    return document_write(
        model=AgentProfileDocument, address=address, fields=fields, content=content, content_type=content_type,
        if_match=if_match, if_none_match=if_none_match, require_precondition=True,
    )  # fmt: skip


def agent_profile_post(
    *, agent, profile_id, content: bytes, content_type: str, if_match=None, if_none_match=None
) -> AgentProfileDocument:
    """Merge a JSON object into ``agent``'s JSON profile document ``profile_id``, or store it when there is none."""
    address, fields = _agent_address(agent, profile_id)
    return document_write(
        model=AgentProfileDocument, address=address, fields=fields, content=content, content_type=content_type,
        if_match=if_match, if_none_match=if_none_match, merge=True,
    )  # fmt: skip


def agent_profile_delete(*, agent, profile_id, if_match=None) -> int:
    address, _fields = _agent_address(agent, profile_id)
    return document_delete(model=AgentProfileDocument, address=address, if_match=if_match)


def activity_profile_put(
    *, activity_id, profile_id, content: bytes, content_type: str, if_match=None, if_none_match=None
) -> ActivityProfileDocument:
    """Store ``content`` as the activity's profile document ``profile_id`` (replacing one only with a precondition)."""
    address, fields = _activity_address(activity_id, profile_id)
    return document_write(
        model=ActivityProfileDocument, address=address, fields=fields, content=content, content_type=content_type,
        if_match=if_match, if_none_match=if_none_match, require_precondition=True,
    )  # fmt: skip


def activity_profile_post(
    *, activity_id, profile_id, content: bytes, content_type: str, if_match=None, if_none_match=None
) -> ActivityProfileDocument:
    """Merge a JSON object into the activity's JSON profile document ``profile_id``, or store it when there is none."""
    address, fields = _activity_address(activity_id, profile_id)
    return document_write(
        model=ActivityProfileDocument, address=address, fields=fields, content=content, content_type=content_type,
        if_match=if_match, if_none_match=if_none_match, merge=True,
    )  # fmt: skip


def activity_profile_delete(*, activity_id, profile_id, if_match=None) -> int:
    address, _fields = _activity_address(activity_id, profile_id)
    return document_delete(model=ActivityProfileDocument, address=address, if_match=if_match)
