"""cmi5 results into the attempt: completed/passed/failed update the AU and the attempt, moveOn decides when
the attempt is complete, ``package_attempt_updated`` goes out as the SCORM runtime sends it, and the LMS
records "satisfied" for the block and the course; waiving an AU; Review once an AU is done."""

from decimal import Decimal

import pytest

from core.signals import package_attempt_updated
from elearning.cmi5 import vocabulary as v
from elearning.cmi5.launch import cmi5_launch_start, cmi5_waive
from elearning.factories import PackageFactory
from elearning.models import PackageAttempt, ScoRuntime
from lrs.models import Statement
from partners.factories import partner_user

from .cmi5_au import Au

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    return partner_user()


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    package_attempt_updated.connect(receiver, dispatch_uid="test_cmi5_heard")
    yield calls
    package_attempt_updated.disconnect(dispatch_uid="test_cmi5_heard")


@pytest.fixture
def start(client, django_capture_on_commit_callbacks, ann):
    def make(package, **options):
        with django_capture_on_commit_callbacks(execute=True):
            session, token = cmi5_launch_start(user=ann, package=package, context="lesson:3", **options)
        return Au(client, session, token, django_capture_on_commit_callbacks).start()

    return make


def cmi5(**sample):
    return PackageFactory(standard="cmi5", sample=sample)


def test_completed_and_passed_complete_the_attempt_and_announce_it_with_the_score(start, heard, ann):
    package = cmi5(block_title="Basics")
    au = start(package)
    assert au.send(au.initialized(), au.answered()).status_code == 200
    assert heard == []
    assert au.send(au.completed()).status_code == 200
    attempt = PackageAttempt.objects.get()
    assert attempt.completion_status == "incomplete" and attempt.status == "in_progress"  # CompletedAndPassed
    assert heard[-1]["completed"] is False
    assert au.send(au.passed(0.9), au.terminated(75)).status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == "completed" and attempt.completion_status == "completed"
    assert attempt.success_status == "passed" and attempt.score_percent == Decimal("90.00")
    assert attempt.total_seconds == Decimal("75")
    last = heard[-1]
    assert last["sender"] is PackageAttempt and last["attempt"].pk == attempt.pk
    assert last["user"] == ann and last["context"] == "lesson:3"
    assert (last["completed"], last["passed"], last["score"]) == (True, True, Decimal("90.00"))
    row = ScoRuntime.objects.get(attempt=attempt)
    assert row.unit == au.session.unit and row.completion_status == "completed" and row.success_status == "passed"
    assert row.score_scaled == Decimal("0.9") and not row.in_session
    satisfied = Statement.objects.filter(verb_id=v.SATISFIED)
    kinds = {s.payload["object"]["definition"]["type"] for s in satisfied}
    assert kinds == {v.TYPE_BLOCK, v.TYPE_COURSE}
    course = satisfied.get(payload__object__definition__type=v.TYPE_COURSE).payload
    assert course["object"]["id"] == v.course_activity_id(package) != package.current_version.structure["course_id"]
    assert course["context"]["contextActivities"]["grouping"] == [
        {"id": package.current_version.structure["course_id"]}
    ]
    assert course["context"]["extensions"][v.EXT_SESSION] == str(au.session.session_id)


@pytest.mark.parametrize(
    ("move_on", "sent", "complete"),
    [
        ("Passed", ["passed"], True),
        ("Passed", ["completed"], False),
        ("Completed", ["completed"], True),
        ("Completed", ["failed"], False),
        ("CompletedAndPassed", ["passed"], False),
        ("CompletedAndPassed", ["completed", "passed"], True),
        ("CompletedOrPassed", ["passed"], True),
        ("CompletedOrPassed", ["completed"], True),
        ("CompletedOrPassed", ["failed"], False),
    ],
)
def test_move_on(start, heard, move_on, sent, complete):
    au = start(cmi5(move_on=move_on))
    verbs = {"completed": au.completed, "passed": lambda: au.passed(0.9), "failed": lambda: au.failed(0.1)}
    assert au.send(au.initialized(), *(verbs[name]() for name in sent)).status_code == 200
    attempt = PackageAttempt.objects.get()
    assert attempt.is_completed is complete
    assert heard[-1]["completed"] is complete
    assert Statement.objects.filter(verb_id=v.SATISFIED).exists() is complete


def test_not_applicable_is_met_when_the_registration_is_made(start, heard):
    au = start(cmi5(move_on="NotApplicable", mastery_score=None))
    attempt = PackageAttempt.objects.get()
    assert attempt.is_completed and heard[-1]["completed"] is True
    assert Statement.objects.filter(verb_id=v.SATISFIED).count() == 1
    assert au.send(au.initialized(), au.completed()).status_code == 200
    assert Statement.objects.filter(verb_id=v.SATISFIED).count() == 1  # once per registration


def test_failed_then_passed_later_counts_as_passed(start, heard):
    package = cmi5(move_on="Passed")
    first = start(package)
    assert first.send(first.initialized(), first.failed(0.5), first.terminated()).status_code == 200
    assert heard[-1]["passed"] is False and heard[-1]["completed"] is False
    assert heard[-1]["score"] == Decimal("50.00")
    second = start(package)
    assert second.send(second.initialized(), second.passed(1), second.terminated()).status_code == 200
    assert (heard[-1]["completed"], heard[-1]["passed"], heard[-1]["score"]) == (True, True, Decimal("100.00"))


def test_an_au_that_is_done_opens_in_review(start):
    package = cmi5(move_on="Completed")
    au = start(package)
    assert au.send(au.initialized(), au.completed(), au.terminated()).status_code == 200
    again = start(package)
    assert again.launch_data["launchMode"] == "Review"
    assert again.send(again.initialized(), again.terminated()).status_code == 200


def test_waiving_an_au_meets_its_move_on_once(start, heard, ann, django_capture_on_commit_callbacks):
    au = start(cmi5())
    attempt = PackageAttempt.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        cmi5_waive(attempt=attempt, unit=au.session.unit, reason="Tested Out")
    attempt.refresh_from_db()
    assert attempt.is_completed and heard[-1]["completed"] is True
    waived = Statement.objects.get(verb_id=v.WAIVED).payload
    assert waived["result"]["extensions"][v.EXT_REASON] == "Tested Out"
    assert waived["result"]["success"] is True and waived["result"]["completion"] is True
    assert waived["context"]["extensions"][v.EXT_SESSION] != str(au.session.session_id)
    with pytest.raises(Exception, match="waived already"):
        cmi5_waive(attempt=attempt, unit=au.session.unit)


def test_moving_learners_to_a_new_version_keeps_a_cmi5_attempt_and_its_results(start, heard, ann):
    from elearning.factories import package_zip
    from elearning.services import package_version_add

    package = cmi5()
    au = start(package)
    assert au.send(au.initialized(), au.completed()).status_code == 200
    attempt = PackageAttempt.objects.get()
    assert attempt.status == "in_progress" and attempt.completion_status == "incomplete"

    new = package_version_add(package=package, file=package_zip("cmi5"), user=None, move_learners=True)

    attempt.refresh_from_db()
    assert attempt.version == new and attempt.status == "in_progress"
    assert attempt.completion_status == "incomplete"  # by cmi5 moveOn, not reset as a SCORM attempt would be
    assert ScoRuntime.objects.get(attempt=attempt).completion_status == "completed"  # the AU's result is kept
    assert attempt.cmi5_registration.registration == au.session.registration.registration
