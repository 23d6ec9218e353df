"""SCORM 1.2's run-time data model: what a commit may hold, and how the hub reads it.

``check(cmi, given=..., mastery_score=...)`` refuses (``CmiError``) a lesson status, exit, entry,
credit or lesson mode outside its vocabulary, a score outside 0..100, a malformed ``CMITimespan``,
``suspend_data`` over 4096 characters, a location over 255, an interaction of an unknown type or
result, and any read-only element (``cmi.core.student_id``, ``credit``, ``lesson_mode``,
``cmi.launch_data``, ``cmi.student_data.*``, ``cmi.comments_from_lms``) set to anything but what the
launch gave the SCO. ``cmi.core.total_time`` is the hub's: the value the runtime sends is ignored
(the hub adds up session times itself).

The mastery rule (SCORM 1.2 RTE 3.4.4): when the manifest gives a mastery score, the learner takes
the SCO for credit, and the SCO reports a raw score but only ``completed`` (not passed or failed),
the status becomes ``passed`` when the raw score reaches the mastery score and ``failed`` otherwise.
"""

from decimal import Decimal

from .common import (
    CmiError,
    Reading,
    collection,
    decimal_or_none,
    obj,
    read_only,
    refuse_unknown,
    scaled_from_raw,
    text,
    timespan_12_seconds,
    vocabulary,
)

LESSON_STATUSES = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
EXITS = ("time-out", "suspend", "logout", "")
ENTRIES = ("ab-initio", "resume", "")
CREDITS = ("credit", "no-credit")
LESSON_MODES = ("browse", "normal", "review")
INTERACTION_TYPES = ("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric")
INTERACTION_RESULTS = ("correct", "wrong", "unanticipated", "neutral")
SUSPEND_DATA_MAX = 4096

TOP = {
    "core",
    "suspend_data",
    "launch_data",
    "comments",
    "comments_from_lms",
    "objectives",
    "student_data",
    "student_preference",
    "interactions",
}
CORE = {
    "student_id",
    "student_name",
    "lesson_location",
    "credit",
    "lesson_status",
    "entry",
    "score",
    "total_time",
    "lesson_mode",
    "exit",
    "session_time",
}
# entry is read-only too, but only its vocabulary is checked: what the hub would give changes with the first commit.
READ_ONLY_CORE = ("student_id", "student_name", "credit", "lesson_mode")
SCORE = {"raw", "min", "max"}


