"""The LRS's models: credentials, statements (with the agents and activities they mention) and state documents."""

from .credentials import Credential
from .documents import StateDocument
from .statements import Statement, StatementActivity, StatementAgent

__all__ = ["Credential", "StateDocument", "Statement", "StatementActivity", "StatementAgent"]
