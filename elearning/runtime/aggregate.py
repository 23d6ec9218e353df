"""How an attempt's results follow from its SCOs' (the rule, in one place).

- **Completed** when every SCO of the attempt's version is completed (SCORM 1.2: lesson status
  ``completed``, ``passed`` or ``failed``; SCORM 2004: completion status ``completed`` after the
  completion threshold is applied).
- **Passed** (``success_status``) when at least one SCO reports a success status and every SCO that
  reports one passed; **failed** as soon as one of them failed; **unknown** while none reports one.
  SCOs that report no success status (content pages) do not count.
- **Score**: the mean of the scaled scores of the SCOs that have one (a single scored SCO's score is
  the attempt's), shown as a percent (scaled times 100); raw/min/max are kept only for a single SCO.
- **Time**: the sum of the SCOs' total times.

Completion and a pass are kept once reached (``completed_at``, ``passed_at``): a learner who
revisits a completed package does not lose it, while the statuses shown follow the latest commits.
"""

from decimal import Decimal

from ..models import CompletionStatus, SuccessStatus


def aggregate(*, attempt, scos: list, units: list[dict], now) -> None:
    """Set ``attempt``'s statuses, score, time and milestones from its ``scos`` (``ScoRuntime`` rows); no save."""
    by_unit = {sco.unit: sco for sco in scos}
    rows = [by_unit.get(unit["identifier"]) for unit in units]
    done = [row is not None and row.completion_status == CompletionStatus.COMPLETED for row in rows]
    started = any(row is not None and row.completion_status != CompletionStatus.NOT_ATTEMPTED for row in rows)
    if units and all(done):
        attempt.completion_status = CompletionStatus.COMPLETED
    elif started:
        attempt.completion_status = CompletionStatus.INCOMPLETE
    else:
        attempt.completion_status = CompletionStatus.NOT_ATTEMPTED

    judged = [row.success_status for row in rows if row is not None and row.success_status != SuccessStatus.UNKNOWN]
    if not judged:
        attempt.success_status = SuccessStatus.UNKNOWN
    elif SuccessStatus.FAILED in judged:
        attempt.success_status = SuccessStatus.FAILED
    else:
        attempt.success_status = SuccessStatus.PASSED

    scored = [row for row in rows if row is not None and row.score_scaled is not None]
    if scored:
        scaled = sum((row.score_scaled for row in scored), Decimal(0)) / len(scored)
        attempt.score_scaled = scaled.quantize(Decimal("0.0001"))
        attempt.score_percent = (scaled * 100).quantize(Decimal("0.01"))
    else:
        attempt.score_scaled = attempt.score_percent = None
    single = scored[0] if len(scored) == 1 else None
    attempt.score_raw = single.score_raw if single else None
    attempt.score_min = single.score_min if single else None
    attempt.score_max = single.score_max if single else None
    attempt.total_seconds = sum((row.total_seconds for row in scos), Decimal(0))

    if attempt.completion_status == CompletionStatus.COMPLETED:
        attempt.status = attempt.Status.COMPLETED
        attempt.completed_at = attempt.completed_at or now
    if attempt.success_status == SuccessStatus.PASSED:
        attempt.passed_at = attempt.passed_at or now
    attempt.last_activity_at = now
