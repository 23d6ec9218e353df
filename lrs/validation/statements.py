"""Statements (Data §2.4): every property, its type and the rules between them; SubStatements likewise."""

from .agents import validate_actor, validate_group
from .values import (
    check_bool,
    check_duration,
    check_extensions,
    check_iri,
    check_language_map,
    check_language_tag,
    check_number,
    check_object,
    check_string,
    fail,
    parse_timestamp,
    parse_uuid,
)

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version"}
STATEMENT_KEYS |= {"attachments"}
SUBSTATEMENT_KEYS = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
INTERACTION_TYPES = {
    "true-false": set(),
    "choice": {"choices"},
    "fill-in": set(),
    "long-fill-in": set(),
    "matching": {"source", "target"},
    "performance": {"steps"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "numeric": set(),
    "other": set(),
}
COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "extensions", "interactionType"}
DEFINITION_KEYS |= {"correctResponsesPattern"} | COMPONENT_LISTS
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language"}
CONTEXT_KEYS |= {"statement", "extensions"}
CONTEXT_ACTIVITY_KINDS = {"parent", "grouping", "category", "other"}


def validate_statement(value, path: str = "statement", *, sub: bool = False) -> dict:
    """Raise ``BadRequest`` unless ``value`` is a valid xAPI 1.0.x statement (or, with ``sub``, a SubStatement)."""
    allowed = SUBSTATEMENT_KEYS if sub else STATEMENT_KEYS
    check_object(value, path, allowed=allowed, required={"actor", "verb", "object"})
    if "id" in value:
        parse_uuid(value["id"], f"{path}.id")
    validate_actor(value["actor"], f"{path}.actor")
    _verb(value["verb"], f"{path}.verb")
    object_type = _object(value["object"], f"{path}.object", sub=sub)
    if value["verb"]["id"] == VOIDED_VERB and object_type != "StatementRef":
        fail(f"{path}.object", "a voiding statement's object must be a StatementRef.")
    if "result" in value:
        _result(value["result"], f"{path}.result")
    if "context" in value:
        _context(value["context"], f"{path}.context", object_type=object_type)
    if "timestamp" in value:
        parse_timestamp(value["timestamp"], f"{path}.timestamp")
    if "stored" in value:
        parse_timestamp(value["stored"], f"{path}.stored")
    if "authority" in value:
        validate_actor(value["authority"], f"{path}.authority")
    if "version" in value:
        version = value["version"]
        if not isinstance(version, str) or not version.startswith("1.0.") or not version[4:].isdigit():
            fail(f"{path}.version", "must be a 1.0.x version, e.g. 1.0.0.")
    if "attachments" in value:
        _attachments(value["attachments"], f"{path}.attachments")
    return value


def _verb(value, path: str) -> None:
    check_object(value, path, allowed={"id", "display"}, required={"id"})
    check_iri(value["id"], f"{path}.id")
    if "display" in value:
        check_language_map(value["display"], f"{path}.display")


def _object(value, path: str, *, sub: bool) -> str:
    if not isinstance(value, dict):
        fail(path, "must be a JSON object.")
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        activity(value, path)
    elif object_type in ("Agent", "Group"):
        validate_actor(value, path, object_type_required=True)
    elif object_type == "StatementRef":
        statement_ref(value, path)
    elif object_type == "SubStatement":
        if sub:
            fail(path, "a SubStatement cannot contain another SubStatement.")
        validate_statement(value, path, sub=True)
    else:
        fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement.")
    return object_type


def statement_ref(value, path: str) -> None:
    check_object(value, path, allowed={"objectType", "id"}, required={"objectType", "id"})
    if value["objectType"] != "StatementRef":
        fail(f"{path}.objectType", "must be 'StatementRef'.")
    parse_uuid(value["id"], f"{path}.id")


def activity(value, path: str) -> None:
    check_object(value, path, allowed={"objectType", "id", "definition"}, required={"id"})
    if value.get("objectType", "Activity") != "Activity":
        fail(f"{path}.objectType", "must be 'Activity'.")
    check_iri(value["id"], f"{path}.id")
    if "definition" in value:
        _definition(value["definition"], f"{path}.definition")


