"""The Agent Profile resource (Communication §2.6, §3.1): documents about one agent by ``profileId``, the ids of an
agent's documents ``since`` a time, JSON merge on POST, ETags with If-Match / If-None-Match (412) and the profile
resources' rule that a PUT over an existing document names its precondition (409)."""

import hashlib
from datetime import timedelta

from django.utils import timezone

import pytest

from lrs.factories import client_credential
from lrs.models import AgentProfileDocument
from lrs.selectors import agent_profile_get
from lrs.services import agent_profile_post, agent_profile_put

pytestmark = pytest.mark.django_db

NEW = {"HTTP_IF_NONE_MATCH": "*"}


def test_put_get_etag_and_last_modified(xapi, learner):
    body = b'{"languagePreference": "fr-FR", "audioPreference": "off"}'
    put = xapi.agent_profile(learner, "PUT", body=body, agent=learner.agent, profileId="prefs", headers=NEW)
    assert put.status_code == 204
    response = xapi.agent_profile(learner, "GET", agent=learner.agent, profileId="prefs")
    assert response.status_code == 200
    assert response.content == body
    assert response["Content-Type"] == "application/json"
    assert response["ETag"] == f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()}"'
    assert response["Last-Modified"]
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert xapi.agent_profile(learner, "GET", agent=learner.agent, profileId="other").status_code == 404
    head = xapi.agent_profile(learner, "HEAD", agent=learner.agent, profileId="prefs")
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == response["ETag"]


def test_a_new_document_needs_no_precondition_and_any_content_type_is_kept(xapi, learner):
    body = bytes(range(256))
    assert (
        xapi.agent_profile(
            learner, "PUT", body=body, content_type="application/octet-stream", agent=learner.agent, profileId="blob"
        ).status_code
        == 204
    )
    response = xapi.agent_profile(learner, "GET", agent=learner.agent, profileId="blob")
    assert response.content == body and response["Content-Type"] == "application/octet-stream"


def test_a_put_over_an_existing_document_without_a_precondition_is_409_and_changes_nothing(xapi, learner):
    where = {"agent": learner.agent, "profileId": "prefs"}
    xapi.agent_profile(learner, "PUT", body=b'{"v": 1}', headers=NEW, **where)
    response = xapi.agent_profile(learner, "PUT", body=b'{"v": 2}', **where)
    assert response.status_code == 409
    assert "If-Match" in response.json()["detail"]
    assert xapi.agent_profile(learner, "GET", **where).content == b'{"v": 1}'


def test_if_match_and_if_none_match(xapi, learner):
    where = {"agent": learner.agent, "profileId": "prefs"}
    assert (
        xapi.agent_profile(learner, "PUT", body=b"{}", headers={"HTTP_IF_MATCH": '"abc"'}, **where).status_code == 412
    )
    assert not AgentProfileDocument.objects.exists()
    assert xapi.agent_profile(learner, "PUT", body=b'{"v": 1}', headers=NEW, **where).status_code == 204
    assert xapi.agent_profile(learner, "PUT", body=b'{"v": 0}', headers=NEW, **where).status_code == 412
    etag = xapi.agent_profile(learner, "GET", **where)["ETag"]
    assert (
        xapi.agent_profile(learner, "PUT", body=b'{"v": 2}', headers={"HTTP_IF_MATCH": etag}, **where).status_code
        == 204
    )
    # The first reader's ETag is stale now: PUT, POST and DELETE with it are refused, nothing changes.
    for method in ("PUT", "POST"):
        stale = xapi.agent_profile(learner, method, body=b'{"v": 3}', headers={"HTTP_IF_MATCH": etag}, **where)
        assert stale.status_code == 412
    assert xapi.agent_profile(learner, "DELETE", headers={"HTTP_IF_MATCH": etag}, **where).status_code == 412
    assert xapi.agent_profile(learner, "POST", body=b'{"v": 3}', headers=NEW, **where).status_code == 412
    assert xapi.agent_profile(learner, "GET", **where).content == b'{"v": 2}'
    fresh = xapi.agent_profile(learner, "GET", **where)["ETag"]
    assert (
        xapi.agent_profile(learner, "PUT", body=b'{"v": 4}', headers={"HTTP_IF_MATCH": "*"}, **where).status_code
        == 204
    )
    assert xapi.agent_profile(learner, "DELETE", headers={"HTTP_IF_MATCH": fresh}, **where).status_code == 412
    current = xapi.agent_profile(learner, "GET", **where)["ETag"]
    assert xapi.agent_profile(learner, "DELETE", headers={"HTTP_IF_MATCH": current}, **where).status_code == 204
    assert not AgentProfileDocument.objects.exists()


def test_post_merges_json_objects_and_creates_a_new_one(xapi, learner):
    where = {"agent": learner.agent, "profileId": "prefs"}
    xapi.agent_profile(learner, "PUT", body=b'{"x": "foo", "y": {"deep": 1}}', headers=NEW, **where)
    assert (
        xapi.agent_profile(learner, "POST", body=b'{"x": "bash", "y": {"other": 2}, "z": 3}', **where).status_code
        == 204
    )
    assert xapi.agent_profile(learner, "GET", **where).json() == {"x": "bash", "y": {"other": 2}, "z": 3}
    assert (
        xapi.agent_profile(learner, "POST", body=b'{"a": 1}', agent=learner.agent, profileId="new").status_code == 204
    )
    assert xapi.agent_profile(learner, "GET", agent=learner.agent, profileId="new").json() == {"a": 1}


