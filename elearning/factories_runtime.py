"""Test data of the SCORM runtime: launches of real sample packages and the commits scorm-again would send.

``launched(user, package, context=...)`` launches through ``launch_start``; ``commit_12`` / ``commit_2004``
build a ``cmi`` object from the CMI the player would load (``initial_cmi``), as scorm-again's JSON commit
renders it, with the SCO's changes on top.
"""

from elearning.models import ScoRuntime
from elearning.runtime.selectors import initial_cmi, units_of
from elearning.services.runtime import launch_start


def launched(user, package, *, context: str = "lesson:1", **options):
    """``(launch, token)`` of ``package`` for ``user``."""
    return launch_start(user=user, package=package, context=context, **options)


def _loaded(launch, unit: str) -> dict:
    attempt = launch.attempt
    unit_data = next(item for item in units_of(attempt.version) if item["identifier"] == unit)
    row = ScoRuntime.objects.filter(attempt=attempt, unit=unit).first()
    return initial_cmi(attempt=attempt, unit=unit_data, row=row)


def commit_12(launch, unit: str | None = None, *, core=None, **top) -> dict:
    """A SCORM 1.2 commit of ``unit`` (default: the launch's): what the player loaded, plus changes."""
    cmi = _loaded(launch, unit or launch.unit)
    cmi["core"] = {**cmi["core"], "exit": "", "session_time": "00:00:00", **(core or {})}
    cmi["core"].pop("total_time", None)
    cmi.update(top)
    return cmi


def commit_2004(launch, unit: str | None = None, **changes) -> dict:
    """A SCORM 2004 commit of ``unit`` (default: the launch's): what the player loaded, plus ``changes``."""
    cmi = _loaded(launch, unit or launch.unit)
    cmi.setdefault("completion_status", "unknown")
    cmi.setdefault("success_status", "unknown")
    cmi.setdefault("score", {"scaled": "", "raw": "", "min": "", "max": ""})
    cmi["exit"] = ""
    cmi["session_time"] = "PT0S"
    cmi.update(changes)
    return cmi