def check(cmi: dict, *, given: dict, mastery_score: float | None = None) -> Reading:
    """Check a committed SCORM 1.2 ``cmi`` object against the data model and read it (``CmiError`` if refused).

    ``given`` is the ``cmi`` object the launch loaded into the runtime (for the read-only elements).
    """
    cmi = obj("cmi", cmi)
    refuse_unknown("cmi", cmi, TOP)
    core = obj("cmi.core", cmi.get("core"))
    refuse_unknown("cmi.core", core, CORE)
    given_core = given.get("core", {})
    for name in READ_ONLY_CORE:
        defaults = ("normal",) if name == "lesson_mode" else ()
        read_only(f"cmi.core.{name}", core.get(name), given_core.get(name, ""), *defaults)
    vocabulary("cmi.core.credit", core.get("credit") or "credit", CREDITS)
    vocabulary("cmi.core.entry", core.get("entry") or "", ENTRIES)
    vocabulary("cmi.core.lesson_mode", core.get("lesson_mode") or "normal", LESSON_MODES)
    read_only("cmi.launch_data", cmi.get("launch_data"), given.get("launch_data", ""))
    read_only("cmi.comments_from_lms", cmi.get("comments_from_lms"), given.get("comments_from_lms", ""))
    student_data = obj("cmi.student_data", cmi.get("student_data"))
    refuse_unknown("cmi.student_data", student_data, {"mastery_score", "max_time_allowed", "time_limit_action"})
    for name, value in student_data.items():
        read_only(f"cmi.student_data.{name}", value, given.get("student_data", {}).get(name, ""))

    reading = Reading()
    status = core.get("lesson_status") or "not attempted"
    reading.lesson_status = vocabulary("cmi.core.lesson_status", status, LESSON_STATUSES)
    reading.exit = vocabulary("cmi.core.exit", core.get("exit") or "", EXITS)
    reading.location = text("cmi.core.lesson_location", core.get("lesson_location"), max_length=255)
    reading.suspend_data = text("cmi.suspend_data", cmi.get("suspend_data"), max_length=SUSPEND_DATA_MAX)
    text("cmi.comments", cmi.get("comments"), max_length=4096)
    session_time = text("cmi.core.session_time", core.get("session_time"))
    if session_time:
        reading.session_seconds = timespan_12_seconds("cmi.core.session_time", session_time)
    if core.get("total_time"):
        timespan_12_seconds("cmi.core.total_time", text("cmi.core.total_time", core["total_time"]))

    score = obj("cmi.core.score", core.get("score"))
    refuse_unknown("cmi.core.score", score, SCORE)
    reading.score_raw = decimal_or_none("cmi.core.score.raw", score.get("raw"), low=0, high=100)
    reading.score_min = decimal_or_none("cmi.core.score.min", score.get("min"), low=0, high=100)
    reading.score_max = decimal_or_none("cmi.core.score.max", score.get("max"), low=0, high=100)
    reading.score_scaled = scaled_from_raw(reading.score_raw, reading.score_min, reading.score_max)

    _check_preferences(obj("cmi.student_preference", cmi.get("student_preference")))
    _check_objectives(cmi.get("objectives"))
    reading.interactions_count = _check_interactions(cmi.get("interactions"))

    credit = (core.get("credit") or given_core.get("credit") or "credit") == "credit"
    if reading.lesson_status == "completed" and mastery_score is not None and reading.score_raw is not None and credit:
        reading.lesson_status = "passed" if reading.score_raw >= Decimal(str(mastery_score)) else "failed"
    reading.completion_status = {
        "passed": "completed",
        "completed": "completed",
        "failed": "completed",
        "incomplete": "incomplete",
        "browsed": "incomplete",
        "not attempted": "not attempted",
    }[reading.lesson_status]
    reading.success_status = reading.lesson_status if reading.lesson_status in ("passed", "failed") else "unknown"
    return reading


def _check_preferences(preferences: dict) -> None:
    refuse_unknown("cmi.student_preference", preferences, {"audio", "language", "speed", "text"})
    decimal_or_none("cmi.student_preference.audio", preferences.get("audio"), low=-1, high=100)
    decimal_or_none("cmi.student_preference.speed", preferences.get("speed"), low=-100, high=100)
    decimal_or_none("cmi.student_preference.text", preferences.get("text"), low=-1, high=1)
    text("cmi.student_preference.language", preferences.get("language"), max_length=255)


def _check_objectives(objectives) -> None:
    for index, objective in collection("cmi.objectives", objectives):
        name = f"cmi.objectives.{index}"
        refuse_unknown(name, objective, {"id", "score", "status"})
        text(f"{name}.id", objective.get("id"), max_length=255)
        if objective.get("status"):
            vocabulary(f"{name}.status", objective["status"], LESSON_STATUSES)
        score = obj(f"{name}.score", objective.get("score"))
        for part in ("raw", "min", "max"):
            decimal_or_none(f"{name}.score.{part}", score.get(part), low=0, high=100)


def _check_interactions(interactions) -> int:
    members = collection("cmi.interactions", interactions)
    for index, interaction in members:
        name = f"cmi.interactions.{index}"
        text(f"{name}.id", interaction.get("id"), max_length=255)
        if interaction.get("type"):
            vocabulary(f"{name}.type", interaction["type"], INTERACTION_TYPES)
        result = interaction.get("result")
        if result not in ("", None) and result not in INTERACTION_RESULTS:
            decimal_or_none(f"{name}.result", result)
        if interaction.get("latency"):
            timespan_12_seconds(f"{name}.latency", text(f"{name}.latency", interaction["latency"]))
        decimal_or_none(f"{name}.weighting", interaction.get("weighting"))
        text(f"{name}.student_response", interaction.get("student_response"), max_length=4096)
    return len(members)


__all__ = ["CmiError", "check"]