def test_a_merge_that_is_not_of_json_objects_is_400_and_changes_nothing(xapi, learner):
    json_doc = {"agent": learner.agent, "profileId": "json"}
    text_doc = {"agent": learner.agent, "profileId": "text"}
    xapi.agent_profile(learner, "PUT", body=b'{"x": 1}', headers=NEW, **json_doc)
    xapi.agent_profile(learner, "PUT", body=b"plain", content_type="text/plain", headers=NEW, **text_doc)
    assert xapi.agent_profile(learner, "POST", body=b"[1, 2]", **json_doc).status_code == 400
    assert xapi.agent_profile(learner, "POST", body=b"{broken", **json_doc).status_code == 400
    assert xapi.agent_profile(learner, "POST", body=b"x", content_type="text/plain", **json_doc).status_code == 400
    assert xapi.agent_profile(learner, "POST", body=b'{"y": 2}', **text_doc).status_code == 400
    assert xapi.agent_profile(learner, "POST", body=b"[]", agent=learner.agent, profileId="fresh").status_code == 400
    assert xapi.agent_profile(learner, "GET", **json_doc).json() == {"x": 1}
    assert xapi.agent_profile(learner, "GET", **text_doc).content == b"plain"
    assert AgentProfileDocument.objects.count() == 2


def test_ids_since(xapi, learner):
    for profile_id in ("b", "a", "c"):
        xapi.agent_profile(learner, "PUT", body=b"{}", agent=learner.agent, profileId=profile_id)
    AgentProfileDocument.objects.filter(profile_id="a").update(updated=timezone.now() - timedelta(hours=1))
    everything = xapi.agent_profile(learner, "GET", agent=learner.agent)
    assert everything.status_code == 200 and everything.json() == ["a", "b", "c"]
    assert everything["Last-Modified"]
    since = (timezone.now() - timedelta(minutes=30)).isoformat()
    assert xapi.agent_profile(learner, "GET", agent=learner.agent, since=since).json() == ["b", "c"]
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert xapi.agent_profile(learner, "GET", agent=learner.agent, since=later).json() == []


def test_the_same_agent_however_its_json_is_written_reaches_the_same_profile(xapi):
    reporter = client_credential(scopes=["profile"], name="Profiles")
    agent = {"mbox": "mailto:Ann@Example.TEST"}
    xapi.agent_profile(reporter, "PUT", body=b"{}", agent=agent, profileId="p")
    same = {"objectType": "Agent", "name": "Ann", "mbox": "mailto:Ann@example.test"}
    assert xapi.agent_profile(reporter, "GET", agent=same, profileId="p").status_code == 200
    assert xapi.agent_profile(reporter, "GET", agent=same).json() == ["p"]


@pytest.mark.parametrize(
    "params",
    [
        {"profileId": "p"},  # no agent
        {"agent": {"name": "no ifi"}, "profileId": "p"},
        {"agent": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.test"}]}, "profileId": "p"},
        {"agent": {"mbox": "mailto:x@example.test"}, "profileId": "p", "ProfileId": "q"},
        {"agent": {"mbox": "mailto:x@example.test"}, "since": "later"},
        {"agent": {"mbox": "mailto:x@example.test"}, "profileId": "p", "activityId": "https://x.test/a"},
    ],
)
def test_bad_parameters_are_400_and_change_nothing(xapi, params):
    admin = client_credential(scopes=["all"])
    assert xapi.agent_profile(admin, "GET", **params).status_code == 400
    if "since" not in params:
        assert xapi.agent_profile(admin, "PUT", body=b"{}", **params).status_code == 400
    assert xapi.client.get("/xapi/agents/profile?agent=nope&profileId=p", **admin.headers).status_code == 400
    assert not AgentProfileDocument.objects.exists()


def test_writes_and_deletes_need_a_profile_id(xapi, learner):
    for method in ("PUT", "POST", "DELETE"):
        assert xapi.agent_profile(learner, method, body=b"{}", agent=learner.agent).status_code == 400
    assert not AgentProfileDocument.objects.exists()


def test_the_services_the_hub_uses(learner):
    document = agent_profile_put(
        agent=learner.agent, profile_id="cmi5LearnerPreferences", content=b'{"a": 1}', content_type="application/json"
    )
    assert document.etag == hashlib.sha1(b'{"a": 1}', usedforsecurity=False).hexdigest()
    agent_profile_post(
        agent=learner.agent, profile_id="cmi5LearnerPreferences", content=b'{"b": 2}', content_type="application/json"
    )
    found = agent_profile_get(agent=learner.agent, profile_id="cmi5LearnerPreferences")
    assert bytes(found.content) == b'{"a":1,"b":2}'
