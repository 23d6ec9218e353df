"""Every write of the LRS: credentials, statements, state documents."""

from .credentials import basic_token, credential_issue, credential_revoke, credential_touch
from .state import state_delete, state_post, state_put
from .statements import statements_store

__all__ = [
    "basic_token",
    "credential_issue",
    "credential_revoke",
    "credential_touch",
    "state_delete",
    "state_post",
    "state_put",
    "statements_store",
]
