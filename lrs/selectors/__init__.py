"""Every read of the LRS: credentials by their Basic token, statements by id or query, documents (state, agent
and activity profiles), activities and agents."""

from .activities import activity_definitions, activity_object, activity_within_reach, person_for
from .credentials import client_credentials, credential_authenticate
from .profiles import activity_profile_get, activity_profile_ids, agent_profile_get, agent_profile_ids
from .state import state_get, state_ids
from .statements import StatementQuery, statement_get, statements_page, statements_visible_to

__all__ = [
    "StatementQuery",
    "activity_definitions",
    "activity_object",
    "activity_profile_get",
    "activity_profile_ids",
    "activity_within_reach",
    "agent_profile_get",
    "agent_profile_ids",
    "client_credentials",
    "credential_authenticate",
    "person_for",
    "state_get",
    "state_ids",
    "statement_get",
    "statements_page",
    "statements_visible_to",
]
