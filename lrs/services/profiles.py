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


def _write(model, addressed: tuple[str, dict], *, merge: bool, **document):
    """``document_write`` at the profile's address: a PUT replaces (with a precondition), a POST merges."""
    address, fields = addressed
    return document_write(
        model=model, address=address, fields=fields, merge=merge, require_precondition=not merge, **document
    )


# Each write below takes the document as keywords: ``content`` (bytes), ``content_type``, and the optional
# ``if_match`` / ``if_none_match`` preconditions (``lrs.services.documents.document_write``).


def agent_profile_put(*, agent, profile_id, **document) -> AgentProfileDocument:
    """Store ``content`` as ``agent``'s profile document ``profile_id`` (replacing one only with a precondition)."""
    return _write(AgentProfileDocument, _agent_address(agent, profile_id), merge=False, **document)


def agent_profile_post(*, agent, profile_id, **document) -> AgentProfileDocument:
    """Merge a JSON object into ``agent``'s JSON profile document ``profile_id``, or store it when there is none."""
    return _write(AgentProfileDocument, _agent_address(agent, profile_id), merge=True, **document)


def agent_profile_delete(*, agent, profile_id, if_match=None) -> int:
    address, _fields = _agent_address(agent, profile_id)
    return document_delete(model=AgentProfileDocument, address=address, if_match=if_match)


def activity_profile_put(*, activity_id, profile_id, **document) -> ActivityProfileDocument:
    """Store ``content`` as the activity's profile document ``profile_id`` (replacing one only with a precondition)."""
    return _write(ActivityProfileDocument, _activity_address(activity_id, profile_id), merge=False, **document)


def activity_profile_post(*, activity_id, profile_id, **document) -> ActivityProfileDocument:
    """Merge a JSON object into the activity's JSON profile document ``profile_id``, or store it when there is none."""
    return _write(ActivityProfileDocument, _activity_address(activity_id, profile_id), merge=True, **document)


def activity_profile_delete(*, activity_id, profile_id, if_match=None) -> int:
    address, _fields = _activity_address(activity_id, profile_id)
    return document_delete(model=ActivityProfileDocument, address=address, if_match=if_match)
