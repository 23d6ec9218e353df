"""Helpers of the LRS tests: send statements and documents the way an AU or a reporting tool does."""

import json
from urllib.parse import urlencode

import pytest

from lrs.factories import launch_credential


class Xapi:
    """The xAPI resources through Django's test client, with a credential's headers."""

    def __init__(self, client):
        self.client = client

    def _url(self, path, params):
        return f"/xapi/{path}" + (f"?{urlencode(params)}" if params else "")

    def post(self, issued, body, *, raw=None, content_type="application/json", **params):
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(
            self._url("statements", params), data=data, content_type=content_type, **issued.headers
        )

    def put(self, issued, body, statement_id, *, raw=None, content_type="application/json"):
        data = raw if raw is not None else json.dumps(body)
        url = self._url("statements", {"statementId": statement_id})
        return self.client.put(url, data=data, content_type=content_type, **issued.headers)

    def get(self, issued, path="statements", *, headers=None, **params):
        if "agent" in params and isinstance(params["agent"], dict):
            params["agent"] = json.dumps(params["agent"])
        return self.client.get(self._url(path, params), **{**issued.headers, **(headers or {})})

    def follow(self, issued, more):
        return self.client.get(more, **issued.headers)

    def document(self, path, issued, method, *, body=b"", content_type="application/json", headers=None, **params):
        """A request to a document resource (or agents, activities): ``agent`` is sent as JSON."""
        params = {k: json.dumps(v) if k == "agent" else str(v) for k, v in params.items()}
        call = getattr(self.client, method.lower())
        url = self._url(path, params)
        extra = {**issued.headers, **(headers or {})}
        if method in ("PUT", "POST"):
            return call(url, data=body, content_type=content_type, **extra)
        return call(url, **extra)

    def state(self, issued, method, **kwargs):
        return self.document("activities/state", issued, method, **kwargs)

    def agent_profile(self, issued, method, **kwargs):
        return self.document("agents/profile", issued, method, **kwargs)

    def activity_profile(self, issued, method, **kwargs):
        return self.document("activities/profile", issued, method, **kwargs)


@pytest.fixture
def xapi(client):
    return Xapi(client)


@pytest.fixture
def learner(db):
    return launch_credential()
