"""Voiding (Data §2.3.2, Communication §2.1.4): a voided statement leaves every query and is reached only by
voidedStatementId; a voiding statement cannot be voided; a learner's launch credential cannot void (cmi5 §6.3)."""

import uuid

import pytest

from lrs.factories import client_credential, statement
from lrs.indexing import VOIDED_VERB
from lrs.models import Credential, Statement

pytestmark = pytest.mark.django_db


def voiding(target_id, agent=None):
    return statement(agent, verb=VOIDED_VERB) | {"object": {"objectType": "StatementRef", "id": str(target_id)}}


@pytest.fixture
def admin_client_credential(db):
    return client_credential(scopes=[Credential.Scope.ALL], name="LMS")


def test_a_voided_statement_leaves_queries_and_is_read_by_voided_statement_id(xapi, learner, admin_client_credential):
    target = statement(learner.agent)
    xapi.post(learner, target)
    void = voiding(target["id"])
    assert xapi.post(admin_client_credential, void).status_code == 200
    assert Statement.objects.get(id=target["id"]).voided
    assert xapi.get(learner, statementId=target["id"]).status_code == 404
    assert xapi.get(learner, voidedStatementId=target["id"]).json()["id"] == target["id"]
    ids = [s["id"] for s in xapi.get(admin_client_credential).json()["statements"]]
    assert ids == [void["id"]]  # the voiding statement is still returned
    # Filters follow the reference: the voiding statement matches the voided statement's activity and agent.
    ids = [s["id"] for s in xapi.get(admin_client_credential, agent=learner.agent).json()["statements"]]
    assert ids == [void["id"]]
    assert xapi.get(admin_client_credential, voidedStatementId=void["id"]).status_code == 404  # not voided


def test_a_voiding_statement_cannot_be_voided(xapi, learner, admin_client_credential):
    target = statement(learner.agent)
    xapi.post(learner, target)
    void = voiding(target["id"])
    xapi.post(admin_client_credential, void)
    response = xapi.post(admin_client_credential, voiding(void["id"]))
    assert response.status_code == 400
    both = voiding(uuid.uuid4())
    assert xapi.post(admin_client_credential, [both, voiding(both["id"])]).status_code == 400
    assert Statement.objects.count() == 2


def test_a_statement_voided_before_it_arrives_is_voided_on_arrival(xapi, learner, admin_client_credential):
    late = statement(learner.agent)
    xapi.post(admin_client_credential, voiding(late["id"]))
    xapi.post(learner, late)
    assert Statement.objects.get(id=late["id"]).voided
    assert xapi.get(learner, statementId=late["id"]).status_code == 404


def test_a_voiding_statement_needs_a_statement_ref(xapi, admin_client_credential):
    response = xapi.post(admin_client_credential, statement(verb=VOIDED_VERB))
    assert response.status_code == 400
    assert not Statement.objects.exists()


def test_a_launch_credential_cannot_void(xapi, learner):
    target = statement(learner.agent)
    xapi.post(learner, target)
    response = xapi.post(learner, [statement(learner.agent), voiding(target["id"], learner.agent)])
    assert response.status_code == 403
    assert Statement.objects.count() == 1
    assert not Statement.objects.get().voided


def test_voiding_an_unknown_statement_is_accepted(xapi, admin_client_credential):
    assert xapi.post(admin_client_credential, voiding(uuid.uuid4())).status_code == 200
