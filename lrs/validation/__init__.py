"""Validation of xAPI data (Data §2.2-§4.6): statements, agents and the typed values inside them.

Every function raises ``lrs.errors.BadRequest`` naming the path of the first bad value, e.g.
``statement[2].actor.mbox``.
"""

from .agents import agent_ifi, agent_label, parse_agent_param, validate_actor, validate_agent
from .statements import validate_statement
from .values import is_iri, parse_timestamp, parse_uuid

__all__ = [
    "agent_ifi",
    "agent_label",
    "is_iri",
    "parse_agent_param",
    "parse_timestamp",
    "parse_uuid",
    "validate_actor",
    "validate_agent",
    "validate_statement",
]
