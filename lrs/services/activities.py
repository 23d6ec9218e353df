"""The canonical activity definitions (Communication §2.5): merged from the definitions statements carry, when
they are stored (``statements_store`` calls ``activities_define`` inside its transaction).

A later definition wins property by property; language maps (``name``, ``description``) and ``extensions`` are
merged key by key, so a statement naming an activity in one language does not erase its other languages. A
learner's credential defines only the activities within its own activity (``Credential.covers_activity``): one
learner cannot rename what every other learner's records show (one without an activity defines none).
"""

from django.utils import timezone

from ..indexing import CONTEXT_ACTIVITY_KINDS, object_type
from ..models import ActivityDefinition, Credential
from ..selectors.profiles import activity_hash

MERGED_BY_KEY = ("name", "description", "extensions")


def merge_definition(stored: dict, sent: dict) -> dict:
    merged = dict(stored)
    for key, value in sent.items():
        if key in MERGED_BY_KEY and isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _context_activities(context: dict | None) -> list[dict]:
    found = []
    for kind in CONTEXT_ACTIVITY_KINDS:
        value = ((context or {}).get("contextActivities") or {}).get(kind)
        if value is not None:
            found += value if isinstance(value, list) else [value]
    return found


def defined_activities(statement: dict) -> list[dict]:
    """The activities of a statement that carry a definition: object, context activities, a substatement's."""
    activities = []
    obj = statement["object"]
    if object_type(obj) == "Activity":
        activities.append(obj)
    activities += _context_activities(statement.get("context"))
    if object_type(obj) == "SubStatement":
        if object_type(obj["object"]) == "Activity":
            activities.append(obj["object"])
        activities += _context_activities(obj.get("context"))
    return [activity for activity in activities if activity.get("definition")]


def activities_define(*, credential: Credential, statements: list[dict], now=None) -> None:
    """Merge the definitions ``statements`` (newly stored, in order) carry into the canonical ones."""
    now = now or timezone.now()
    sent: dict[str, dict] = {}
    for statement in statements:
        for activity in defined_activities(statement):
            if credential.agent_ifi:
                # A learner's credential defines none: its AU's activity id is the same in every registration, so
                # what one learner sent would be what every other learner's records and reports show.
                continue
            sent[activity["id"]] = merge_definition(sent.get(activity["id"], {}), activity["definition"])
    if not sent:
        return
    hashes = {activity_hash(activity_id): activity_id for activity_id in sent}
    stored = {
        row.activity_id: row
        for row in ActivityDefinition.objects.select_for_update().filter(activity_hash__in=list(hashes))
        if row.activity_id in sent
    }
    changed = []
    for activity_id, row in stored.items():
        merged = merge_definition(row.definition, sent[activity_id])
        if merged != row.definition:
            row.definition, row.updated = merged, now
            changed.append(row)
    if changed:
        ActivityDefinition.objects.bulk_update(changed, ["definition", "updated"])
    new = [
        ActivityDefinition(activity_id=activity_id, activity_hash=key, definition=sent[activity_id], updated=now)
        for key, activity_id in hashes.items()
        if activity_id not in stored
    ]
    # Two batches defining a new activity at once: the first row stays, the second batch's definition is merged
    # by the next statement that carries one (a definition is a description, not a record).
    ActivityDefinition.objects.bulk_create(new, ignore_conflicts=True)
