"""Who reaches what (issue 17: the audience rule covers statements): a learner's launch credential reads and writes
only its own agent's statements and state, within its registration and activity; revoked and expired credentials
reach nothing; a staff client with ``all/read`` reads everything and writes nothing. What a credential may not
see answers 404 (a statement by id) or an empty result, never its content."""

import json
import uuid
from datetime import timedelta

from django.utils import timezone

import pytest

from lrs.factories import client_credential, launch_credential, statement
from lrs.models import Credential, StateDocument, Statement
from lrs.services import credential_revoke, state_put
from partners.factories import partner_user

pytestmark = pytest.mark.django_db

AU = "https://partnerhub.test/packages/7/au-1"


@pytest.fixture
def world(db):
    ann_user, bob_user = partner_user(), partner_user()
    ann_reg, bob_reg = uuid.uuid4(), uuid.uuid4()
    ann = launch_credential(ann_user, registration=ann_reg, activity_id=AU)
    bob = launch_credential(bob_user, registration=bob_reg, activity_id=AU)
    ann_other_reg = launch_credential(ann_user, registration=uuid.uuid4(), activity_id=AU)
    revoked = launch_credential(ann_user, registration=ann_reg, activity_id=AU)
    expired = launch_credential(ann_user, registration=ann_reg, activity_id=AU)
    credential_revoke(credential=revoked.credential)
    Credential.objects.filter(pk=expired.credential.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    return {
        "ann": ann,
        "bob": bob,
        "ann_other_reg": ann_other_reg,
        "revoked": revoked,
        "expired": expired,
        "reporter": client_credential(),
        "ann_reg": ann_reg,
        "bob_reg": bob_reg,
    }


def own(issued, registration, **extra):
    return statement(issued.agent, activity=AU, registration=registration, **extra)


def test_statements_leak_matrix(xapi, world):
    ann, bob = world["ann"], world["bob"]
    ann_statement, bob_statement = own(ann, world["ann_reg"]), own(bob, world["bob_reg"])
    assert xapi.post(ann, ann_statement).status_code == 200
    assert xapi.post(bob, bob_statement).status_code == 200

    def visible(issued, **params):
        response = xapi.get(issued, **params)
        assert response.status_code == 200
        return {s["id"] for s in response.json()["statements"]}

    assert visible(ann) == {ann_statement["id"]}
    assert visible(bob) == {bob_statement["id"]}
    assert visible(ann, agent=bob.agent) == set()
    assert visible(ann, registration=str(world["bob_reg"])) == set()
    assert xapi.get(ann, statementId=bob_statement["id"]).status_code == 404
    assert xapi.get(ann, voidedStatementId=bob_statement["id"]).status_code == 404
    assert bob_statement["id"].encode() not in xapi.get(ann, statementId=bob_statement["id"]).content
    # The same learner through a credential of another registration sees nothing of the first.
    assert visible(world["ann_other_reg"]) == set()
    assert xapi.get(world["ann_other_reg"], statementId=ann_statement["id"]).status_code == 404
    # Revoked and expired credentials reach nothing at all.
    for name in ("revoked", "expired"):
        assert xapi.get(world[name]).status_code == 401
        assert xapi.get(world[name], statementId=ann_statement["id"]).status_code == 401
    # A staff client with all/read reads everything.
    assert visible(world["reporter"]) == {ann_statement["id"], bob_statement["id"]}
    assert xapi.get(world["reporter"], statementId=bob_statement["id"]).status_code == 200


def test_writes_stay_within_the_credential(xapi, world):
    ann, bob = world["ann"], world["bob"]
    refused = [
        statement(bob.agent, activity=AU, registration=world["ann_reg"]),  # someone else as actor
        statement({"mbox": "mailto:someone@example.test"}, activity=AU, registration=world["ann_reg"]),
        own(ann, world["bob_reg"]),  # another registration
        statement(ann.agent, activity=AU),  # no registration
        own(ann, world["ann_reg"]) | {"object": {"id": "https://elsewhere.test/activity"}},  # another activity
        own(ann, world["ann_reg"]) | {"object": {"id": f"{AU}0"}},  # au-10 is not below au-1
    ]
    for body in refused:
        assert xapi.post(ann, [own(ann, world["ann_reg"]), body]).status_code == 403
    assert xapi.post(world["ann_other_reg"], own(ann, world["ann_reg"])).status_code == 403
    assert xapi.post(world["reporter"], own(ann, world["ann_reg"])).status_code == 403  # all/read only reads
    assert not Statement.objects.exists()
    # Within its activity: an object under its id, or the AU in the context.
    under = own(ann, world["ann_reg"]) | {"object": {"id": f"{AU}/question-1"}}
    in_context = own(ann, world["ann_reg"], object={"id": "https://other.test/q"})
    in_context["context"]["contextActivities"] = {"parent": [{"id": AU}]}
    assert xapi.post(ann, [under, in_context]).status_code == 200


def test_state_leak_matrix(xapi, world):
    ann, bob = world["ann"], world["bob"]
    mine = {"activityId": AU, "agent": ann.agent, "registration": world["ann_reg"]}
    assert xapi.state(ann, "PUT", body=b'{"a": 1}', stateId="resume", **mine).status_code == 204
    refused = [
        {**mine, "agent": bob.agent},
        {**mine, "registration": world["bob_reg"]},
        {"activityId": AU, "agent": ann.agent},  # no registration
        {**mine, "activityId": "https://elsewhere.test/activity"},
    ]
    for params in refused:
        assert xapi.state(ann, "GET", stateId="resume", **params).status_code == 404
        assert xapi.state(ann, "PUT", body=b"{}", stateId="resume", **params).status_code == 404
        assert xapi.state(ann, "DELETE", **params).status_code == 404
    assert xapi.state(bob, "GET", stateId="resume", **mine).status_code == 404
    for name in ("revoked", "expired"):
        assert xapi.state(world[name], "GET", stateId="resume", **mine).status_code == 401
    assert xapi.state(world["reporter"], "GET", stateId="resume", **mine).status_code == 200
    assert xapi.state(world["reporter"], "PUT", body=b"{}", stateId="resume", **mine).status_code == 403
    assert StateDocument.objects.get().content == b'{"a": 1}'


def test_launch_data_is_read_only_to_the_launch(xapi, world):
    ann = world["ann"]
    mine = {"activityId": AU, "agent": ann.agent, "registration": world["ann_reg"]}
    launch_data = json.dumps({"launchMode": "Normal"}).encode()
    state_put(
        activity_id=AU,
        agent=ann.agent,
        registration=world["ann_reg"],
        state_id="LMS.LaunchData",
        content=launch_data,
        content_type="application/json",
    )
    assert xapi.state(ann, "GET", stateId="LMS.LaunchData", **mine).content == launch_data
    for method in ("PUT", "POST"):
        assert xapi.state(ann, method, body=b"{}", stateId="LMS.LaunchData", **mine).status_code == 403
    assert xapi.state(ann, "DELETE", stateId="LMS.LaunchData", **mine).status_code == 403
    xapi.state(ann, "PUT", body=b"{}", stateId="resume", **mine)
    assert xapi.state(ann, "DELETE", **mine).status_code == 204  # the context, but the hub's document stays
    assert list(StateDocument.objects.values_list("state_id", flat=True)) == ["LMS.LaunchData"]


def test_a_learners_credential_never_gets_broad_scopes(world):
    from django.core.exceptions import ValidationError

    for scopes in (["all"], ["all/read"], ["statements/read"], ["statements/write", "statements/read"]):
        with pytest.raises(ValidationError):
            launch_credential(scopes=scopes)


def test_scopes_limit_what_a_client_does(xapi, world):
    writer_only = client_credential(scopes=["statements/write"], name="Importer")
    assert xapi.get(writer_only).status_code == 403
    assert xapi.post(writer_only, statement()).status_code == 200
    mine_only = client_credential(scopes=["statements/read/mine"], name="Own reader")
    assert xapi.get(mine_only).json()["statements"] == []  # a client reads what it wrote, here nothing
    no_state = launch_credential(scopes=["statements/write"])
    where = {"activityId": AU, "agent": no_state.agent}
    assert xapi.state(no_state, "GET", stateId="s", **where).status_code == 403
