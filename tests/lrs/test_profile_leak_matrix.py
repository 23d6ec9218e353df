"""Who reaches which profile, agent and activity (issue 17's audience rule through the LRS): a learner's launch
credential reaches its own agent's profile from any of its registrations, never another learner's (404, as if
there were none, for reads, writes, deletes and the ids); it reads the activity profiles of its own activity and
writes none; revoked and expired credentials reach nothing (401)."""

import uuid
from datetime import timedelta

from django.utils import timezone

import pytest

from lrs.factories import client_credential, launch_credential, statement
from lrs.models import ActivityProfileDocument, AgentProfileDocument, Credential
from lrs.services import activity_profile_put, agent_profile_put, credential_revoke
from partners.factories import partner_user

pytestmark = pytest.mark.django_db

AU = "https://partnerhub.test/packages/7/au-1"
OTHER_AU = "https://partnerhub.test/packages/8/au-1"
PREFS = "cmi5LearnerPreferences"


@pytest.fixture
def world(db):
    ann_user, bob_user = partner_user(), partner_user()
    ann = launch_credential(ann_user, registration=uuid.uuid4(), activity_id=AU)
    bob = launch_credential(bob_user, registration=uuid.uuid4(), activity_id=AU)
    revoked = launch_credential(ann_user, registration=uuid.uuid4(), activity_id=AU)
    expired = launch_credential(ann_user, registration=uuid.uuid4(), activity_id=AU)
    credential_revoke(credential=revoked.credential)
    Credential.objects.filter(pk=expired.credential.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for issued, language in ((ann, "de"), (bob, "fr")):
        agent_profile_put(
            agent=issued.agent,
            profile_id=PREFS,
            content=f'{{"languagePreference": "{language}"}}'.encode(),
            content_type="application/json",
        )
    activity_profile_put(activity_id=AU, profile_id="settings", content=b'{"a": 1}', content_type="application/json")
    activity_profile_put(
        activity_id=OTHER_AU, profile_id="secret", content=b'{"b": 2}', content_type="application/json"
    )
    return {
        "ann": ann,
        "bob": bob,
        "ann_other_registration": launch_credential(ann_user, registration=uuid.uuid4(), activity_id=AU),
        "ann_other_au": launch_credential(ann_user, registration=uuid.uuid4(), activity_id=OTHER_AU),
        "revoked": revoked,
        "expired": expired,
    }


def test_agent_profiles_leak_matrix(xapi, world):
    ann, bob = world["ann"], world["bob"]
    own = {"agent": ann.agent, "profileId": PREFS}
    assert xapi.agent_profile(ann, "GET", **own).json() == {"languagePreference": "de"}
    assert xapi.agent_profile(ann, "GET", agent=ann.agent).json() == [PREFS]
    # The same learner in another registration or another AU: the agent profile is the learner's, not the launch's.
    for name in ("ann_other_registration", "ann_other_au"):
        assert xapi.agent_profile(world[name], "GET", **own).json() == {"languagePreference": "de"}
    # Another learner's: 404 whatever the method, and nothing of it in the answer.
    theirs = {"agent": bob.agent, "profileId": PREFS}
    for method in ("GET", "HEAD", "PUT", "POST", "DELETE"):
        response = xapi.agent_profile(ann, method, body=b'{"languagePreference": "en"}', **theirs)
        assert response.status_code == 404, method
        assert b"fr" not in response.content
    assert xapi.agent_profile(ann, "GET", agent=bob.agent).status_code == 404
    missing = {"agent": bob.agent, "profileId": "never-written"}
    assert xapi.agent_profile(ann, "GET", **missing).status_code == 404  # the same answer: existence does not leak
    assert xapi.agent_profile(ann, "GET", **theirs).json() == xapi.agent_profile(ann, "GET", **missing).json()
    stranger = {"agent": {"mbox": "mailto:nobody@example.test"}, "profileId": "x"}
    assert xapi.agent_profile(ann, "PUT", body=b"{}", **stranger).status_code == 404
    # Revoked and expired credentials reach nothing.
    for name in ("revoked", "expired"):
        for method in ("GET", "PUT", "DELETE"):
            assert xapi.agent_profile(world[name], method, body=b"{}", **own).status_code == 401
    assert AgentProfileDocument.objects.count() == 2
    assert xapi.agent_profile(bob, "GET", **theirs).json() == {"languagePreference": "fr"}


def test_a_learner_writes_its_own_preferences(xapi, world):
    ann = world["ann"]
    own = {"agent": ann.agent, "profileId": PREFS}
    assert xapi.agent_profile(ann, "POST", body=b'{"audioPreference": "off"}', **own).status_code == 204
    etag = xapi.agent_profile(ann, "GET", **own)["ETag"]
    assert (
        xapi.agent_profile(ann, "PUT", body=b'{"languagePreference": "en"}', headers={"HTTP_IF_MATCH": etag}, **own)
    ).status_code == 204
    assert xapi.agent_profile(world["ann_other_registration"], "DELETE", **own).status_code == 204
    assert not AgentProfileDocument.objects.filter(agent_ifi=ann.credential.agent_ifi).exists()


def test_activity_profiles_leak_matrix(xapi, world):
    ann = world["ann"]
    assert xapi.activity_profile(ann, "GET", activityId=AU, profileId="settings").json() == {"a": 1}
    assert xapi.activity_profile(ann, "GET", activityId=AU).json() == ["settings"]
    for params in ({"activityId": OTHER_AU, "profileId": "secret"}, {"activityId": OTHER_AU}):
        response = xapi.activity_profile(ann, "GET", **params)
        assert response.status_code == 404 and b"secret" not in response.content
    assert (
        xapi.activity_profile(world["ann_other_au"], "GET", activityId=OTHER_AU, profileId="secret").status_code == 200
    )
    # Activity profiles are every learner's: no learner's credential writes one, even of its own activity.
    for method in ("PUT", "POST", "DELETE"):
        response = xapi.activity_profile(ann, method, body=b'{"a": 9}', activityId=AU, profileId="settings")
        assert response.status_code == 403
    for name in ("revoked", "expired"):
        assert xapi.activity_profile(world[name], "GET", activityId=AU, profileId="settings").status_code == 401
    assert bytes(ActivityProfileDocument.objects.get(profile_id="settings").content) == b'{"a": 1}'


def test_agents_and_activities_leak_matrix(xapi, world):
    ann, bob = world["ann"], world["bob"]
    xapi.post(ann, statement(ann.agent, activity=AU, registration=ann.credential.registration))
    assert xapi.document("agents", ann, "GET", agent=ann.agent).status_code == 200
    assert xapi.document("agents", ann, "GET", agent=bob.agent).status_code == 404
    assert xapi.document("agents", ann, "GET", agent={"mbox": "mailto:someone@example.test"}).status_code == 404
    assert xapi.document("activities", ann, "GET", activityId=AU).status_code == 200
    assert xapi.document("activities", world["ann_other_au"], "GET", activityId=AU).status_code == 404
    for name in ("revoked", "expired"):
        assert xapi.document("agents", world[name], "GET", agent=ann.agent).status_code == 401
        assert xapi.document("activities", world[name], "GET", activityId=AU).status_code == 401


def test_scopes(xapi, world):
    no_profile = launch_credential(scopes=["statements/write", "statements/read/mine", "state"])
    own = {"agent": no_profile.agent, "profileId": PREFS}
    assert xapi.agent_profile(no_profile, "GET", **own).status_code == 403
    assert xapi.agent_profile(no_profile, "PUT", body=b"{}", **own).status_code == 403
    assert xapi.activity_profile(no_profile, "GET", activityId=AU, profileId="settings").status_code == 403
    ann = {"agent": world["ann"].agent, "profileId": PREFS}
    reporter = client_credential()  # all/read
    assert xapi.agent_profile(reporter, "GET", **ann).status_code == 200
    assert xapi.agent_profile(reporter, "PUT", body=b"{}", **ann).status_code == 403
    statement_reader = client_credential(scopes=["statements/read"], name="Statements only")
    assert xapi.agent_profile(statement_reader, "GET", **ann).status_code == 403
    assert xapi.activity_profile(statement_reader, "GET", activityId=AU, profileId="settings").status_code == 200
    profiles = client_credential(scopes=["profile"], name="Profiles")
    assert xapi.agent_profile(profiles, "POST", body=b'{"audioPreference": "off"}', **ann).status_code == 204
    assert xapi.agent_profile(world["ann"], "GET", **ann).json() == {
        "languagePreference": "de",
        "audioPreference": "off",
    }
