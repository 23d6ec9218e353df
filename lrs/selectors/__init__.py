"""Every read of the LRS: credentials by their Basic token, statements by id or query, state documents."""

from .credentials import client_credentials, credential_authenticate
from .state import state_get, state_ids
from .statements import StatementQuery, statement_get, statements_page, statements_visible_to

__all__ = [
    "StatementQuery",
    "client_credentials",
    "credential_authenticate",
    "state_get",
    "state_ids",
    "statement_get",
    "statements_page",
    "statements_visible_to",
]
