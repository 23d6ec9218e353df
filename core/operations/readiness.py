"""The readiness registry: what ``/readyz`` asks, and the backlogs ``/metrics`` reports.

Two kinds of entries, registered from an app's ``AppConfig.ready()``:

* a **dependency** (``register_dependency``): a probe that returns quickly when the service answers
  (optionally a word saying how, e.g. ``"elasticsearch"``) and raises when it does not (``Down(state)``
  to say what the app does meanwhile, e.g. ``Down("fallback")``). A *required*
  dependency that fails makes ``/readyz`` answer 503; an optional one is reported and nothing more.
  ``READINESS_OPTIONAL_CHECKS`` (settings) makes a required one optional for a deployment.
* a **backlog** (``register_backlog``): a count of work waiting (pending virus scans, webhook deliveries,
  search syncs, the outbox). Reported by ``/readyz`` and as the ``partnerhub_backlog_items`` gauge; never
  a reason to be unready (taking web processes out of rotation would not shorten a queue).

The answer carries each check's status and latency, never a URL, a message or a secret: a failure is
named by its exception class only.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Dependency:
    name: str
    probe: Callable[[], str | None]
    required: bool


@dataclass(frozen=True)
class Backlog:
    name: str
    count: Callable[[], int]
    help: str


_dependencies: dict[str, Dependency] = {}
_backlogs: dict[str, Backlog] = {}


def register_dependency(name: str, probe: Callable[[], str | None], *, required: bool = True) -> None:
    """Ask ``probe`` on every ``/readyz``: it raises when ``name`` is down, else returns ``None`` or a state word."""
    _dependencies[name] = Dependency(name, probe, required)


def register_backlog(name: str, count: Callable[[], int], *, help: str) -> None:
    """Report ``count()`` (items waiting) on ``/readyz`` and as ``partnerhub_backlog_items{backlog=name}``."""
    _backlogs[name] = Backlog(name, count, help)


def dependencies() -> list[Dependency]:
    return list(_dependencies.values())


def backlogs() -> list[Backlog]:
    return list(_backlogs.values())


def _is_required(dependency: Dependency) -> bool:
    return dependency.required and dependency.name not in getattr(settings, "READINESS_OPTIONAL_CHECKS", ())


class Down(Exception):
    """A probe's way to say its service is down and what the app does meanwhile (``state``, e.g. ``fallback``)."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def _timed(call):
    started = time.perf_counter()
    try:
        value, error = call(), None
    except Down as down:
        value, error = down.state, "Down"
    except Exception as exc:
        value, error = None, type(exc).__name__
    return value, error, round((time.perf_counter() - started) * 1000, 1)


def readiness_report() -> tuple[bool, dict]:
    """``(ready, report)``: every dependency and backlog asked once, in registration order."""
    checks, ready, degraded = {}, True, False
    for dependency in dependencies():
        state, error, latency = _timed(dependency.probe)
        required = _is_required(dependency)
        entry = {"status": "down" if error else "ok", "required": required, "latency_ms": latency}
        if state:
            entry["state"] = state
        if error:
            entry["error"] = error
            ready = ready and not required
            degraded = True
        checks[dependency.name] = entry
    for backlog in backlogs():
        count, error, latency = _timed(backlog.count)
        entry = {"status": "unknown" if error else "ok", "pending": count, "latency_ms": latency}
        if error:
            entry["error"] = error
        checks[backlog.name] = entry
    status = ("degraded" if degraded else "ready") if ready else "unready"
    return ready, {"status": status, "checks": checks}


def backlog_counts() -> dict[str, int | None]:
    """Every backlog's count now (``None`` when it cannot be counted, e.g. the database is down)."""
    return {backlog.name: _timed(backlog.count)[0] for backlog in backlogs()}
