"""Every write of the LRS: credentials, statements (and the activity definitions they carry), documents (state,
agent profiles, activity profiles)."""

from .credentials import basic_token, credential_issue, credential_revoke, credential_touch
from .profiles import (
    activity_profile_delete,
    activity_profile_post,
    activity_profile_put,
    agent_profile_delete,
    agent_profile_post,
    agent_profile_put,
)
from .state import state_delete, state_post, state_put
from .statements import statements_store

__all__ = [
    "activity_profile_delete",
    "activity_profile_post",
    "activity_profile_put",
    "agent_profile_delete",
    "agent_profile_post",
    "agent_profile_put",
    "basic_token",
    "credential_issue",
    "credential_revoke",
    "credential_touch",
    "state_delete",
    "state_post",
    "state_put",
    "statements_store",
]
