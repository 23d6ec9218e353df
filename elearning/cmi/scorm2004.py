"""SCORM 2004's run-time data model: what a commit may hold, and how the hub reads it.

``check(cmi, given=..., completion_threshold=..., scaled_passing_score=...)`` refuses
(``CmiError``) a completion status, success status, exit or entry outside its vocabulary, a
``score.scaled`` outside -1..1 (or raw outside min..max), a ``progress_measure`` outside 0..1, a
malformed ISO 8601 duration, ``suspend_data`` over 64000 characters, a location over 1000, an
interaction of an unknown type or result, and any read-only element (``cmi.learner_id``,
``learner_name``, ``credit``, ``mode``, ``launch_data``, ``completion_threshold``,
``scaled_passing_score``, ``max_time_allowed``, ``time_limit_action``, ``comments_from_lms``)
set to anything but what the launch gave the SCO. ``cmi.total_time`` is the hub's (ignored).

Evaluation (SCORM 2004 4th ed., RTE 4.2.4.1 and 4.2.22.1): with a completion threshold from the
manifest and a progress measure, the completion status is ``completed`` when the measure reaches the
threshold, else ``incomplete``; with a scaled passing score and a scaled score, the success status is
``passed`` when the score reaches it, else ``failed`` (``unknown`` without a score).
"""

from decimal import Decimal

from .common import (
    CmiError,
    Reading,
    collection,
    decimal_or_none,
    duration_2004_seconds,
    obj,
    read_only,
    refuse_unknown,
    scaled_from_raw,
    text,
    vocabulary,
)

COMPLETION_STATUSES = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS_STATUSES = ("passed", "failed", "unknown")
EXITS = ("timeout", "suspend", "logout", "normal", "")
ENTRIES = ("ab-initio", "resume", "")
INTERACTION_TYPES = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "likert",
    "matching",
    "performance",
    "sequencing",
    "numeric",
    "other",
)
INTERACTION_RESULTS = ("correct", "incorrect", "unanticipated", "neutral")
SUSPEND_DATA_MAX = 64000
LOCATION_MAX = 1000

TOP = {
    "comments_from_learner",
    "comments_from_lms",
    "completion_status",
    "completion_threshold",
    "credit",
    "entry",
    "exit",
    "interactions",
    "launch_data",
    "learner_id",
    "learner_name",
    "learner_preference",
    "location",
    "max_time_allowed",
    "mode",
    "objectives",
    "progress_measure",
    "scaled_passing_score",
    "score",
    "session_time",
    "success_status",
    "suspend_data",
    "time_limit_action",
    "total_time",
}
# Read-only elements, with the runtime's own default besides what the launch gave (``entry``: its vocabulary
# only, as what the hub would give changes with the first commit).
READ_ONLY = {
    "learner_id": (),
    "learner_name": (),
    "credit": ("credit",),
    "mode": ("normal",),
    "launch_data": (),
    "completion_threshold": (),
    "scaled_passing_score": (),
    "max_time_allowed": (),
    "time_limit_action": ("continue,no message",),
    "comments_from_lms": (),
}


