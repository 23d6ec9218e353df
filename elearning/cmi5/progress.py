"""What a stored cmi5 statement changes, and the rule from AU results to the attempt (cmi5 §9.3, §13.1.4).

- An AU's results (its ``ScoRuntime`` row in the attempt): "completed" sets completion; "passed" sets
  success (kept once reached), "failed" sets it unless the AU passed earlier; both keep the score;
  "terminated" ends the session and adds its duration to the AU's time.
- An AU's **moveOn** is met by its results (Passed, Completed, CompletedAndPassed, CompletedOrPassed) or at
  once (NotApplicable), or when the LMS waived it. A **block** is satisfied when all its AUs are, the
  **course** when all AUs are: the LMS records "satisfied" for each once per registration (§9.3.9).
- The **attempt** is completed when the course is satisfied; passed when every AU that reports a success
  passed (failed when one failed, unknown while none reports); its score is the mean scaled score of the AUs
  that have one, as a percent. ``core.signals.package_attempt_updated`` follows each change of results,
  with the arguments the SCORM runtime sends.
"""

import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.signals import package_attempt_updated
from lrs.agents import agent_for_user

from ..models import Cmi5Session, CompletionStatus, PackageAttempt, ScoRuntime, SuccessStatus
from . import vocabulary as v
from .statements import duration_seconds, is_defined, lms_record, lms_statement


def aus_of(version) -> list[dict]:
    """The AUs of a cmi5 package version, in order."""
    return [unit for unit in version.units if unit.get("kind") == "au"]


def au_rows(attempt) -> dict[str, ScoRuntime]:
    return {row.unit: row for row in ScoRuntime.objects.filter(attempt=attempt)}


def _blocks(nodes: list[dict]):
    """``(block node, [AU ids under it])`` for every block of the organizations tree, depth first."""
    for node in nodes:
        if node.get("kind") == "block":
            yield node, list(_au_ids(node.get("children") or []))
            yield from _blocks(node.get("children") or [])


def _au_ids(nodes: list[dict]):
    for node in nodes:
        if node.get("kind") == "au":
            yield node["identifier"]
        yield from _au_ids(node.get("children") or [])


def au_met(unit: dict, row: ScoRuntime | None, registration) -> bool:
    return v.move_on_met(
        unit.get("move_on"),
        completed=row is not None and row.completion_status == CompletionStatus.COMPLETED,
        passed=row is not None and row.success_status == SuccessStatus.PASSED,
        waived=unit["identifier"] in registration.waived,
    )


def _satisfied_statements(registration, version, met: dict[str, bool], *, session_id, now) -> list[dict]:
    """ "satisfied" for each block (and the course) whose AUs are all met, not recorded yet in the registration."""
    attempt = registration.attempt
    agent = agent_for_user(attempt.user)
    statements = []
    organizations = version.structure.get("organizations") or []
    for node, au_ids in _blocks(organizations[0].get("children") or [] if organizations else []):
        activity = v.block_activity_id(attempt.package, node["identifier"])
        if au_ids and all(met.get(au_id) for au_id in au_ids) and activity not in registration.satisfied:
            statements.append((activity, node["identifier"], node.get("title"), v.TYPE_BLOCK))
    course = v.course_activity_id(attempt.package)
    if met and all(met.values()) and course not in registration.satisfied:
        course_id = version.structure.get("course_id") or course
        statements.append((course, course_id, version.structure.get("title"), v.TYPE_COURSE))
    registration.satisfied = [*registration.satisfied, *(activity for activity, *_ in statements)]
    return [
        lms_statement(
            agent=agent,
            verb=v.SATISFIED,
            object_id=activity,
            registration=registration.registration,
            session_id=session_id,
            grouping=publisher_id,
            definition={"type": kind, **({"name": {"und": title}} if title else {})},
            now=now,
        )
        for activity, publisher_id, title, kind in statements
    ]


def _aggregate(attempt: PackageAttempt, units: list[dict], rows: dict, met: dict[str, bool], *, now) -> None:
    started = any(
        row.session_count or row.completion_status != CompletionStatus.NOT_ATTEMPTED for row in rows.values()
    )
    if met and all(met.values()):
        attempt.completion_status = CompletionStatus.COMPLETED
        attempt.status = PackageAttempt.Status.COMPLETED
        attempt.completed_at = attempt.completed_at or now
    else:
        attempt.completion_status = CompletionStatus.INCOMPLETE if started else CompletionStatus.NOT_ATTEMPTED
    unit_rows = [rows.get(unit["identifier"]) for unit in units]
    judged = [
        row.success_status for row in unit_rows if row is not None and row.success_status != SuccessStatus.UNKNOWN
    ]
    if not judged:
        attempt.success_status = SuccessStatus.UNKNOWN
    elif SuccessStatus.FAILED in judged:
        attempt.success_status = SuccessStatus.FAILED
    else:
        attempt.success_status = SuccessStatus.PASSED
        attempt.passed_at = attempt.passed_at or now
    scored = [row for row in unit_rows if row is not None and row.score_scaled is not None]
    if scored:
        scaled = sum((row.score_scaled for row in scored), Decimal(0)) / len(scored)
        attempt.score_scaled = scaled.quantize(Decimal("0.0001"))
        attempt.score_percent = (scaled * 100).quantize(Decimal("0.01"))
    single = scored[0] if len(scored) == 1 else None
    attempt.score_raw = single.score_raw if single else None
    attempt.score_min = single.score_min if single else None
    attempt.score_max = single.score_max if single else None
    attempt.total_seconds = sum((row.total_seconds for row in rows.values()), Decimal(0))
    attempt.last_activity_at = now


