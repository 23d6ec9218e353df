"""The SCORM runtime's writes: launching an attempt, a SCO's commits, moving attempts to a new version.

``launch_start`` resumes the learner's attempt for (user, package, context) on the version it runs,
at the SCO where they left off, or starts a new one on the package's current version; it answers the
launch and its token (shown once, stored only as its SHA-256). ``runtime_commit`` checks a committed
``cmi`` object against the standard (``elearning.cmi``; ``CmiError`` names the refused element and
nothing is written), stores it and its columns, adds the session time to the total when the SCO
terminates, aggregates the attempt (``elearning.runtime.aggregate``) and sends
``core.signals.package_attempt_updated``.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cms.scanning.gate import file_refusal
from core.signals import package_attempt_updated

from ..cmi import CmiError, scorm12, scorm2004
from ..models import CompletionStatus, PackageAttempt, PackageLaunch, ScoRuntime, SuccessStatus
from ..runtime.aggregate import aggregate
from ..runtime.selectors import (
    SCORM_STANDARDS,
    initial_cmi,
    resume_unit,
    sco_rows,
    token_hash,
    unit_allowed,
    units_of,
)

__all__ = [
    "CmiError",
    "attempts_move_to_version",
    "launch_open_unit",
    "launch_revoke",
    "launch_start",
    "launch_touch",
    "launch_url",
    "launches_revoke_for_users",
    "player_url",
    "runtime_commit",
]


def _expiry(*, created_at, now):
    cap = created_at + timedelta(seconds=settings.PARTNERHUB_LAUNCH_MAX_SECONDS)
    return min(now + timedelta(seconds=settings.PARTNERHUB_LAUNCH_SECONDS), cap)


@transaction.atomic
def launch_start(*, user, package, context: str, unit: str | None = None, new_attempt: bool = False, now=None):
    """Launch ``package`` for ``user`` in ``context``; answer ``(launch, token)``.

    Resumes the latest attempt of (user, package, context) on its own version, at ``unit`` or where the
    learner left off; ``new_attempt`` (a retake) or no attempt yet starts attempt n+1 on the current
    version. Earlier launches of the attempt are revoked: one device plays it at a time. The caller has
    checked that the user may see what launches the package (the audience rule); ``ValidationError`` for a
    package without a version, one that is not SCORM, or a unit the learner may not open.
    """
    now = now or timezone.now()
    if package.standard not in SCORM_STANDARDS:
        raise ValidationError({"package": "Only SCORM 1.2 and SCORM 2004 packages play in the SCORM player."})
    if package.current_version_id is None:
        raise ValidationError({"package": "The package has no version to play yet."})
    attempts = PackageAttempt.objects.of(user=user, package=package, context=context or "")
    attempt = None if new_attempt else attempts.select_related("version").order_by("-number").first()
    if attempt is None:
        number = (attempts.aggregate(last=Max("number"))["last"] or 0) + 1
        attempt = PackageAttempt(
            user=user,
            package=package,
            context=context or "",
            number=number,
            version=package.current_version,
            started_at=now,
            last_activity_at=now,
        )
        attempt.full_clean()
        attempt.save()
    if refusal := file_refusal(attempt.version.archive.name):  # its ZIP pending its virus scan, or infected
        raise ValidationError({"package": refusal})
    rows = sco_rows(attempt)
    if unit is None:
        unit = resume_unit(attempt, rows)
    if not unit or not unit_allowed(attempt, unit, rows):
        raise ValidationError({"unit": "This part of the package cannot be opened now."})
    PackageLaunch.objects.filter(attempt=attempt, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    launch = PackageLaunch(
        token_hash=token_hash(token),
        user=user,
        attempt=attempt,
        unit=unit,
        created_at=now,
        expires_at=_expiry(created_at=now, now=now),
    )
    launch.full_clean()
    launch.save()
    if attempt.current_unit != unit:
        attempt.current_unit = unit
        attempt.save(update_fields=["current_unit"])
    return launch, token


def launch_url(token: str, *, unit: str | None = None) -> str:
    """The player's address for a launch token (relative; the token is its only credential)."""
    url = reverse("elearning:player", kwargs={"token": token})
    if unit:
        url += "?" + urlencode({"unit": unit})
    return url


player_url = launch_url


def launch_touch(*, launch: PackageLaunch, now=None) -> PackageLaunch:
    """Slide the launch's expiry on use (never past its cap); written only when it moves by a minute or more."""
    now = now or timezone.now()
    expires_at = _expiry(created_at=launch.created_at, now=now)
    if expires_at - launch.expires_at >= timedelta(seconds=60):
        PackageLaunch.objects.filter(pk=launch.pk, revoked_at__isnull=True).update(expires_at=expires_at)
        launch.expires_at = expires_at
    return launch


def launch_open_unit(*, launch: PackageLaunch, unit: str) -> None:
    """Remember the SCO the learner opened in the player (where a later launch resumes)."""
    attempt = launch.attempt
    if attempt.current_unit != unit:
        PackageAttempt.objects.filter(pk=attempt.pk).update(current_unit=unit)
        attempt.current_unit = unit


def launch_revoke(*, launch: PackageLaunch, now=None) -> PackageLaunch:
    """Revoke a launch: its player, files and commits answer 404 from the next request on."""
    if launch.revoked_at is None:
        launch.revoked_at = now or timezone.now()
        launch.save(update_fields=["revoked_at"])
    return launch


