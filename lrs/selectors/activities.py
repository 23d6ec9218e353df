"""Activities and agents as the LRS knows them: the Activity object of ``/xapi/activities`` (its canonical
definition), whether a learner's credential reaches an activity, and the Person of ``/xapi/agents``."""

from django.contrib.auth import get_user_model

from ..agents import user_id_of
from ..models import ActivityDefinition, Credential, StatementActivity
from ..validation.agents import IFIS
from .profiles import activity_hash
from .statements import statements_visible_to


def activity_object(activity_id: str) -> dict | None:
    """The Activity ``activity_id`` with its definition as merged from statements, or ``None`` when no statement
    mentions it (two queries at most)."""
    row = ActivityDefinition.objects.filter(activity_hash=activity_hash(activity_id), activity_id=activity_id).first()
    if row is None and not StatementActivity.objects.filter(activity_id=activity_id).exists():
        return None
    activity = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        activity["definition"] = row.definition
    return activity


def activity_definitions(activity_ids) -> dict[str, dict]:
    """The canonical definitions of those of ``activity_ids`` that have one (one query)."""
    activity_ids = set(activity_ids)
    if not activity_ids:
        return {}
    rows = ActivityDefinition.objects.filter(activity_hash__in=[activity_hash(i) for i in activity_ids])
    return {
        activity_id: definition
        for activity_id, definition in rows.values_list("activity_id", "definition")
        if activity_id in activity_ids and definition
    }


def activity_within_reach(credential: Credential, activity_id: str) -> bool:
    """Does a learner's credential reach ``activity_id``: under its activity, or mentioned by a statement it may
    read? (Clients are judged by their scopes alone.)"""
    if credential.activity_id:
        return credential.covers_activity(activity_id)
    mentioned = StatementActivity.objects.filter(activity_id=activity_id)
    return statements_visible_to(credential).filter(id__in=mentioned.values("statement_id")).exists()


def person_for(agent: dict) -> dict:
    """The Person object (Communication §2.4) of a validated Agent: its identifier and name, and the name of the
    hub user it stands for (never their e-mail address: the hub's agents are accounts)."""
    person = {"objectType": "Person"}
    names = [agent["name"]] if agent.get("name") else []
    user_id = user_id_of(agent)
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id).only("first_name", "last_name").first()
        full_name = user.get_full_name().strip() if user is not None else ""
        if full_name and full_name not in names:
            names.append(full_name)
    if names:
        person["name"] = names
    for key in IFIS:
        if key in agent:
            person[key] = [agent[key]]
    return person
