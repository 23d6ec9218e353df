"""Reads of the runtime: the live launch behind a token, the units a learner may open, what the player loads.

A launch is live while it is not revoked, not expired, and its learner still has access (an active
user; for a partner user, an active partner and not past their last day). Everything else is
``None``, which the views answer with 404.
"""

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from ..cmi.initial import initial_12, initial_2004
from ..models import CompletionStatus, PackageLaunch, ScoRuntime

SCORM_STANDARDS = ("scorm12", "scorm2004")


def token_hash(token: str) -> str:
    """The stored form of a launch token: its SHA-256, hex (the token is 32 random bytes, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def live_launch(token: str, *, now=None) -> PackageLaunch | None:
    """The live launch of ``token`` with its attempt, version, package and user (one query), or ``None``."""
    if not token or len(token) > 100:
        return None
    now = now or timezone.now()
    launch = (
        PackageLaunch.objects.live(now=now)
        .select_related("attempt__version", "attempt__package", "user__partner_membership__partner")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if launch is None or not learner_has_access(launch.user, now=now):
        return None
    return launch


def learner_has_access(user, *, now=None) -> bool:
    """Whether ``user`` may still learn: active; a partner user with an active partner, not past their last day."""
    if not user.is_active:
        return False
    membership = getattr(user, "partner_membership", None)
    if membership is None:
        return True
    today = timezone.localdate(now or timezone.now())
    return membership.partner.is_active and (membership.leaves_on is None or membership.leaves_on >= today)


def units_of(version) -> list[dict]:
    """The SCOs of a package version, in order (the structure's launchable units)."""
    return [unit for unit in version.units if unit.get("kind", "sco") == "sco"]


def sequencing_of(version) -> dict:
    sequencing = version.structure.get("sequencing") or {}
    return {"choice": bool(sequencing.get("choice", True)), "flow": bool(sequencing.get("flow", True))}


def sco_rows(attempt) -> dict[str, ScoRuntime]:
    return {row.unit: row for row in attempt.scos.all()}


def resume_unit(attempt, rows: dict) -> str:
    """Where a learner picks up: the SCO they left suspended, else the first not completed, else the first."""
    units = units_of(attempt.version)
    identifiers = [unit["identifier"] for unit in units]
    current = rows.get(attempt.current_unit)
    if current is not None and current.exit == "suspend" and attempt.current_unit in identifiers:
        return attempt.current_unit
    for identifier in identifiers:
        row = rows.get(identifier)
        if row is None or row.completion_status != CompletionStatus.COMPLETED:
            return identifier
    return identifiers[0] if identifiers else ""


def unit_allowed(attempt, identifier: str, rows: dict) -> bool:
    """Whether the learner may open SCO ``identifier``: any with choice; with flow only, those up to the first
    one not completed (earlier ones again, and the next one to do)."""
    units = units_of(attempt.version)
    identifiers = [unit["identifier"] for unit in units]
    if identifier not in identifiers:
        return False
    if sequencing_of(attempt.version)["choice"]:
        return True
    for position, other in enumerate(identifiers):
        row = rows.get(other)
        if row is None or row.completion_status != CompletionStatus.COMPLETED:
            return identifiers.index(identifier) <= position
    return True


def learner_name(user, standard: str) -> str:
    """The learner's name as SCORM shows it: "Last, First" in 1.2 (its convention), "First Last" in 2004."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if standard == "scorm12" and first and last:
        return f"{last}, {first}"
    return " ".join(part for part in (first, last) if part) or user.get_username()


def entry_for(row: ScoRuntime | None, standard: str) -> str:
    """``cmi.entry`` for the next session of a SCO: first time, resuming after a suspend, or neither."""
    if row is None or row.first_commit_at is None:
        return "ab-initio"
    if row.exit == "suspend":
        return "resume"
    return "" if standard == "scorm12" else "ab-initio"


def initial_cmi(*, attempt, unit: dict, row: ScoRuntime | None) -> dict:
    """The CMI the player loads into scorm-again for ``unit`` (``loadFromJSON``): see ``elearning.cmi.initial``."""
    standard = attempt.package.standard
    build = initial_12 if standard == "scorm12" else initial_2004
    return build(
        learner_id=str(attempt.user_id),
        learner_name=learner_name(attempt.user, standard),
        unit=unit,
        stored=row.cmi if row is not None else None,
        total_seconds=row.total_seconds if row is not None else 0,
        entry=entry_for(row, standard),
    )


@dataclass
class UnitEntry:
    """A SCO in the player's table of contents."""

    identifier: str
    title: str
    completion_status: str
    success_status: str
    allowed: bool
    current: bool
    url: str = ""  # the player's address for it (the view knows the token)


def table_of_contents(attempt, rows: dict, current: str) -> list[UnitEntry]:
    entries = []
    for unit in units_of(attempt.version):
        row = rows.get(unit["identifier"])
        entries.append(
            UnitEntry(
                identifier=unit["identifier"],
                title=unit.get("title") or unit["identifier"],
                completion_status=row.completion_status if row else CompletionStatus.NOT_ATTEMPTED,
                success_status=row.success_status if row else "unknown",
                allowed=unit_allowed(attempt, unit["identifier"], rows),
                current=unit["identifier"] == current,
            )
        )
    return entries
