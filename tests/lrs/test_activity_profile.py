"""The Activity Profile resource (Communication §2.7, §3.1): documents about an activity by ``profileId``, ids
``since`` a time, JSON merge on POST, ETags and their preconditions (412), 409 for a PUT without one over an
existing document; read with ``profile``, ``statements/read`` or ``all/read``, written with ``profile``."""

import hashlib
from datetime import timedelta

from django.utils import timezone

import pytest

from lrs.factories import client_credential
from lrs.models import ActivityProfileDocument

pytestmark = pytest.mark.django_db

ACTIVITY = "https://partnerhub.test/activities/course-1"
NEW = {"HTTP_IF_NONE_MATCH": "*"}


@pytest.fixture
def author(db):
    return client_credential(scopes=["profile"], name="Authoring tool")


def test_put_get_etag_and_another_activity_is_another_document(xapi, author):
    body = b'{"passingScore": 0.8}'
    where = {"activityId": ACTIVITY, "profileId": "settings"}
    assert xapi.activity_profile(author, "PUT", body=body, headers=NEW, **where).status_code == 204
    response = xapi.activity_profile(author, "GET", **where)
    assert response.status_code == 200 and response.content == body
    assert response["ETag"] == f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()}"'
    assert response["Last-Modified"]
    other = {"activityId": ACTIVITY + "/part-2", "profileId": "settings"}
    assert xapi.activity_profile(author, "GET", **other).status_code == 404


def test_concurrency_rules(xapi, author):
    where = {"activityId": ACTIVITY, "profileId": "settings"}
    assert (
        xapi.activity_profile(author, "PUT", body=b"{}", headers={"HTTP_IF_MATCH": '"x"'}, **where).status_code == 412
    )
    assert xapi.activity_profile(author, "PUT", body=b'{"v": 1}', **where).status_code == 204  # new: no header needed
    assert xapi.activity_profile(author, "PUT", body=b'{"v": 2}', **where).status_code == 409
    assert xapi.activity_profile(author, "PUT", body=b'{"v": 2}', headers=NEW, **where).status_code == 412
    etag = xapi.activity_profile(author, "GET", **where)["ETag"]
    assert (
        xapi.activity_profile(author, "PUT", body=b'{"v": 2}', headers={"HTTP_IF_MATCH": etag}, **where).status_code
        == 204
    )
    stale = {"HTTP_IF_MATCH": etag}
    assert xapi.activity_profile(author, "PUT", body=b'{"v": 3}', headers=stale, **where).status_code == 412
    assert xapi.activity_profile(author, "POST", body=b'{"v": 3}', headers=stale, **where).status_code == 412
    assert xapi.activity_profile(author, "DELETE", headers=stale, **where).status_code == 412
    assert xapi.activity_profile(author, "GET", **where).content == b'{"v": 2}'
    # POST merges without a precondition (the spec only asks PUT for one); DELETE likewise.
    assert xapi.activity_profile(author, "POST", body=b'{"w": 1}', **where).status_code == 204
    assert xapi.activity_profile(author, "GET", **where).json() == {"v": 2, "w": 1}
    assert xapi.activity_profile(author, "DELETE", **where).status_code == 204
    assert xapi.activity_profile(author, "DELETE", **where).status_code == 204  # already gone: still 204
    assert not ActivityProfileDocument.objects.exists()


def test_a_merge_that_is_not_of_json_objects_is_400_and_changes_nothing(xapi, author):
    where = {"activityId": ACTIVITY, "profileId": "settings"}
    xapi.activity_profile(author, "PUT", body=b'{"x": 1}', **where)
    for body, content_type in ((b'"text"', "application/json"), (b"{", "application/json"), (b"{}", "text/plain")):
        assert xapi.activity_profile(author, "POST", body=body, content_type=content_type, **where).status_code == 400
    assert xapi.activity_profile(author, "GET", **where).json() == {"x": 1}


def test_ids_since(xapi, author):
    for profile_id in ("one", "two"):
        xapi.activity_profile(author, "PUT", body=b"{}", activityId=ACTIVITY, profileId=profile_id)
    xapi.activity_profile(author, "PUT", body=b"{}", activityId=ACTIVITY + "/x", profileId="three")
    ActivityProfileDocument.objects.filter(profile_id="one").update(updated=timezone.now() - timedelta(days=1))
    assert xapi.activity_profile(author, "GET", activityId=ACTIVITY).json() == ["one", "two"]
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    response = xapi.activity_profile(author, "GET", activityId=ACTIVITY, since=since)
    assert response.json() == ["two"] and response["Last-Modified"]
    assert xapi.activity_profile(author, "GET", activityId="https://partnerhub.test/none").json() == []


@pytest.mark.parametrize("scopes", [["profile"], ["statements/read"], ["all/read"], ["all"]])
def test_who_reads(xapi, author, scopes):
    xapi.activity_profile(author, "PUT", body=b"{}", activityId=ACTIVITY, profileId="p")
    reader = client_credential(scopes=scopes, name="Reader")
    assert xapi.activity_profile(reader, "GET", activityId=ACTIVITY, profileId="p").status_code == 200
    assert xapi.activity_profile(reader, "GET", activityId=ACTIVITY).json() == ["p"]


@pytest.mark.parametrize("scopes", [["statements/read"], ["all/read"], ["statements/write"], ["state"]])
def test_who_may_not_write(xapi, scopes):
    client = client_credential(scopes=scopes, name="Other tool")
    for method in ("PUT", "POST", "DELETE"):
        response = xapi.activity_profile(client, method, body=b"{}", activityId=ACTIVITY, profileId="p")
        assert response.status_code == 403
    assert not ActivityProfileDocument.objects.exists()


@pytest.mark.parametrize("scopes", [["statements/write"], ["statements/read/mine"], ["state"]])
def test_who_may_not_read(xapi, scopes):
    client = client_credential(scopes=scopes, name="Other tool")
    assert xapi.activity_profile(client, "GET", activityId=ACTIVITY, profileId="p").status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"profileId": "p"},
        {"activityId": "not an iri", "profileId": "p"},
        {"activityId": ACTIVITY, "profileId": "p", "agent": {"mbox": "mailto:a@example.test"}},
        {"activityId": ACTIVITY, "since": "yesterday"},
    ],
)
def test_bad_parameters_are_400(xapi, params):
    admin = client_credential(scopes=["all"])
    assert xapi.activity_profile(admin, "GET", **params).status_code == 400
    assert xapi.activity_profile(admin, "PUT", body=b"{}", **params).status_code == 400
    assert not ActivityProfileDocument.objects.exists()
