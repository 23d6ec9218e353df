"""The SCORM data models as the hub checks them on every commit: vocabularies, ranges, formats, limits,
read-only elements, and the evaluation rules (1.2 mastery score, 2004 threshold and passing score)."""

from decimal import Decimal

import pytest

from elearning.cmi import CmiError, scorm12, scorm2004
from elearning.cmi.common import (
    duration_2004_seconds,
    seconds_as_duration_2004,
    seconds_as_timespan_12,
    timespan_12_seconds,
)
from elearning.cmi.initial import initial_12, initial_2004

UNIT = {"identifier": "sco-1", "mastery_score": 80.0, "data_from_lms": "mode=quiz", "completion_threshold": None}


def given_12(**stored):
    return initial_12(
        learner_id="7", learner_name="Doe, Ann", unit=UNIT, stored=stored or None, total_seconds=0, entry="ab-initio"
    )


def commit_12(**core):
    """A commit as scorm-again renders it (``renderCommitCMI``), with ``core`` changes."""
    cmi = given_12()
    cmi["core"] = {**cmi["core"], "exit": "", "session_time": "00:00:00", **core}
    return cmi


def given_2004(unit=None, **extra):
    unit = unit or {"identifier": "item-1", "mastery_score": 70.0, "completion_threshold": 0.8}
    return initial_2004(
        learner_id="7", learner_name="Ann Doe", unit=unit, stored=None, total_seconds=0, entry="ab-initio"
    )


def commit_2004(**changes):
    cmi = {**given_2004(), "completion_status": "unknown", "success_status": "unknown", "exit": "", **changes}
    cmi.setdefault("score", {"scaled": "", "raw": "", "min": "", "max": ""})
    return cmi


# --- SCORM 1.2 ------------------------------------------------------------------------------------------


def test_a_12_commit_reads_status_score_location_suspend_data_and_interactions():
    cmi = commit_12(lesson_status="incomplete", lesson_location="q2", score={"raw": "50", "min": "0", "max": "100"})
    cmi["suspend_data"] = '{"q1": "b"}'
    cmi["interactions"] = {"0": {"id": "q1", "type": "choice", "student_response": "b", "result": "correct"}}
    reading = scorm12.check(cmi, given=given_12(), mastery_score=80)
    assert reading.lesson_status == "incomplete" and reading.completion_status == "incomplete"
    assert reading.location == "q2" and reading.suspend_data == '{"q1": "b"}'
    assert reading.score_raw == Decimal(50) and reading.score_scaled == Decimal("0.5")
    assert reading.interactions_count == 1


@pytest.mark.parametrize(
    ("raw", "expected"), [("85", "passed"), ("80", "passed"), ("79.5", "failed")], ids=["above", "equal", "below"]
)
def test_12_mastery_score_turns_completed_with_a_score_into_passed_or_failed(raw, expected):
    reading = scorm12.check(
        commit_12(lesson_status="completed", score={"raw": raw}), given=given_12(), mastery_score=80
    )
    assert reading.lesson_status == expected
    assert reading.success_status == expected and reading.completion_status == "completed"


def test_12_mastery_score_leaves_a_reported_pass_or_fail_and_a_status_without_score_alone():
    reading = scorm12.check(commit_12(lesson_status="passed", score={"raw": "10"}), given=given_12(), mastery_score=80)
    assert reading.lesson_status == "passed"
    reading = scorm12.check(commit_12(lesson_status="completed"), given=given_12(), mastery_score=80)
    assert reading.lesson_status == "completed" and reading.success_status == "unknown"
    reading = scorm12.check(commit_12(lesson_status="completed", score={"raw": "90"}), given=given_12())
    assert reading.lesson_status == "completed"  # no mastery score in the manifest


@pytest.mark.parametrize(
    ("changes", "element"),
    [
        ({"lesson_status": "done"}, "cmi.core.lesson_status"),
        ({"exit": "normal"}, "cmi.core.exit"),  # a 2004 word, not 1.2's
        ({"score": {"raw": "101"}}, "cmi.core.score.raw"),
        ({"score": {"raw": "-1"}}, "cmi.core.score.raw"),
        ({"score": {"raw": "lots"}}, "cmi.core.score.raw"),
        ({"session_time": "PT5M"}, "cmi.core.session_time"),
        ({"session_time": "00:61:00"}, "cmi.core.session_time"),
        ({"lesson_location": "x" * 256}, "cmi.core.lesson_location"),
        ({"student_id": "someone-else"}, "cmi.core.student_id"),
        ({"credit": "no-credit"}, "cmi.core.credit"),
        ({"lesson_mode": "review"}, "cmi.core.lesson_mode"),
        ({"entry": "later"}, "cmi.core.entry"),
        ({"colour": "red"}, "cmi.core.colour"),
    ],
)
def test_12_refuses_what_the_data_model_does_not_allow_naming_the_element(changes, element):
    with pytest.raises(CmiError) as refused:
        scorm12.check(commit_12(**changes), given=given_12(), mastery_score=80)
    assert refused.value.element == element


def test_12_suspend_data_is_limited_to_4096_characters():
    cmi = commit_12()
    cmi["suspend_data"] = "x" * 4096
    scorm12.check(cmi, given=given_12())
    cmi["suspend_data"] = "x" * 4097
    with pytest.raises(CmiError, match="4096") as refused:
        scorm12.check(cmi, given=given_12())
    assert refused.value.element == "cmi.suspend_data"


