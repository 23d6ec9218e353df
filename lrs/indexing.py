"""Pure functions over a validated statement: what the LRS indexes, and the form in which two statements compare.

Statement comparison (Data §2.3.1) ignores what immutability allows to differ: ``id``, ``stored``,
``authority``, ``version``, attachments, a verb's ``display``, activity definitions, the order of group
members, the case of an e-mail domain, and a single context activity sent without its list.
"""

import copy
import json

from .conf import authority_home_page
from .validation.agents import canonical_ifi, member_ifis

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")


def object_type(obj: dict) -> str:
    return obj.get("objectType", "Activity")


def is_voiding(statement: dict) -> bool:
    return statement["verb"]["id"] == VOIDED_VERB and object_type(statement["object"]) == "StatementRef"


def context_activity_ids(context: dict | None) -> list[str]:
    ids = []
    for kind in CONTEXT_ACTIVITY_KINDS:
        value = (context or {}).get("contextActivities", {}).get(kind)
        if value is not None:
            ids += [item["id"] for item in (value if isinstance(value, list) else [value])]
    return ids


def authority_for(credential) -> dict:
    """The Agent a credential asserts statements as (Data §2.4.9: the authority is always the LRS's to set)."""
    return {
        "objectType": "Agent",
        "name": credential.name or "Partner Hub LRS credential",
        "account": {"homePage": authority_home_page(), "name": credential.key},
    }


def agents_of(statement: dict) -> list[tuple[str, str]]:
    """``(ifi, relation)`` pairs: the actor (and its members), an agent object, and the related agents."""
    pairs = [(ifi, "actor") for ifi in member_ifis(statement["actor"])]
    obj = statement["object"]
    if object_type(obj) in ("Agent", "Group"):
        pairs += [(ifi, "object") for ifi in member_ifis(obj)]
    related = [statement.get("authority")]
    context = statement.get("context", {})
    related += [context.get("instructor"), context.get("team")]
    if object_type(obj) == "SubStatement":
        sub_context = obj.get("context", {})
        related += [obj["actor"], sub_context.get("instructor"), sub_context.get("team")]
        if object_type(obj["object"]) in ("Agent", "Group"):
            related.append(obj["object"])
    for agent in related:
        if agent:
            pairs += [(ifi, "related") for ifi in member_ifis(agent)]
    return list(dict.fromkeys(pairs))


def activities_of(statement: dict) -> list[tuple[str, str]]:
    """``(activity id, relation)`` pairs: the object activity, and the related ones (context, substatement)."""
    obj = statement["object"]
    pairs = [(obj["id"], "object")] if object_type(obj) == "Activity" else []
    pairs += [(activity_id, "related") for activity_id in context_activity_ids(statement.get("context"))]
    if object_type(obj) == "SubStatement":
        if object_type(obj["object"]) == "Activity":
            pairs.append((obj["object"]["id"], "related"))
        pairs += [(activity_id, "related") for activity_id in context_activity_ids(obj.get("context"))]
    return list(dict.fromkeys(pairs))


def _comparable_agent(agent: dict) -> dict:
    agent = dict(agent)
    if "mbox" in agent:
        agent["mbox"] = canonical_ifi(agent).removeprefix("mbox:")
    if "mbox_sha1sum" in agent:
        agent["mbox_sha1sum"] = agent["mbox_sha1sum"].lower()
    if "member" in agent:
        agent["member"] = sorted((_comparable_agent(m) for m in agent["member"]), key=json.dumps)
    agent.setdefault("objectType", "Agent")
    return agent


def _comparable_activity(activity: dict) -> dict:
    return {"objectType": "Activity", "id": activity["id"]}


def _comparable_context(context: dict) -> dict:
    context = dict(context)
    for key in ("instructor", "team"):
        if key in context:
            context[key] = _comparable_agent(context[key])
    if "contextActivities" in context:
        context["contextActivities"] = {
            kind: [_comparable_activity(a) for a in (value if isinstance(value, list) else [value])]
            for kind, value in context["contextActivities"].items()
        }
    return context


def comparable(statement: dict) -> dict:
    """``statement`` without what may differ between two sendings of the same statement (timestamp apart)."""
    statement = copy.deepcopy(statement)
    for key in ("id", "stored", "authority", "version", "attachments", "timestamp"):
        statement.pop(key, None)
    statement["actor"] = _comparable_agent(statement["actor"])
    statement["verb"] = {"id": statement["verb"]["id"]}
    obj = statement["object"]
    kind = object_type(obj)
    if kind == "Activity":
        statement["object"] = _comparable_activity(obj)
    elif kind in ("Agent", "Group"):
        statement["object"] = _comparable_agent(obj)
    elif kind == "SubStatement":
        sub = comparable(obj)
        sub["objectType"] = "SubStatement"
        if "timestamp" in obj:
            sub["timestamp"] = obj["timestamp"]
        statement["object"] = sub
    if "context" in statement:
        statement["context"] = _comparable_context(statement["context"])
    return statement


def returned_form(payload: dict) -> dict:
    """A stored statement as the LRS returns it: context activities always as lists (Data §2.4.6.2)."""
    kinds = payload.get("context", {}).get("contextActivities")
    sub_kinds = (
        payload["object"].get("context", {}).get("contextActivities") if isinstance(payload["object"], dict) else None
    )
    if not any(isinstance(v, dict) for v in [*(kinds or {}).values(), *(sub_kinds or {}).values()]):
        return payload
    payload = copy.deepcopy(payload)
    for holder in (payload.get("context"), payload["object"].get("context")):
        if holder and "contextActivities" in holder:
            holder["contextActivities"] = {
                kind: value if isinstance(value, list) else [value]
                for kind, value in holder["contextActivities"].items()
            }
    return payload