def check(
    cmi: dict,
    *,
    given: dict,
    completion_threshold: float | None = None,
    scaled_passing_score: float | None = None,
) -> Reading:
    """Check a committed SCORM 2004 ``cmi`` object against the data model and read it (``CmiError`` if refused)."""
    cmi = obj("cmi", cmi)
    refuse_unknown("cmi", cmi, TOP)
    for name, defaults in READ_ONLY.items():
        read_only(f"cmi.{name}", cmi.get(name), given.get(name, ""), *defaults)
    vocabulary("cmi.entry", cmi.get("entry") or "", ENTRIES)

    reading = Reading()
    reported_completion = vocabulary(
        "cmi.completion_status", cmi.get("completion_status") or "unknown", COMPLETION_STATUSES
    )
    reported_success = vocabulary("cmi.success_status", cmi.get("success_status") or "unknown", SUCCESS_STATUSES)
    reading.exit = vocabulary("cmi.exit", cmi.get("exit") or "", EXITS)
    reading.location = text("cmi.location", cmi.get("location"), max_length=LOCATION_MAX)
    reading.suspend_data = text("cmi.suspend_data", cmi.get("suspend_data"), max_length=SUSPEND_DATA_MAX)
    reading.progress_measure = decimal_or_none("cmi.progress_measure", cmi.get("progress_measure"), low=0, high=1)
    session_time = text("cmi.session_time", cmi.get("session_time"))
    if session_time:
        reading.session_seconds = duration_2004_seconds("cmi.session_time", session_time)
    if cmi.get("total_time"):
        duration_2004_seconds("cmi.total_time", text("cmi.total_time", cmi["total_time"]))

    score = obj("cmi.score", cmi.get("score"))
    refuse_unknown("cmi.score", score, {"scaled", "raw", "min", "max"})
    reading.score_scaled = decimal_or_none("cmi.score.scaled", score.get("scaled"), low=-1, high=1)
    reading.score_min = decimal_or_none("cmi.score.min", score.get("min"))
    reading.score_max = decimal_or_none("cmi.score.max", score.get("max"))
    low, high = reading.score_min, reading.score_max
    reading.score_raw = decimal_or_none("cmi.score.raw", score.get("raw"), low=low, high=high)
    if reading.score_scaled is None and reading.score_raw is not None and reading.score_max is not None:
        reading.score_scaled = scaled_from_raw(reading.score_raw, reading.score_min, reading.score_max)

    _check_preferences(obj("cmi.learner_preference", cmi.get("learner_preference")))
    _check_comments(cmi.get("comments_from_learner"))
    _check_objectives(cmi.get("objectives"))
    reading.interactions_count = _check_interactions(cmi.get("interactions"))

    reading.completion_status = reported_completion
    if completion_threshold is not None and reading.progress_measure is not None:
        reading.completion_status = (
            "completed" if reading.progress_measure >= Decimal(str(completion_threshold)) else "incomplete"
        )
    reading.success_status = reported_success
    if scaled_passing_score is not None:
        if reading.score_scaled is None:
            reading.success_status = "unknown"
        else:
            passing = Decimal(str(scaled_passing_score))
            reading.success_status = "passed" if reading.score_scaled >= passing else "failed"
    return reading


def _check_preferences(preferences: dict) -> None:
    name = "cmi.learner_preference"
    refuse_unknown(name, preferences, {"audio_level", "language", "delivery_speed", "audio_captioning"})
    decimal_or_none(f"{name}.audio_level", preferences.get("audio_level"), low=0)
    decimal_or_none(f"{name}.delivery_speed", preferences.get("delivery_speed"), low=0)
    if preferences.get("audio_captioning") not in (None, ""):
        vocabulary(f"{name}.audio_captioning", str(preferences["audio_captioning"]), ("-1", "0", "1"))
    text(f"{name}.language", preferences.get("language"), max_length=250)


def _check_comments(comments) -> None:
    for index, comment in collection("cmi.comments_from_learner", comments):
        name = f"cmi.comments_from_learner.{index}"
        text(f"{name}.comment", comment.get("comment"), max_length=4000)
        text(f"{name}.location", comment.get("location"), max_length=250)


def _check_objectives(objectives) -> None:
    for index, objective in collection("cmi.objectives", objectives):
        name = f"cmi.objectives.{index}"
        text(f"{name}.id", objective.get("id"), max_length=4000)
        if objective.get("success_status"):
            vocabulary(f"{name}.success_status", objective["success_status"], SUCCESS_STATUSES)
        if objective.get("completion_status"):
            vocabulary(f"{name}.completion_status", objective["completion_status"], COMPLETION_STATUSES)
        decimal_or_none(f"{name}.progress_measure", objective.get("progress_measure"), low=0, high=1)
        score = obj(f"{name}.score", objective.get("score"))
        decimal_or_none(f"{name}.score.scaled", score.get("scaled"), low=-1, high=1)


def _check_interactions(interactions) -> int:
    members = collection("cmi.interactions", interactions)
    for index, interaction in members:
        name = f"cmi.interactions.{index}"
        text(f"{name}.id", interaction.get("id"), max_length=4000)
        if interaction.get("type"):
            vocabulary(f"{name}.type", interaction["type"], INTERACTION_TYPES)
        result = interaction.get("result")
        if result not in ("", None) and result not in INTERACTION_RESULTS:
            decimal_or_none(f"{name}.result", result)
        if interaction.get("latency"):
            duration_2004_seconds(f"{name}.latency", text(f"{name}.latency", interaction["latency"]))
        decimal_or_none(f"{name}.weighting", interaction.get("weighting"))
        text(f"{name}.learner_response", interaction.get("learner_response"), max_length=64000)
        text(f"{name}.description", interaction.get("description"), max_length=250)
    return len(members)


__all__ = ["CmiError", "check"]