@pytest.mark.parametrize(
    ("path", "value", "element"),
    [
        (("launch_data",), "other", "cmi.launch_data"),
        (("student_data", "mastery_score"), "10", "cmi.student_data.mastery_score"),
        (("comments_from_lms",), "hi", "cmi.comments_from_lms"),
        (("interactions", "0"), {"id": "q", "type": "essay"}, "cmi.interactions.0.type"),
        (("interactions", "0"), {"id": "q", "result": "maybe"}, "cmi.interactions.0.result"),
        (("interactions", "0"), {"id": "q", "latency": "1 minute"}, "cmi.interactions.0.latency"),
        (("objectives", "0"), {"id": "o", "status": "great"}, "cmi.objectives.0.status"),
    ],
)
def test_12_refuses_read_only_elements_changed_and_bad_collection_members(path, value, element):
    cmi = commit_12()
    target = cmi
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    with pytest.raises(CmiError) as refused:
        scorm12.check(cmi, given=given_12())
    assert refused.value.element == element


def test_12_read_only_elements_may_come_back_as_given_and_total_time_is_the_hubs():
    cmi = commit_12(total_time="0001:00:00.00")  # what the runtime computes at the end; the hub adds up itself
    assert scorm12.check(cmi, given=given_12()).lesson_status == "not attempted"


# --- SCORM 2004 ------------------------------------------------------------------------------------------


def test_2004_scaled_passing_score_decides_success_from_the_scaled_score():
    reading = scorm2004.check(commit_2004(score={"scaled": "0.7"}), given=given_2004(), scaled_passing_score=0.7)
    assert reading.success_status == "passed"
    reading = scorm2004.check(
        commit_2004(score={"scaled": "0.69"}, success_status="passed"), given=given_2004(), scaled_passing_score=0.7
    )
    assert reading.success_status == "failed"  # the SCO's own word does not count against the manifest's
    reading = scorm2004.check(commit_2004(success_status="passed"), given=given_2004(), scaled_passing_score=0.7)
    assert reading.success_status == "unknown"  # a passing score but no scaled score
    reading = scorm2004.check(commit_2004(success_status="passed"), given=given_2004())
    assert reading.success_status == "passed"


def test_2004_completion_threshold_decides_completion_from_the_progress_measure():
    given = given_2004()
    reading = scorm2004.check(commit_2004(progress_measure="0.8"), given=given, completion_threshold=0.8)
    assert reading.completion_status == "completed"
    reading = scorm2004.check(
        commit_2004(progress_measure="0.5", completion_status="completed"), given=given, completion_threshold=0.8
    )
    assert reading.completion_status == "incomplete"
    reading = scorm2004.check(commit_2004(completion_status="completed"), given=given, completion_threshold=0.8)
    assert reading.completion_status == "completed"  # no measure: the SCO's status


def test_2004_reads_score_location_suspend_data_session_time():
    cmi = commit_2004(
        score={"scaled": "0.9", "raw": "9", "min": "0", "max": "10"},
        location="page-4",
        suspend_data="s" * 64000,
        session_time="PT1H2M3.5S",
        exit="suspend",
    )
    reading = scorm2004.check(cmi, given=given_2004())
    assert reading.score_scaled == Decimal("0.9") and reading.score_raw == Decimal(9)
    assert reading.location == "page-4" and len(reading.suspend_data) == 64000
    assert reading.session_seconds == Decimal("3723.5") and reading.exit == "suspend"


@pytest.mark.parametrize(
    ("changes", "element"),
    [
        ({"completion_status": "done"}, "cmi.completion_status"),
        ({"success_status": "great"}, "cmi.success_status"),
        ({"exit": "time-out"}, "cmi.exit"),  # 1.2's word
        ({"entry": "again"}, "cmi.entry"),
        ({"score": {"scaled": "1.5"}}, "cmi.score.scaled"),
        ({"score": {"raw": "11", "min": "0", "max": "10"}}, "cmi.score.raw"),
        ({"progress_measure": "2"}, "cmi.progress_measure"),
        ({"session_time": "00:05:00"}, "cmi.session_time"),
        ({"session_time": "PT"}, "cmi.session_time"),
        ({"suspend_data": "s" * 64001}, "cmi.suspend_data"),
        ({"location": "l" * 1001}, "cmi.location"),
        ({"learner_id": "8"}, "cmi.learner_id"),
        ({"scaled_passing_score": "0.1"}, "cmi.scaled_passing_score"),
        ({"completion_threshold": "0.1"}, "cmi.completion_threshold"),
        ({"mode": "browse"}, "cmi.mode"),
        ({"interactions": {"0": {"id": "q", "type": "essay"}}}, "cmi.interactions.0.type"),
        ({"interactions": {"0": {"id": "q", "result": "wrong"}}}, "cmi.interactions.0.result"),  # 1.2's word
        ({"favourite": "x"}, "cmi.favourite"),
    ],
)
def test_2004_refuses_what_the_data_model_does_not_allow_naming_the_element(changes, element):
    with pytest.raises(CmiError) as refused:
        scorm2004.check(commit_2004(**changes), given=given_2004())
    assert refused.value.element == element


# --- durations --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"), [("00:00:05", 5), ("0001:30:00.5", 5400.5), ("9999:59:59.99", Decimal("35999999.99"))]
)
def test_cmitimespan(text, seconds):
    assert timespan_12_seconds("e", text) == Decimal(str(seconds))


@pytest.mark.parametrize(
    ("text", "seconds"), [("PT5S", 5), ("PT1H30M", 5400), ("P1DT0.25S", Decimal("86400.25")), ("P1Y", 365 * 86400)]
)
def test_iso_8601_durations(text, seconds):
    assert duration_2004_seconds("e", text) == Decimal(str(seconds))


def test_durations_written_back_read_again():
    assert seconds_as_timespan_12(Decimal("3723.5")) == "0001:02:03.50"
    assert duration_2004_seconds("e", seconds_as_duration_2004(Decimal("3723.5"))) == Decimal("3723.5")
