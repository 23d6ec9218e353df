"""The SCORM runtime's services on real sample packages: launching and resuming, commits persisted per SCO,
time, the mastery rule, aggregation over SCOs, versions kept or moved, revocation and the signal."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from core.signals import access_revoked, package_attempt_updated
from elearning.cmi import CmiError
from elearning.factories import PackageFactory, add_version
from elearning.factories_runtime import commit_12, commit_2004, launched
from elearning.models import PackageAttempt, PackageLaunch, ScoRuntime
from elearning.runtime.selectors import initial_cmi, live_launch, token_hash, units_of
from elearning.services.runtime import attempts_move_to_version, launch_revoke, launch_start, runtime_commit
from partners.factories import UserFactory, partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    return partner_user(user__first_name="Ann", user__last_name="Doe")


@pytest.fixture
def scorm12():
    return PackageFactory(standard="scorm12", title="Security basics")


@pytest.fixture
def scorm2004():
    return PackageFactory(standard="scorm2004", title="Selling with partners", sample={"scos": 3})


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    package_attempt_updated.connect(receiver, dispatch_uid="test_runtime_heard")
    yield calls
    package_attempt_updated.disconnect(dispatch_uid="test_runtime_heard")


def unit_ids(package):
    return [unit["identifier"] for unit in units_of(package.current_version)]


# --- launching --------------------------------------------------------------------------------------------


def test_a_first_launch_starts_attempt_1_on_the_current_version_and_stores_only_the_tokens_hash(ann, scorm12):
    launch, token = launched(ann, scorm12, context="lesson:12")
    attempt = launch.attempt
    assert (attempt.number, attempt.version, attempt.context) == (1, scorm12.current_version, "lesson:12")
    assert launch.unit == "item-1" and len(token) >= 43
    assert launch.token_hash == token_hash(token) and token not in launch.token_hash
    assert live_launch(token) == launch


def test_a_second_launch_resumes_the_attempt_and_revokes_the_first(ann, scorm12):
    first, first_token = launched(ann, scorm12)
    second, second_token = launched(ann, scorm12)
    assert second.attempt == first.attempt
    assert live_launch(first_token) is None and live_launch(second_token) == second
    other_context, _ = launched(ann, scorm12, context="lesson:99")
    assert other_context.attempt != first.attempt


def test_a_retake_is_a_new_attempt_numbered_after_the_last(ann, scorm12):
    first, _ = launched(ann, scorm12)
    retake, _ = launched(ann, scorm12, new_attempt=True)
    assert retake.attempt.number == 2 and retake.attempt != first.attempt


def test_a_cmi5_package_or_a_unit_that_is_not_there_is_refused(ann, scorm12):
    cmi5 = PackageFactory(standard="cmi5")
    with pytest.raises(ValidationError):
        launch_start(user=ann, package=cmi5, context="x")
    with pytest.raises(ValidationError):
        launch_start(user=ann, package=scorm12, context="x", unit="nope")
    assert not PackageLaunch.objects.filter(user=ann, attempt__package=cmi5).exists()


def test_a_launch_slides_its_expiry_on_use_up_to_its_cap(ann, scorm12, settings):
    settings.PARTNERHUB_LAUNCH_SECONDS = 600
    settings.PARTNERHUB_LAUNCH_MAX_SECONDS = 1000
    start = timezone.now()
    launch, token = launch_start(user=ann, package=scorm12, context="x", now=start)
    assert launch.expires_at == start + timedelta(seconds=600)
    assert live_launch(token, now=start + timedelta(seconds=601)) is None
    from elearning.services.runtime import launch_touch

    launch_touch(launch=launch, now=start + timedelta(seconds=500))
    assert live_launch(token, now=start + timedelta(seconds=700)) is not None  # slid to +1000 (the cap)
    launch_touch(launch=launch, now=start + timedelta(seconds=900))
    assert live_launch(token, now=start + timedelta(seconds=1001)) is None  # never past the cap


def test_revoked_launches_and_learners_who_lost_access_have_no_live_launch(ann, scorm12):
    launch, token = launched(ann, scorm12)
    launch_revoke(launch=launch)
    assert live_launch(token) is None
    launch, token = launched(ann, scorm12)
    access_revoked.send(sender=type(ann), user_ids=[ann.pk])
    assert live_launch(token) is None
    launch, token = launched(ann, scorm12)
    ann.is_active = False
    ann.save()
    assert live_launch(token) is None


# --- SCORM 1.2 commits ------------------------------------------------------------------------------------


def test_a_12_commit_persists_the_cmi_and_its_columns(ann, scorm12, heard):
    launch, _ = launched(ann, scorm12)
    cmi = commit_12(
        launch,
        core={"lesson_status": "incomplete", "lesson_location": "q2", "exit": "suspend"},
        suspend_data='{"q1":"b"}',
        interactions={"0": {"id": "q1", "type": "choice", "student_response": "b", "result": "correct"}},
    )
    attempt = runtime_commit(launch=launch, unit="item-1", cmi=cmi, terminate=False)
    row = ScoRuntime.objects.get(attempt=attempt, unit="item-1")
    assert row.cmi == cmi
    assert (row.lesson_status, row.completion_status, row.location, row.suspend_data) == (
        "incomplete",
        "incomplete",
        "q2",
        '{"q1":"b"}',
    )
    assert (row.exit, row.entry, row.interactions_count, row.session_count) == ("suspend", "ab-initio", 1, 1)
    assert attempt.completion_status == "incomplete" and attempt.status == "in_progress"
    assert heard[-1] == {
        "signal": package_attempt_updated,
        "attempt": attempt,
        "user": ann,
        "context": "lesson:1",
        "completed": False,
        "passed": None,
        "score": None,
    }


def test_bad_cmi_is_refused_with_its_element_and_nothing_changes(ann, scorm12, heard):
    launch, _ = launched(ann, scorm12)
    runtime_commit(
        launch=launch, unit="item-1", cmi=commit_12(launch, core={"lesson_location": "q1"}), terminate=False
    )
    before = ScoRuntime.objects.get(attempt=launch.attempt)
    heard.clear()
    with pytest.raises(CmiError) as refused:
        runtime_commit(
            launch=launch,
            unit="item-1",
            cmi=commit_12(launch, core={"lesson_location": "q2", "lesson_status": "finished"}),
            terminate=True,
        )
    assert refused.value.element == "cmi.core.lesson_status"
    after = ScoRuntime.objects.get(attempt=launch.attempt)
    assert (after.location, after.cmi, after.session_count) == (before.location, before.cmi, before.session_count)
    assert heard == []


def test_12_mastery_score_makes_a_completed_sco_passed_or_failed(ann, scorm12, heard):
    launch, _ = launched(ann, scorm12)  # the sample's mastery score is 80
    cmi = commit_12(launch, core={"lesson_status": "completed", "score": {"raw": "85", "min": "0", "max": "100"}})
    attempt = runtime_commit(launch=launch, unit="item-1", cmi=cmi, terminate=True)
    assert ScoRuntime.objects.get(attempt=attempt).lesson_status == "passed"
    assert (attempt.completion_status, attempt.success_status, attempt.score_percent) == (
        "completed",
        "passed",
        Decimal("85.00"),
    )
    assert attempt.completed_at and attempt.passed_at and attempt.status == "completed"
    assert heard[-1]["completed"] is True and heard[-1]["passed"] is True and heard[-1]["score"] == Decimal("85.00")

    other, _ = launched(UserFactory(), scorm12)
    cmi = commit_12(other, core={"lesson_status": "completed", "score": {"raw": "60"}})
    attempt = runtime_commit(launch=other, unit="item-1", cmi=cmi, terminate=True)
    assert (attempt.completion_status, attempt.success_status) == ("completed", "failed")


def test_total_time_adds_session_times_when_a_session_terminates(ann, scorm12):
    launch, _ = launched(ann, scorm12)
    runtime_commit(
        launch=launch, unit="item-1", cmi=commit_12(launch, core={"session_time": "00:01:00"}), terminate=False
    )
    row = ScoRuntime.objects.get(attempt=launch.attempt)
    assert row.total_seconds == 0 and row.in_session  # not until the session ends
    runtime_commit(
        launch=launch, unit="item-1", cmi=commit_12(launch, core={"session_time": "00:02:30.5"}), terminate=True
    )
    launch, _ = launched(ann, scorm12)  # another session, another device
    assert (
        initial_cmi(attempt=launch.attempt, unit=units_of(launch.attempt.version)[0], row=ScoRuntime.objects.get())[
            "core"
        ]["total_time"]
        == "0000:02:30.50"
    )
    attempt = runtime_commit(
        launch=launch, unit="item-1", cmi=commit_12(launch, core={"session_time": "00:00:10"}), terminate=True
    )
    row = ScoRuntime.objects.get(attempt=attempt)
    assert row.total_seconds == Decimal("160.50") and row.session_count == 2
    assert attempt.total_seconds == Decimal("160.50")


def test_resume_loads_the_stored_suspend_data_location_and_entry_resume(ann, scorm12):
    launch, _ = launched(ann, scorm12)
    runtime_commit(
        launch=launch,
        unit="item-1",
        cmi=commit_12(
            launch, core={"lesson_location": "q2", "exit": "suspend", "lesson_status": "incomplete"}, suspend_data="S"
        ),
        terminate=True,
    )
    again, _ = launched(ann, scorm12)
    cmi = initial_cmi(attempt=again.attempt, unit=units_of(again.attempt.version)[0], row=ScoRuntime.objects.get())
    assert cmi["core"]["entry"] == "resume" and cmi["core"]["lesson_location"] == "q2"
    assert cmi["suspend_data"] == "S" and cmi["core"]["lesson_status"] == "incomplete"
    assert cmi["core"]["student_name"] == "Doe, Ann" and cmi["student_data"]["mastery_score"] == "80"
    assert "exit" not in cmi["core"] and "session_time" not in cmi["core"]


# --- SCORM 2004: several SCOs ----------------------------------------------------------------------------


def finish_2004(launch, unit, *, scaled: str, terminate=True):
    cmi = commit_2004(
        launch,
        unit,
        completion_status="completed",
        progress_measure="1",
        score={"scaled": scaled, "raw": "", "min": "", "max": ""},
        exit="normal",
        session_time="PT10S",
    )
    return runtime_commit(launch=launch, unit=unit, cmi=cmi, terminate=terminate)


def test_2004_attempt_completes_when_every_sco_has_and_passes_when_every_judged_sco_passed(ann, scorm2004, heard):
    one, two, three = unit_ids(scorm2004)
    launch, _ = launched(ann, scorm2004)
    assert launch.unit == one
    attempt = finish_2004(launch, one, scaled="1")
    assert (attempt.completion_status, attempt.success_status) == ("incomplete", "passed")
    assert attempt.score_percent == Decimal("100.00") and attempt.score_raw is None
    attempt = finish_2004(launch, two, scaled="0.8")
    assert attempt.completion_status == "incomplete"
    attempt = finish_2004(launch, three, scaled="0.9")
    assert (attempt.completion_status, attempt.success_status, attempt.status) == ("completed", "passed", "completed")
    assert attempt.score_percent == Decimal("90.00")  # the mean of 1, 0.8 and 0.9
    assert attempt.total_seconds == Decimal("30.00")
    assert heard[-1]["completed"] is True and heard[-1]["passed"] is True


def test_2004_one_failed_sco_fails_the_attempt_and_completion_is_kept_once_reached(ann, scorm2004):
    one, two, three = unit_ids(scorm2004)
    launch, _ = launched(ann, scorm2004)
    finish_2004(launch, one, scaled="1")
    finish_2004(launch, two, scaled="0")  # below the passing score 0.8
    attempt = finish_2004(launch, three, scaled="1")
    assert (attempt.completion_status, attempt.success_status) == ("completed", "failed")
    # A new attempt of SCO one in the same package attempt reports incomplete: the SCO stays completed.
    attempt = runtime_commit(
        launch=launch, unit=one, cmi=commit_2004(launch, one, completion_status="incomplete"), terminate=True
    )
    assert attempt.completion_status == "completed"


def test_2004_resume_at_the_suspended_sco_else_the_first_not_completed(ann, scorm2004):
    one, two, three = unit_ids(scorm2004)
    launch, _ = launched(ann, scorm2004)
    finish_2004(launch, one, scaled="1")
    launch, _ = launched(ann, scorm2004)
    assert launch.unit == two  # the first not completed
    launch, _ = launched(ann, scorm2004, unit=three)
    runtime_commit(
        launch=launch,
        unit=three,
        cmi=commit_2004(launch, three, exit="suspend", location="answered", suspend_data='{"answer":"b"}'),
        terminate=True,
    )
    again, _ = launched(ann, scorm2004)
    assert again.unit == three  # where they left off, suspended
    row = ScoRuntime.objects.get(attempt=again.attempt, unit=three)
    cmi = initial_cmi(attempt=again.attempt, unit=units_of(again.attempt.version)[2], row=row)
    assert (cmi["entry"], cmi["location"], cmi["suspend_data"]) == ("resume", "answered", '{"answer":"b"}')
    # After a normal exit, SCORM 2004 starts a new attempt of the SCO: nothing carried over but the total time.
    row = ScoRuntime.objects.get(attempt=again.attempt, unit=one)
    cmi = initial_cmi(attempt=again.attempt, unit=units_of(again.attempt.version)[0], row=row)
    assert cmi["entry"] == "ab-initio" and "suspend_data" not in cmi and cmi["total_time"] == "PT0H0M10S"


def test_2004_scaled_passing_score_and_completion_threshold_come_from_the_manifest(ann, scorm2004):
    two = unit_ids(scorm2004)[1]
    launch, _ = launched(ann, scorm2004)
    cmi = initial_cmi(attempt=launch.attempt, unit=units_of(launch.attempt.version)[1], row=None)
    assert cmi["scaled_passing_score"] == "0.8" and cmi["completion_threshold"] == "1"
    attempt = runtime_commit(
        launch=launch,
        unit=two,
        cmi=commit_2004(launch, two, completion_status="completed", progress_measure="0.5", success_status="passed"),
        terminate=False,
    )
    row = ScoRuntime.objects.get(attempt=attempt, unit=two)
    assert (row.completion_status, row.success_status) == ("incomplete", "unknown")


# --- versions -----------------------------------------------------------------------------------------------


def test_a_learner_mid_way_keeps_their_version_and_is_moved_when_the_editor_chooses(ann, scorm2004):
    one = unit_ids(scorm2004)[0]
    launch, _ = launched(ann, scorm2004)
    finish_2004(launch, one, scaled="1")
    first_version = scorm2004.current_version
    add_version(scorm2004, scos=2)  # made current; learners not moved
    scorm2004.refresh_from_db()
    again, token = launched(ann, scorm2004)
    assert again.attempt.version == first_version
    newcomer, _ = launched(UserFactory(), scorm2004)
    assert newcomer.attempt.version == scorm2004.current_version

    moved = attempts_move_to_version(package=scorm2004, version=scorm2004.current_version)
    attempt = PackageAttempt.objects.get(pk=again.attempt.pk)
    assert moved == 1 and attempt.version == scorm2004.current_version
    assert live_launch(token) is None  # the old player showed the old files
    assert ScoRuntime.objects.get(attempt=attempt, unit=one).completion_status == "completed"  # data kept
    assert attempt.completion_status == "incomplete"  # 1 of the 2 SCOs of the new version


def test_publishing_a_version_with_move_learners_moves_attempts_in_progress_not_completed_ones(ann, scorm12):
    from elearning.services import package_version_make_current

    mid_way, _ = launched(ann, scorm12)
    runtime_commit(launch=mid_way, unit="item-1", cmi=commit_12(mid_way, core={"exit": "suspend"}), terminate=True)
    done, _ = launched(UserFactory(), scorm12)
    finished = commit_12(done, core={"lesson_status": "completed", "score": {"raw": "90"}})
    runtime_commit(launch=done, unit="item-1", cmi=finished, terminate=True)
    first_version = scorm12.current_version
    second = add_version(scorm12, make_current=False)
    package_version_make_current(package=scorm12, version=second, move_learners=True)
    assert PackageAttempt.objects.get(pk=mid_way.attempt_id).version == second
    assert PackageAttempt.objects.get(pk=done.attempt_id).version == first_version
