"""The CMI a launch hands the SCO (scorm-again's ``loadFromJSON``): who the learner is, and where they were.

Read-only elements come from the hub (learner, credit, mode, entry, the manifest's launch data,
mastery score, completion threshold, time limit action, the total time the hub added up); the rest
is what the SCO last committed, so that a learner resumes on any device:

- SCORM 1.2: the stored data always comes back (lesson status, score, location, suspend data,
  objectives, interactions, preferences); ``entry`` is ``ab-initio`` the first time, ``resume`` after
  an exit with ``suspend``, ``""`` otherwise.
- SCORM 2004: after an exit with ``suspend`` the stored data comes back with ``entry`` ``resume``;
  after any other exit the SCO starts a new attempt of itself (``ab-initio``, nothing carried over but the
  total time): that is the standard's rule, and the hub's completion of the SCO does not go back.
"""

from decimal import Decimal

from .common import seconds_as_duration_2004, seconds_as_timespan_12

WRITE_ONLY_12 = {"exit", "session_time"}
WRITE_ONLY_2004 = {"exit", "session_time", "adl"}


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def initial_12(
    *, learner_id: str, learner_name: str, unit: dict, stored: dict | None, total_seconds, entry: str
) -> dict:
    """The ``cmi`` object (without its ``cmi`` root, as ``loadFromJSON`` takes it) for a SCORM 1.2 SCO."""
    stored = dict(stored or {})
    core = {key: value for key, value in (stored.get("core") or {}).items() if key not in WRITE_ONLY_12}
    core.update(
        student_id=learner_id,
        student_name=learner_name,
        credit="credit",
        lesson_mode="normal",
        entry=entry,
        total_time=seconds_as_timespan_12(total_seconds),
    )
    core.setdefault("lesson_status", "not attempted")
    data = {key: value for key, value in stored.items() if key in ("suspend_data", "comments", "objectives")}
    if stored.get("interactions"):
        data["interactions"] = stored["interactions"]
    if stored.get("student_preference"):
        data["student_preference"] = stored["student_preference"]
    data.update(
        core=core,
        launch_data=unit.get("data_from_lms") or "",
        comments_from_lms="",
        student_data={
            "mastery_score": _number(unit.get("mastery_score")),
            "max_time_allowed": "",
            "time_limit_action": unit.get("time_limit_action") or "",
        },
    )
    return data


def initial_2004(
    *, learner_id: str, learner_name: str, unit: dict, stored: dict | None, total_seconds, entry: str
) -> dict:
    """The ``cmi`` object (without its ``cmi`` root) for a SCORM 2004 SCO; ``stored`` only when resuming."""
    data = {}
    if entry == "resume" and stored:
        data = {key: value for key, value in stored.items() if key not in WRITE_ONLY_2004}
    mastery = unit.get("mastery_score")
    data.update(
        learner_id=learner_id,
        learner_name=learner_name,
        credit="credit",
        mode="normal",
        entry=entry,
        launch_data=unit.get("data_from_lms") or "",
        completion_threshold=_number(unit.get("completion_threshold")),
        scaled_passing_score=_number(None if mastery is None else Decimal(str(mastery)) / 100),
        time_limit_action=unit.get("time_limit_action") or "continue,no message",
        max_time_allowed="",
        total_time=seconds_as_duration_2004(total_seconds),
    )
    data.pop("comments_from_lms", None)
    return data
