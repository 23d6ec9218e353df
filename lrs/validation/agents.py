"""Agents and groups (Data §2.4.2): validation, and their canonical inverse functional identifier (IFI).

An IFI is compared in a canonical form (the domain of an e-mail address in lower case) and stored as the
SHA-256 of that form, so any IFI fits one indexed column.
"""

import hashlib
import json
import re

from ..errors import BadRequest
from .values import check_object, check_string, fail, is_iri

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+\.?[^@\s]*$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")


def _check_ifi(value: dict, path: str, *, required: bool) -> str | None:
    present = [key for key in IFIS if key in value]
    if len(present) > 1:
        fail(path, "must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid or account).")
    if not present:
        if required:
            fail(path, "needs an inverse functional identifier (mbox, mbox_sha1sum, openid or account).")
        return None
    key = present[0]
    item = value[key]
    if key == "mbox" and (not isinstance(item, str) or not _MAILTO.match(item)):
        fail(f"{path}.mbox", "must be a mailto IRI, e.g. mailto:ann@example.com.")
    if key == "mbox_sha1sum" and (not isinstance(item, str) or not _SHA1.match(item)):
        fail(f"{path}.mbox_sha1sum", "must be the hex SHA-1 of a mailto IRI.")
    if key == "openid" and not is_iri(item):
        fail(f"{path}.openid", "must be a URI.")
    if key == "account":
        check_object(item, f"{path}.account", allowed={"homePage", "name"}, required={"homePage", "name"})
        if not is_iri(item["homePage"]):
            fail(f"{path}.account.homePage", "must be an IRL.")
        check_string(item["name"], f"{path}.account.name")
    return key


def validate_agent(value, path: str, *, object_type_required: bool = False) -> dict:
    """An Agent: one IFI, an optional name, ``objectType`` ``Agent`` when present (required as an object)."""
    check_object(value, path, allowed={"objectType", "name", *IFIS})
    if object_type_required and "objectType" not in value:
        fail(path, "needs objectType.")
    if value.get("objectType", "Agent") != "Agent":
        fail(f"{path}.objectType", "must be 'Agent'.")
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    _check_ifi(value, path, required=True)
    return value


def validate_group(value, path: str) -> dict:
    """A Group: anonymous (members, no IFI) or identified (one IFI, members optional); members are Agents."""
    check_object(value, path, allowed={"objectType", "name", "member", *IFIS}, required={"objectType"})
    if value["objectType"] != "Group":
        fail(f"{path}.objectType", "must be 'Group'.")
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    identified = _check_ifi(value, path, required=False)
    if not identified and "member" not in value:
        fail(path, "an anonymous group needs its members.")
    if "member" in value:
        if not isinstance(value["member"], list):
            fail(f"{path}.member", "must be a list of agents.")
        for n, member in enumerate(value["member"]):
            validate_agent(member, f"{path}.member[{n}]")
    return value


def validate_actor(value, path: str, *, object_type_required: bool = False) -> dict:
    """An Agent or a Group, told apart by ``objectType``."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        return validate_group(value, path)
    return validate_agent(value, path, object_type_required=object_type_required)


def canonical_ifi(value: dict) -> str | None:
    """``kind:value`` of an agent's or identified group's IFI, or ``None`` for an anonymous group."""
    if "mbox" in value:
        local, _, domain = value["mbox"].partition("@")
        return f"mbox:{local}@{domain.lower()}"
    if "mbox_sha1sum" in value:
        return f"mbox_sha1sum:{value['mbox_sha1sum'].lower()}"
    if "openid" in value:
        return f"openid:{value['openid']}"
    if "account" in value:
        return "account:" + json.dumps([value["account"]["homePage"], value["account"]["name"]])
    return None


def agent_ifi(value: dict) -> str:
    """The stored form of an IFI (SHA-256 hex of the canonical one), or ``""`` for an anonymous group."""
    canonical = canonical_ifi(value)
    return hashlib.sha256(canonical.encode()).hexdigest() if canonical else ""


def agent_label(value: dict) -> str:
    """A short human label for the admin: the name, else the IFI."""
    canonical = canonical_ifi(value) or "anonymous group"
    label = f"{value['name']} ({canonical})" if value.get("name") else canonical
    return label[:255]


def member_ifis(value: dict) -> list[str]:
    """The IFIs a group (or agent) stands for: its own, and each member's."""
    ifis = [agent_ifi(value)] if canonical_ifi(value) else []
    ifis += [agent_ifi(member) for member in value.get("member", []) if canonical_ifi(member)]
    return ifis


def parse_agent_param(raw: str, name: str = "agent", *, groups: bool = False) -> dict:
    """A request parameter holding an Agent (or, with ``groups``, an identified Group) as JSON."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"{name}: must be an agent as JSON.") from None
    if groups and isinstance(value, dict) and value.get("objectType") == "Group":
        validate_group(value, name)
        if not canonical_ifi(value):
            raise BadRequest(f"{name}: a group used as a filter must be identified (have an IFI).")
        return value
    return validate_agent(value, name)