def attempt_evaluate(
    *, registration, session: Cmi5Session | None = None, session_id=None, always_announce=True, now=None
) -> PackageAttempt:
    """Evaluate moveOn over the registration's AUs: record "satisfied" where newly due, aggregate the attempt,
    and announce it after the commit (``package_attempt_updated``; with ``always_announce=False`` only when its
    results changed). Runs inside the caller's transaction."""
    now = now or timezone.now()
    attempt = (
        PackageAttempt.objects.select_for_update()
        .select_related("version", "package", "user")
        .get(pk=registration.attempt_id)
    )
    registration.attempt = attempt
    units = aus_of(attempt.version)
    rows = au_rows(attempt)
    met = {unit["identifier"]: au_met(unit, rows.get(unit["identifier"]), registration) for unit in units}
    session_id = session.session_id if session is not None else (session_id or uuid.uuid4())
    satisfied = _satisfied_statements(registration, attempt.version, met, session_id=session_id, now=now)
    if satisfied:
        lms_record(satisfied)
        registration.save(update_fields=["satisfied"])
    before = (attempt.status, attempt.completion_status, attempt.success_status, attempt.score_percent)
    _aggregate(attempt, units, rows, met, now=now)
    attempt.full_clean(validate_unique=False, validate_constraints=False)
    attempt.save()
    if always_announce or before != (
        attempt.status,
        attempt.completion_status,
        attempt.success_status,
        attempt.score_percent,
    ):
        transaction.on_commit(lambda: announce(attempt))
    return attempt


def announce(attempt: PackageAttempt) -> None:
    """``package_attempt_updated`` exactly as the SCORM runtime sends it."""
    package_attempt_updated.send(
        sender=PackageAttempt,
        attempt=attempt,
        user=attempt.user,
        context=attempt.context,
        completed=attempt.is_completed,
        passed=attempt.is_passed,
        score=attempt.score_percent,
    )


def _score(row: ScoRuntime, result: dict) -> None:
    score = result.get("score") or {}
    for field in ("raw", "min", "max", "scaled"):
        value = score.get(field)
        setattr(row, f"score_{field}", None if value is None else Decimal(str(value)).quantize(Decimal("0.0001")))


def cmi5_statement_recorded(*, statement, credential, now=None) -> None:
    """Follow a statement the LRS stored for a cmi5 session (after its commit): the session's milestones, the
    AU's results, and for completed/passed/failed the attempt (``attempt_evaluate``)."""
    now = now or timezone.now()
    payload = statement.payload
    with transaction.atomic():
        session = (
            Cmi5Session.objects.select_for_update()
            .select_related("registration")
            .filter(credential=credential)
            .first()
        )
        if session is None:
            return
        session.last_statement_at = statement.stored
        fields = ["last_statement_at"]
        verb = statement.verb_id
        results_changed = False
        if is_defined(payload) and verb in v.AU_VERBS:
            row, _created = ScoRuntime.objects.select_for_update().get_or_create(
                attempt_id=session.registration.attempt_id, unit=session.unit
            )
            result = payload.get("result") or {}
            row.first_commit_at = row.first_commit_at or statement.stored
            row.last_commit_at = statement.stored
            if verb == v.INITIALIZED:
                session.initialized_at = statement.stored
                fields.append("initialized_at")
            elif verb == v.TERMINATED:
                session.terminated_at = statement.stored
                fields.append("terminated_at")
                row.in_session = False
                row.exit = "terminated"
                row.total_seconds += duration_seconds(result.get("duration"))
            elif verb == v.COMPLETED:
                row.completion_status = CompletionStatus.COMPLETED
                row.completed_at = row.completed_at or statement.stored
                results_changed = True
            elif verb in (v.PASSED, v.FAILED):
                if row.success_status != SuccessStatus.PASSED:
                    row.success_status = SuccessStatus.PASSED if verb == v.PASSED else SuccessStatus.FAILED
                    _score(row, result)
                results_changed = True
            if row.completion_status == CompletionStatus.NOT_ATTEMPTED:
                row.completion_status = CompletionStatus.INCOMPLETE
            row.full_clean(validate_unique=False, validate_constraints=False)
            row.save()
        session.save(update_fields=fields)
        if results_changed or verb == v.TERMINATED:  # results, or the time the session adds
            attempt_evaluate(
                registration=session.registration, session=session, always_announce=results_changed, now=now
            )
