"""The cmi5 statement rules (cmi5 §9) the LRS applies to a cmi5 session's credential: each broken rule is a
403 and nothing of the batch is stored; what the rules allow is stored as sent."""

import json
from decimal import Decimal

import pytest

from elearning.cmi5 import vocabulary as v
from elearning.cmi5.launch import cmi5_launch_start
from elearning.factories import PackageFactory
from lrs.factories import launch_credential, statement
from lrs.models import Statement
from lrs.policies import statement_policies
from partners.factories import partner_user

from .cmi5_au import Au

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    return partner_user()


@pytest.fixture
def package():
    return PackageFactory(standard="cmi5")


@pytest.fixture
def launch(client, django_capture_on_commit_callbacks, ann, package):
    def make(**options):
        session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1", **options)
        return Au(client, session, token, django_capture_on_commit_callbacks).start()

    return make


def au_statements(au):
    return Statement.objects.filter(credential__cmi5_session=au.session)


def refused(au, *statements, message=""):
    before = Statement.objects.count()
    response = au.send(*statements)
    assert response.status_code == 403, response.content
    assert message in response.json()["detail"]
    assert Statement.objects.count() == before
    return response


def test_the_policy_is_registered_with_the_lrs():
    assert any(policy.__name__ == "cmi5_statement_policy" for policy in statement_policies())


def test_a_whole_session_as_the_spec_has_it_is_stored_as_sent(launch):
    au = launch()
    statements = [au.initialized(), au.answered(), au.completed(), au.passed(0.9), au.terminated()]
    for sent in statements:
        assert au.send(sent).status_code == 200
    assert au_statements(au).count() == 5
    stored = Statement.objects.get(id=statements[3]["id"])
    assert stored.payload["result"] == statements[3]["result"]


def test_the_first_statement_is_initialized(launch):
    au = launch()
    refused(au, au.answered(), message='the first statement of a session is "initialized"')
    refused(au, au.completed())
    refused(au, au.statement(v.INITIALIZED, defined=False))  # initialized, but not cmi5 defined


def test_every_statement_carries_the_session_id_and_the_registration(launch):
    au = launch()
    statement = au.initialized()
    del statement["context"]["extensions"][v.EXT_SESSION]
    refused(au, statement, message="session id")
    statement = au.initialized()
    statement["context"]["extensions"][v.EXT_SESSION] = "another-session"
    refused(au, statement, message="session id")
    statement = au.initialized()
    del statement["context"]["registration"]
    assert au.send(statement).status_code == 403  # the credential's own registration rule
    statement = au.initialized()
    del statement["context"]["contextActivities"]["grouping"]
    refused(au, statement, message="publisher id")


def test_nothing_follows_terminated(launch):
    au = launch()
    assert au.send(au.initialized()).status_code == 200
    assert au.send(au.terminated()).status_code == 200
    refused(au, au.answered(), message="terminated")
    refused(au, au.completed(), message="terminated")


def test_verbs_are_not_repeated_in_a_session_and_the_lms_verbs_are_not_the_aus(launch):
    au = launch()
    assert au.send(au.initialized()).status_code == 200
    refused(au, au.initialized(), message="sent already in this session")
    refused(au, au.statement(v.SATISFIED), message="not a verb an AU may use")
    refused(au, au.statement(v.LAUNCHED), message="not a verb an AU may use")
    refused(au, au.passed(0.9), au.failed(0.1), message='only one of "passed" and "failed"')


def test_a_defined_statement_is_about_the_launched_au(launch):
    au = launch()
    assert au.send(au.initialized()).status_code == 200
    other = au.completed()
    other["object"]["id"] = au.params["activityId"] + "/elsewhere"
    refused(au, other, message="about the launched AU")


def test_results_follow_the_verb(launch):
    au = launch()
    assert au.send(au.initialized()).status_code == 200
    no_duration = au.completed()
    del no_duration["result"]["duration"]
    refused(au, no_duration, message="needs result.duration")
    no_completion = au.statement(v.COMPLETED, result={"duration": "PT1S"})
    refused(au, no_completion, message="completion")
    no_moveon = au.statement(v.COMPLETED, result={"completion": True, "duration": "PT1S"}, moveon=False)
    refused(au, no_moveon, message="moveOn category")
    passed_false = au.statement(v.PASSED, result={"success": False, "duration": "PT1S"})
    refused(au, passed_false, message="needs result.success true")
    scored_completed = au.statement(
        v.COMPLETED, result={"completion": True, "duration": "PT1S", "score": {"scaled": 1}}
    )
    refused(au, scored_completed, message="has no score")
    terminated = au.statement(v.TERMINATED, result={})
    refused(au, terminated, message="needs result.duration")


def test_passed_and_failed_follow_the_mastery_score(launch):
    au = launch()
    assert au.session.mastery_score == Decimal("0.8")
    assert au.send(au.initialized()).status_code == 200
    refused(au, au.passed(0.79), message="below the masteryScore")
    refused(au, au.failed(0.8), message="at or above the masteryScore")
    wrong_mastery = au.passed(0.9)
    wrong_mastery["context"]["extensions"][v.EXT_MASTERY] = 0.5
    refused(au, wrong_mastery, message="masteryScore extension")
    right_mastery = au.passed(0.8)
    right_mastery["context"]["extensions"][v.EXT_MASTERY] = 0.8
    assert au.send(right_mastery).status_code == 200


def test_completed_and_passed_once_per_registration_and_no_failed_after_passed(launch):
    au = launch()
    assert au.send(au.initialized(), au.completed(), au.passed(), au.terminated()).status_code == 200
    again = launch(launch_mode="Normal")
    assert again.session.registration_id == au.session.registration_id
    assert again.send(again.initialized()).status_code == 200
    refused(again, again.completed(), message='"completed" was sent already in this registration')
    refused(again, again.passed(), message='"passed" was sent already in this registration')
    refused(again, again.failed(), message='"failed" cannot follow "passed"')


def test_failed_may_be_followed_by_passed_in_a_later_session(launch):
    au = launch()
    assert au.send(au.initialized(), au.failed(0.2), au.terminated()).status_code == 200
    again = launch()
    assert again.send(again.initialized(), again.passed(0.9), again.terminated()).status_code == 200


def test_browse_and_review_record_no_results(launch):
    au = launch(launch_mode="Browse")
    assert au.launch_data["launchMode"] == "Browse"
    assert au.send(au.initialized()).status_code == 200
    refused(au, au.completed(), message="in Browse mode")
    assert au.send(au.answered(), au.terminated()).status_code == 200


def test_one_bad_statement_refuses_the_whole_batch(launch):
    au = launch()
    before = Statement.objects.count()
    response = au.send(au.initialized(), au.completed(), au.passed(0.1))
    assert response.status_code == 403 and "statement[2]" in response.json()["detail"]
    assert Statement.objects.count() == before


def test_a_statement_sent_again_unchanged_is_not_refused(launch):
    au = launch()
    initialized = au.initialized()
    assert au.send(initialized).status_code == 200
    assert au.send(initialized).status_code == 200
    assert au_statements(au).count() == 1


def test_an_abandoned_session_can_send_nothing(launch):
    au = launch()
    assert au.send(au.initialized()).status_code == 200
    launch()  # the learner opens it elsewhere: this session is abandoned, its credential revoked
    assert au.send(au.answered()).status_code == 401
    assert au_statements(au).count() == 1


def test_other_credentials_are_left_alone(client):
    issued = launch_credential()
    response = client.post(
        "/xapi/statements",
        json.dumps(statement(issued.agent)),
        content_type="application/json",
        **issued.headers,
    )
    assert response.status_code == 200
