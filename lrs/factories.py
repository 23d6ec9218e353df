"""Test and demo data of the LRS: credentials made by the real service (so they authenticate), and statements.

``launch_credential(user)`` gives a learner's credential bound to their agent, with the headers an AU sends;
``client_credential()`` a staff client's; ``statement(...)`` a valid statement to send or change.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from partners.factories import partner_user

from .agents import agent_for_user
from .hashing import basic_token
from .models import Credential
from .services import credential_issue

LAUNCH_SCOPES = [
    Credential.Scope.STATEMENTS_WRITE,
    Credential.Scope.STATEMENTS_READ_MINE,
    Credential.Scope.STATE,
    Credential.Scope.PROFILE,
]


@dataclass
class IssuedCredential:
    credential: Credential
    secret: str

    @property
    def token(self) -> str:
        return basic_token(self.credential.key, self.secret)

    @property
    def headers(self) -> dict:
        """Django test client headers: Basic auth and the xAPI version."""
        return {"HTTP_AUTHORIZATION": f"Basic {self.token}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}

    @property
    def agent(self) -> dict:
        return self.credential.agent


def launch_credential(user=None, *, expires_in=timedelta(hours=2), scopes=None, **kwargs) -> IssuedCredential:
    """A learner's credential (a new partner user unless ``user``), bound to their agent."""
    user = user or partner_user()
    credential, secret = credential_issue(
        user=user,
        agent=kwargs.pop("agent", None) or agent_for_user(user),
        expires_at=timezone.now() + expires_in,
        scopes=scopes or LAUNCH_SCOPES,
        **kwargs,
    )
    return IssuedCredential(credential, secret)


def client_credential(*, scopes=(Credential.Scope.ALL_READ,), name="Reporting tool", **kwargs) -> IssuedCredential:
    """A staff client's credential (no learner): ``all/read`` unless told otherwise."""
    credential, secret = credential_issue(
        user=None, agent=None, expires_at=kwargs.pop("expires_at", None), scopes=list(scopes), name=name, **kwargs
    )
    return IssuedCredential(credential, secret)


def statement(
    agent: dict | None = None,
    *,
    verb: str = "http://adlnet.gov/expapi/verbs/experienced",
    activity: str = "https://partnerhub.test/activities/course-1",
    registration=None,
    **extra,
) -> dict:
    """A valid statement with a fresh id; ``extra`` adds or replaces top-level properties."""
    body = {
        "id": str(uuid.uuid4()),
        "actor": agent or {"objectType": "Agent", "mbox": "mailto:learner@example.test"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": activity},
    }
    if registration is not None:
        body["context"] = {"registration": str(registration)}
    body.update(extra)
    return body
