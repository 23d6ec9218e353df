"""Reads of lessons made of learning packages (the ``package`` lesson block): which blocks a lesson has, the
launch context of a course, when a block's completion rule is met, and the learners' results.

Every package block of a course plays in ONE attempt per learner and package: the launch context is
``course:<id>`` (elearning keys attempts on user, package and context). A multi-SCO package split into
lessons (``course_from_package``: one lesson per unit) is then one SCORM attempt, as its author meant:
its sequencing (flow), its shared data and its resume point span the lessons, and each lesson follows
the status of its own unit.
"""

from dataclasses import dataclass
from decimal import Decimal

from .blocks import CompletionRule
from .models import Lesson, PackageResult

CONTEXT_PREFIX = "course:"
ROUND_SEPARATOR = ":round:"


@dataclass(frozen=True)
class PackageRef:
    """A package block of a lesson, as stored (no query)."""

    block_id: str
    package_id: int
    unit: str
    completion_rule: str
    counts_score: bool
    pass_mark: int | None

    @property
    def key(self) -> tuple[int, str]:
        return self.package_id, self.unit


def package_refs(lesson) -> list[PackageRef]:
    """The lesson's package blocks in order (read from the stored body: no query)."""
    refs = []
    for block in lesson.body.raw_data:
        if block["type"] != "package" or not (block.get("value") or {}).get("package"):
            continue
        value = block["value"]
        rule = value.get("completion_rule") or CompletionRule.PACKAGE
        refs.append(
            PackageRef(
                block_id=block.get("id") or "",
                package_id=int(value["package"]),
                unit=(value.get("unit") or "").strip(),
                completion_rule=rule if rule in CompletionRule.values else CompletionRule.PACKAGE,
                counts_score=bool(value.get("counts_score")),
                pass_mark=value.get("pass_mark"),
            )
        )
    return refs


def package_context(course_id: int, round: int = 1) -> str:
    """The opaque launch context of the package blocks of a course, in one round of the learner's: a retake
    (round 2 on) launches fresh package attempts instead of resuming those of an earlier round."""
    return f"{CONTEXT_PREFIX}{course_id}" if round == 1 else f"{CONTEXT_PREFIX}{course_id}{ROUND_SEPARATOR}{round}"


def context_course_and_round(context: str) -> tuple[int, int] | None:
    """``(course id, round)`` of a context ``package_context`` made; ``None`` for any other context."""
    if not context or not context.startswith(CONTEXT_PREFIX):
        return None
    course, _separator, round_ = context[len(CONTEXT_PREFIX) :].partition(ROUND_SEPARATOR)
    if not course.isdigit() or not (round_ == "" or round_.isdigit()):
        return None
    return int(course), int(round_ or 1)


def lessons_with_package(*, course_id: int, package_id: int) -> list[tuple[Lesson, list[PackageRef]]]:
    """The lessons of the course with a block of the package, each with all its package blocks (one query)."""
    lessons = Lesson.objects.filter(module__course_id=course_id).select_related("module__course")
    found = []
    for lesson in lessons.order_by("module__sort_order", "module__pk", "sort_order", "pk"):
        refs = package_refs(lesson)
        if any(ref.package_id == package_id for ref in refs):
            found.append((lesson, refs))
    return found


def pass_mark_of(ref: PackageRef, units: list[dict]) -> Decimal | None:
    """The percent the score must reach with ``counts_score``: the block's own pass mark, else the package's
    mastery score (the unit's; for the whole package, the highest of its units'), else ``None``."""
    if ref.pass_mark is not None:
        return Decimal(ref.pass_mark)
    scores = [
        unit.get("mastery_score")
        for unit in units
        if unit.get("mastery_score") is not None and (not ref.unit or unit["identifier"] == ref.unit)
    ]
    return Decimal(str(max(scores))) if scores else None


def rule_met(ref: PackageRef, *, completed: bool, passed: bool | None, score, pass_mark) -> bool:
    """Whether results of the package meet the block's completion rule (and, with ``counts_score``, its pass mark).

    - ``package``: completed, and not failed (passed when the package reports a success status);
    - ``completed`` / ``passed`` / ``completed_and_passed`` as they say;
    - ``counts_score``: the score reaches the pass mark; without a pass mark, the package must report passed.
    """
    rule = ref.completion_rule
    if rule == CompletionRule.COMPLETED:
        met = completed
    elif rule == CompletionRule.PASSED:
        met = passed is True
    elif rule == CompletionRule.COMPLETED_AND_PASSED:
        met = completed and passed is True
    else:
        met = completed and passed is not False
    if met and ref.counts_score:  # without a pass mark, the package's own judgement
        met = passed is True if pass_mark is None else score is not None and Decimal(score) >= pass_mark
    return met


def package_results_of(*, user, lesson_ids) -> dict[int, list[PackageResult]]:
    """``user``'s package results in these lessons, by lesson id (one query)."""
    results: dict[int, list[PackageResult]] = {}
    for result in PackageResult.objects.of(user=user, lesson_ids=lesson_ids).order_by("pk"):
        results.setdefault(result.lesson_id, []).append(result)
    return results


def result_summary(results: list[PackageResult]) -> dict | None:
    """What a learner's progress shows of a lesson's package results: the first block's (most lessons have one)."""
    if not results:
        return None
    result = results[0]

    def number(value):  # scores are JSON numbers in the API, like the pass mark
        return None if value is None else float(value)

    return {
        "completed": result.completed,
        "passed": result.passed,
        "score": number(result.score),
        "best_score": number(result.best_score),
        "rule_met": result.rule_met_at is not None,
        "updated_at": result.updated_at,
    }
