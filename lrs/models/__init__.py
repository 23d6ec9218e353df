"""The LRS's models: credentials, statements (with the agents and activities they mention), the canonical
activity definitions, and documents (state, agent profiles, activity profiles)."""

from .activities import ActivityDefinition
from .credentials import Credential
from .documents import ActivityProfileDocument, AgentProfileDocument, StateDocument
from .statements import Statement, StatementActivity, StatementAgent

__all__ = [
    "ActivityDefinition",
    "ActivityProfileDocument",
    "AgentProfileDocument",
    "Credential",
    "StateDocument",
    "Statement",
    "StatementActivity",
    "StatementAgent",
]
