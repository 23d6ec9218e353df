"""The ``format`` of GET statements: ``exact`` (as stored), ``ids`` (identifiers only) and ``canonical``
(activities with the LRS's canonical definition when it has one, ``lrs.services.activities``, else the
statement's; language maps cut to the one language the client prefers, by ``Accept-Language``)."""

import copy

from .indexing import returned_form
from .validation.agents import IFIS

FORMATS = ("exact", "ids", "canonical")
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def _ids_agent(agent: dict) -> dict:
    minimal = {"objectType": agent.get("objectType", "Agent")}
    ifi = next((key for key in IFIS if key in agent), None)
    if ifi:
        minimal[ifi] = agent[ifi]
    elif "member" in agent:
        minimal["member"] = [_ids_agent(member) for member in agent["member"]]
    return minimal


def _ids_object(obj: dict) -> dict:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": obj["id"]}
    if kind in ("Agent", "Group"):
        return _ids_agent(obj)
    if kind == "SubStatement":
        return _ids_statement(obj)
    return obj


def _ids_statement(statement: dict) -> dict:
    statement = dict(statement)
    statement["actor"] = _ids_agent(statement["actor"])
    statement["verb"] = {"id": statement["verb"]["id"]}
    statement["object"] = _ids_object(statement["object"])
    if "authority" in statement:
        statement["authority"] = _ids_agent(statement["authority"])
    if "context" in statement:
        context = dict(statement["context"])
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_agent(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                kind: [{"objectType": "Activity", "id": a["id"]} for a in activities]
                for kind, activities in context["contextActivities"].items()
            }
        statement["context"] = context
    return statement


def accepted_languages(header: str) -> list[str]:
    """Languages of an ``Accept-Language`` header, most wanted first (``*`` and q=0 left out)."""
    ranked = []
    for n, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, n, tag.lower()))
    return [tag for _, _, tag in sorted(ranked)]


def _one_language(language_map: dict, languages: list[str]) -> dict:
    if len(language_map) <= 1:
        return language_map
    lowered = {tag.lower(): tag for tag in language_map}
    for wanted in languages:
        for tag_lower, tag in lowered.items():
            if tag_lower == wanted or tag_lower.split("-")[0] == wanted.split("-")[0]:
                return {tag: language_map[tag]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def _canonical_activity(activity: dict, languages: list[str], definitions: dict) -> None:
    if activity.get("id") in definitions:
        activity["definition"] = copy.deepcopy(definitions[activity["id"]])
    definition = activity.get("definition")
    if not definition:
        return
    for key in ("name", "description"):
        if key in definition:
            definition[key] = _one_language(definition[key], languages)
    for key in COMPONENT_LISTS:
        for component in definition.get(key, []):
            if "description" in component:
                component["description"] = _one_language(component["description"], languages)


def _canonical_statement(statement: dict, languages: list[str], definitions: dict) -> None:
    if "display" in statement["verb"]:
        statement["verb"]["display"] = _one_language(statement["verb"]["display"], languages)
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        _canonical_activity(obj, languages, definitions)
    elif kind == "SubStatement":
        _canonical_statement(obj, languages, definitions)
    for activities in statement.get("context", {}).get("contextActivities", {}).values():
        for activity in activities:
            _canonical_activity(activity, languages, definitions)


def formatted(payload: dict, *, format: str = "exact", languages: list[str] = (), definitions=None) -> dict:
    """A stored statement as returned in ``format``; ``definitions`` (activity id: canonical definition) for
    ``canonical``."""
    statement = returned_form(payload)
    if format == "ids":
        return _ids_statement(statement)
    if format == "canonical":
        statement = copy.deepcopy(statement)
        _canonical_statement(statement, list(languages), definitions or {})
    return statement
