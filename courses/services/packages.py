"""Lessons made of learning packages: launching them, following their results, courses made from a package.

- ``lesson_mark_done``: the learner's "Mark as done", refused (409) for a lesson with a package block;
- ``package_lesson_launch``: a launch of the lesson's package for an enrolled learner (the caller applied the
  audience rule), through the launcher of the package's standard (``package_launcher``);
- ``package_attempt_heard``: a package's runtime reported results (``core.signals.package_attempt_updated``):
  the learner's ``PackageResult`` is kept, and the lesson is completed once every package block's rule is met;
- ``course_from_package``: a draft course with a module per block of the package and a lesson per unit.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from elearning.cmi5.launch import cmi5_launch_start, cmi5_player_url
from elearning.models import Package, ScoRuntime
from elearning.services.runtime import launch_start, launch_url

from ..blocks import CompletionRule
from ..models import Course, CourseModule, Enrollment, Lesson, LessonCompletion, PackageResult
from ..package_lessons import (
    context_course_and_round,
    lessons_with_package,
    package_context,
    package_refs,
    pass_mark_of,
    rule_met,
)
from .enrollment import enrollment_for, lesson_complete, lesson_open
from .errors import CourseError


class CompletedByPackage(CourseError):
    def __init__(self, lesson):
        super().__init__(f"“{lesson}” is completed by its learning package, not marked done: launch it instead.")


class PackageUnavailable(CourseError):
    """The lesson's package cannot be played now (no version, a standard this hub cannot launch, a unit not open)."""


@dataclass
class Launched:
    """A launch of a lesson's package: the player's URL (relative; its token is its only credential)."""

    url: str
    expires_at: datetime
    standard: str
    launch: object
    package: Package

    @property
    def attempt(self):
        return self.launch.attempt


def lesson_mark_done(*, user, lesson: Lesson, now=None):
    """The learner's "Mark as done": ``lesson_complete``, refused for a lesson that its package completes."""
    if package_refs(lesson):
        raise CompletedByPackage(lesson)
    return lesson_complete(user=user, lesson=lesson, now=now)


def _cmi5_launch_start(**launch):
    session, token = cmi5_launch_start(**launch)
    return session.launch, token


def package_launcher(package: Package):
    """The launch function and the player's URL function for ``package``'s standard (one place chooses them);
    every launch function has the shape of ``elearning.services.runtime.launch_start``: ``(launch, token)``."""
    if package.standard in (Package.Standard.SCORM12, Package.Standard.SCORM2004):
        return launch_start, launch_url
    if package.standard == Package.Standard.CMI5:
        return _cmi5_launch_start, cmi5_player_url
    raise PackageUnavailable(f"{package.get_standard_display()} packages cannot be launched on this hub.")


def package_lesson_launch(*, user, lesson: Lesson, block_id: str | None = None, now=None) -> Launched:
    """Launch the lesson's package (its first package block, or ``block_id``) for ``user``.

    The caller has applied the audience rule (the lesson's course is visible to ``user``). Refused (409) when
    the learner is not enrolled, the lesson has no package block, or the package cannot be played now. The
    learner resumes their attempt in this course (``package_context``) where they left off, or at the block's
    unit; the lesson becomes their resume point.
    """
    refs = package_refs(lesson)
    ref = next((r for r in refs if block_id in (None, "", r.block_id)), None)
    if ref is None:
        raise PackageUnavailable(f"“{lesson}” has no learning package to launch.")
    course = lesson.module.course
    enrollment = enrollment_for(user=user, course=course)
    package = Package.objects.select_related("current_version").filter(pk=ref.package_id).first()
    if package is None:
        raise PackageUnavailable(f"The learning package of “{lesson}” is gone.")
    start, url_of = package_launcher(package)
    try:
        launch, token = start(
            user=user,
            package=package,
            context=package_context(course.pk, enrollment.round),
            unit=ref.unit or None,
            now=now,
        )
    except ValidationError as error:
        raise PackageUnavailable(" ".join(error.messages)) from error
    lesson_open(user=user, lesson=lesson, now=now)
    return Launched(
        url=url_of(token), expires_at=launch.expires_at, standard=package.standard, launch=launch, package=package
    )


def _unit_results(unit: str, rows: dict):
    """``(completed, passed, score)`` of one SCO of the attempt, from its run-time data."""
    row = rows.get(unit)
    if row is None:
        return False, None, None
    passed = {"passed": True, "failed": False}.get(row.success_status)
    score = None if row.score_scaled is None else (row.score_scaled * 100).quantize(Decimal("0.01"))
    return row.completion_status == "completed", passed, score