def launches_revoke_for_users(*, user_ids, now=None) -> int:
    """Revoke every live launch of these users (they lost access)."""
    return PackageLaunch.objects.filter(user_id__in=list(user_ids), revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def _check(*, attempt, unit: dict, row, cmi):
    given = initial_cmi(attempt=attempt, unit=unit, row=row)
    if attempt.package.standard == "scorm12":
        return scorm12.check(cmi, given=given, mastery_score=unit.get("mastery_score"))
    mastery = unit.get("mastery_score")
    return scorm2004.check(
        cmi,
        given=given,
        completion_threshold=unit.get("completion_threshold"),
        scaled_passing_score=None if mastery is None else mastery / 100,
    )


def runtime_commit(*, launch: PackageLaunch, unit: str, cmi: dict, terminate: bool, now=None) -> PackageAttempt:
    """Store one commit of SCO ``unit`` in the launch's attempt; answer the aggregated attempt.

    ``CmiError`` (naming the element) when the data model refuses the commit, ``ValidationError`` for a
    unit that is not a SCO of the attempt's version; either way nothing is written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            PackageAttempt.objects.select_for_update()
            .select_related("version", "package", "user")
            .get(pk=launch.attempt_id)
        )
        units = units_of(attempt.version)
        unit_data = next((candidate for candidate in units if candidate["identifier"] == unit), None)
        if unit_data is None:
            raise ValidationError({"unit": "Not a SCO of this package version."})
        rows = sco_rows(attempt)
        row = rows.get(unit)
        reading = _check(attempt=attempt, unit=unit_data, row=row, cmi=cmi)
        if row is None:
            row = ScoRuntime(attempt=attempt, unit=unit)
            rows[unit] = row
        _apply(row, reading, cmi=cmi, terminate=terminate, now=now)
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
        aggregate(attempt=attempt, scos=list(rows.values()), units=units, now=now)
        attempt.current_unit = unit
        attempt.full_clean(validate_unique=False, validate_constraints=False)
        attempt.save()
    _announce(attempt)
    return attempt


def _apply(row: ScoRuntime, reading, *, cmi: dict, terminate: bool, now) -> None:
    """Copy a checked commit onto its row: the CMI as sent, columns, sessions and time; completion and a pass stay."""
    was_completed = row.completion_status == CompletionStatus.COMPLETED
    was_passed = row.success_status == SuccessStatus.PASSED
    row.cmi = cmi
    row.lesson_status = reading.lesson_status
    row.completion_status = CompletionStatus.COMPLETED if was_completed else reading.completion_status
    row.success_status = SuccessStatus.PASSED if was_passed else reading.success_status
    row.score_raw, row.score_min, row.score_max = reading.score_raw, reading.score_min, reading.score_max
    row.score_scaled = reading.score_scaled
    row.progress_measure = reading.progress_measure
    row.location = reading.location
    row.suspend_data = reading.suspend_data
    row.exit = reading.exit
    entry = (cmi.get("core") or {}).get("entry") if "core" in cmi else cmi.get("entry")
    row.entry = str(entry or "")[:20]
    row.interactions_count = reading.interactions_count
    if not row.in_session:
        row.session_count += 1
    row.in_session = not terminate
    if terminate:
        row.total_seconds += reading.session_seconds
    row.first_commit_at = row.first_commit_at or now
    row.last_commit_at = now
    if row.completion_status == CompletionStatus.COMPLETED and row.completed_at is None:
        row.completed_at = now


@transaction.atomic
def attempts_move_to_version(*, package, version, now=None) -> int:
    """Move the unfinished attempts at ``package`` to ``version`` (an editor's choice); answer how many moved.

    SCOs keep their data when the new version has a unit of the same identifier; data of units the new
    version lacks is kept but no longer counts. Completed attempts stay on the version they were done on.
    Live launches of moved attempts are revoked (their player shows the old files): the next launch resumes
    on the new version.
    """
    if version.package_id != package.pk:
        raise ValidationError({"version": "The version belongs to another package."})
    now = now or timezone.now()
    attempts = list(
        PackageAttempt.objects.filter(package=package, status=PackageAttempt.Status.IN_PROGRESS)
        .exclude(version=version)
        .select_related("user")
        .prefetch_related("scos")
    )
    units = units_of(version)
    if package.standard == package.Standard.CMI5:
        return _cmi5_attempts_move(attempts, version=version, now=now)
    for attempt in attempts:
        attempt.version = version
        last_activity = attempt.last_activity_at
        aggregate(attempt=attempt, scos=list(attempt.scos.all()), units=units, now=now)
        attempt.last_activity_at = last_activity
        attempt.full_clean(validate_unique=False, validate_constraints=False)
        attempt.save()
    PackageLaunch.objects.filter(attempt__in=attempts, revoked_at__isnull=True).update(revoked_at=now)
    for attempt in attempts:
        _announce(attempt)
    return len(attempts)


def _cmi5_attempts_move(attempts, *, version, now) -> int:
    """cmi5 attempts move with their registration (AU activity ids stay valid across versions); their results
    follow cmi5's moveOn over the new version's AUs, which ``attempt_evaluate`` applies and announces."""
    from ..cmi5.progress import attempt_evaluate  # cmi5 launches through this module: reached at call time

    PackageLaunch.objects.filter(attempt__in=attempts, revoked_at__isnull=True).update(revoked_at=now)
    for attempt in attempts:
        attempt.version = version
        attempt.save(update_fields=["version"])
        registration = getattr(attempt, "cmi5_registration", None)
        if registration is not None:
            attempt_evaluate(registration=registration, now=now)
    return len(attempts)


def _announce(attempt: PackageAttempt) -> None:
    package_attempt_updated.send(
        sender=PackageAttempt,
        attempt=attempt,
        user=attempt.user,
        context=attempt.context,
        completed=attempt.is_completed,
        passed=attempt.is_passed,
        score=attempt.score_percent,
    )