def _definition(value, path: str) -> None:
    check_object(value, path, allowed=DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in value:
            check_language_map(value[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in value:
            check_iri(value[key], f"{path}.{key}")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    interaction = value.get("interactionType")
    lists = COMPONENT_LISTS & set(value)
    if interaction is None:
        if lists or "correctResponsesPattern" in value:
            fail(path, "interaction properties need an interactionType.")
        return
    if interaction not in INTERACTION_TYPES:
        fail(f"{path}.interactionType", f"must be one of {', '.join(sorted(INTERACTION_TYPES))}.")
    if lists - INTERACTION_TYPES[interaction]:
        fail(path, f"{sorted(lists - INTERACTION_TYPES[interaction])[0]!r} is not used by {interaction!r}.")
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list):
            fail(f"{path}.correctResponsesPattern", "must be a list of strings.")
        for n, item in enumerate(pattern):
            check_string(item, f"{path}.correctResponsesPattern[{n}]")
    for key in lists:
        _components(value[key], f"{path}.{key}")


def _components(value, path: str) -> None:
    if not isinstance(value, list):
        fail(path, "must be a list of interaction components.")
    seen = set()
    for n, component in enumerate(value):
        check_object(component, f"{path}[{n}]", allowed={"id", "description"}, required={"id"})
        check_string(component["id"], f"{path}[{n}].id")
        if component["id"] in seen:
            fail(f"{path}[{n}].id", "ids within a list must be distinct.")
        seen.add(component["id"])
        if "description" in component:
            check_language_map(component["description"], f"{path}[{n}].description")


def _result(value, path: str) -> None:
    check_object(value, path, allowed={"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in value:
        score = check_object(value["score"], f"{path}.score", allowed={"scaled", "raw", "min", "max"})
        for key in score:
            check_number(score[key], f"{path}.score.{key}")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            fail(f"{path}.score.scaled", "must be between -1 and 1.")
        low, high, raw = score.get("min"), score.get("max"), score.get("raw")
        if low is not None and high is not None and not low < high:
            fail(f"{path}.score", "min must be less than max.")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            fail(f"{path}.score.raw", "must be between min and max.")
    for key in ("success", "completion"):
        if key in value:
            check_bool(value[key], f"{path}.{key}")
    if "response" in value:
        check_string(value["response"], f"{path}.response")
    if "duration" in value:
        check_duration(value["duration"], f"{path}.duration")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")


def _context(value, path: str, *, object_type: str) -> None:
    check_object(value, path, allowed=CONTEXT_KEYS)
    if "registration" in value:
        parse_uuid(value["registration"], f"{path}.registration")
    if "instructor" in value:
        validate_actor(value["instructor"], f"{path}.instructor")
    if "team" in value:
        if not isinstance(value["team"], dict) or value["team"].get("objectType") != "Group":
            fail(f"{path}.team", "must be a Group.")
        validate_group(value["team"], f"{path}.team")
    if "contextActivities" in value:
        kinds = check_object(value["contextActivities"], f"{path}.contextActivities", allowed=CONTEXT_ACTIVITY_KINDS)
        for kind, activities in kinds.items():
            items = activities if isinstance(activities, list) else [activities]
            for n, item in enumerate(items):
                activity(item, f"{path}.contextActivities.{kind}[{n}]")
    for key in ("revision", "platform"):
        if key in value:
            check_string(value[key], f"{path}.{key}")
            if object_type != "Activity":
                fail(f"{path}.{key}", "is only allowed when the statement's object is an Activity.")
    if "language" in value:
        check_language_tag(value["language"], f"{path}.language")
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")


def _attachments(value, path: str) -> None:
    if not isinstance(value, list):
        fail(path, "must be a list of attachments.")
    for n, item in enumerate(value):
        here = f"{path}[{n}]"
        check_object(
            item,
            here,
            allowed={"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
            required={"usageType", "display", "contentType", "length", "sha2"},
        )
        check_iri(item["usageType"], f"{here}.usageType")
        check_language_map(item["display"], f"{here}.display")
        if "description" in item:
            check_language_map(item["description"], f"{here}.description")
        check_string(item["contentType"], f"{here}.contentType")
        if isinstance(item["length"], bool) or not isinstance(item["length"], int) or item["length"] < 0:
            fail(f"{here}.length", "must be a non-negative integer.")
        check_string(item["sha2"], f"{here}.sha2")
        if "fileUrl" not in item:
            fail(here, "needs a fileUrl: this LRS takes attachments by reference only (no multipart/mixed).")
        check_iri(item["fileUrl"], f"{here}.fileUrl")