def package_attempt_heard(*, attempt, user, context: str, completed: bool, passed, score, now=None) -> list[Lesson]:
    """Results of ``attempt`` (a package's runtime reported them): keep them per lesson block, complete lessons.

    Only attempts launched by a course (``package_context``: the course and the round) count, and only while that
    round is the learner's current one. For each lesson of that course with a
    block of the package: the ``PackageResult`` of the block is brought up to date (the unit's own results
    when the block names a unit); the first time every package block of the lesson meets its rule, the
    lesson is completed (``lesson_complete``: the course completes when due, certificates follow). Completion
    is never undone. Answers the lessons completed now.
    """
    found = context_course_and_round(context)
    if found is None:
        return []
    course_id, round_ = found
    # Results count in the round that launched them, and only while it is the learner's current round.
    enrollment = Enrollment.objects.current().filter(user=user, course_id=course_id, round=round_).first()
    if enrollment is None:
        return []
    lessons = lessons_with_package(course_id=course_id, package_id=attempt.package_id)
    if not lessons:
        return []
    now = now or timezone.now()
    units = attempt.version.units
    rows = None
    completed_now = []
    with transaction.atomic():
        for lesson, refs in lessons:
            for ref in refs:
                if ref.package_id != attempt.package_id:
                    continue
                if ref.unit and len(units) > 1:
                    if rows is None:
                        rows = {row.unit: row for row in ScoRuntime.objects.filter(attempt=attempt)}
                    results = _unit_results(ref.unit, rows)
                else:
                    results = (completed, passed, score)
                _record(
                    enrollment=enrollment,
                    lesson=lesson,
                    ref=ref,
                    attempt=attempt,
                    results=results,
                    units=units,
                    now=now,
                )
            if _all_met(enrollment=enrollment, lesson=lesson, refs=refs) and not _done(enrollment, lesson):
                try:
                    lesson_complete(user=user, lesson=lesson, now=now)
                except CourseError:  # no longer enrolled: the result is kept, the lesson waits
                    continue
                completed_now.append(lesson)
    return completed_now


def _record(*, enrollment, lesson, ref, attempt, results, units, now) -> PackageResult:
    completed, passed, score = results
    result, _created = PackageResult.objects.select_for_update().get_or_create(
        enrollment=enrollment,
        lesson=lesson,
        package_id=ref.package_id,
        unit=ref.unit,
        defaults={"user_id": enrollment.user_id, "updated_at": now},
    )
    result.attempt = attempt
    result.completed, result.passed, result.score = bool(completed), passed, score
    if score is not None and (result.best_score is None or score > result.best_score):
        result.best_score = score
    met = rule_met(ref, completed=bool(completed), passed=passed, score=score, pass_mark=pass_mark_of(ref, units))
    if met and result.rule_met_at is None:
        result.rule_met_at = now
    result.updated_at = now
    result.full_clean(validate_unique=False, validate_constraints=False)
    result.save()
    return result


def _all_met(*, enrollment, lesson, refs) -> bool:
    met = set(
        PackageResult.objects.filter(enrollment=enrollment, lesson=lesson, rule_met_at__isnull=False).values_list(
            "package_id", "unit"
        )
    )
    return all(ref.key in met for ref in refs)


def _done(enrollment, lesson) -> bool:
    return LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()


def package_outline(package: Package, *, default_title: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """A course's outline made of ``package``: ``[(module title, [(lesson title, unit identifier), …]), …]``.

    One module per block of units (units right under the organization go in a module named ``default_title``,
    else the package's title), one lesson per launchable unit, in the package's order.
    """
    version = package.current_version
    if version is None:
        raise ValidationError({"package": "The package has no version yet."})
    units = [unit for unit in version.units if unit.get("kind") in ("sco", "au", None)]
    if not units:
        raise ValidationError({"package": "The package has no launchable unit."})
    fallback = (default_title or package.title or version.structure.get("title") or "Course")[:200]
    modules: list[tuple[str, list[tuple[str, str]]]] = []
    for unit in units:
        parents = unit.get("parent") or []
        title = ((parents[-1] if len(parents) > 1 else "") or fallback)[:200]
        lesson = ((unit.get("title") or unit["identifier"])[:200], unit["identifier"])
        if modules and modules[-1][0] == title:
            modules[-1][1].append(lesson)
        else:
            modules.append((title, [lesson]))
    return modules


@transaction.atomic
def course_from_package(*, package: Package, title: str | None = None, user, key: str | None = None) -> Course:
    """A draft course made of ``package`` (``package_outline``): a module per block of units, a lesson per unit.

    Each lesson holds a package block naming its unit (a package of one unit: the whole package) with the
    default completion rule. The course is a draft (a first revision by ``user``): editors set its audience,
    review it and publish it. ``ValidationError`` for a package without a version or without units.
    """
    course_title = (title or package.title or "Course")[:255]
    outline = package_outline(package, default_title=course_title)
    single = sum(len(lessons) for _title, lessons in outline) == 1
    course = Course(
        title=course_title,
        key=key or None,
        summary=(package.description or "")[:1000],
        owner=user if getattr(user, "is_staff", False) else None,
        live=False,
    )
    modules = []
    for m, (module_title, lessons_wanted) in enumerate(outline):
        lessons = []
        for n, (lesson_title, unit) in enumerate(lessons_wanted):
            value = {
                "package": package.pk,
                "unit": "" if single else unit,
                "completion_rule": CompletionRule.PACKAGE,
                "counts_score": False,
                "pass_mark": None,
            }
            body = [{"type": "package", "value": value, "id": str(uuid.uuid4())}]
            lessons.append(Lesson(title=lesson_title, sort_order=n, body=body))
        modules.append(CourseModule(title=module_title, sort_order=m, lessons=lessons))
    course.modules = modules
    course.full_clean()
    course.save()
    course.save_revision(user=user, log_action=True)
    return course
