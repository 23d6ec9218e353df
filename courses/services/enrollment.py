"""Enrolment in a course (its prerequisites completed first), and lessons opened and completed.

Everything here acts on the learner's *current round* of the course (``Enrollment.objects.current()``):
the first enrolment is round 1; ``rounds.course_retake`` starts the next. Lessons are done per round.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Course, Enrollment, Lesson, LessonCompletion
from .errors import NotEnrolled, PrerequisitesMissing
from .progress import enrollment_refresh_completion


def missing_prerequisites(*, user, course: Course) -> list[Course]:
    """The prerequisites of ``course`` that ``user`` never completed (a completion in any round counts)."""
    completed = set(Enrollment.objects.filter(user=user).completed().values_list("course_id", flat=True))
    return [prerequisite for prerequisite in course.prerequisites.all() if prerequisite.pk not in completed]


def prerequisites_check(*, user, course: Course) -> None:
    """Refuse (``PrerequisitesMissing``) while a prerequisite is not completed; those ``user`` may not see are
    counted, never named."""
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        visible = set(
            Course.objects.visible_to(user).filter(pk__in=[c.pk for c in missing]).values_list("pk", flat=True)
        )
        raise PrerequisitesMissing([c for c in missing if c.pk in visible], hidden=len(missing) - len(visible))


def course_enroll(*, user, course: Course, now=None) -> tuple[Enrollment, bool]:
    """Enrol ``user`` in ``course`` (idempotent): ``(current round, created)``. Prerequisites must be completed.

    Enrolled already (in any round): answers the current round, unchanged. A new round is a retake
    (``rounds.course_retake``), never a second enrolment.
    """
    existing = Enrollment.objects.current().filter(user=user, course=course).first()
    if existing:
        return existing, False
    prerequisites_check(user=user, course=course)
    enrollment = Enrollment(user=user, course=course, enrolled_at=now or timezone.now())
    enrollment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:  # enrolled by a parallel request a moment ago
        return Enrollment.objects.current().get(user=user, course=course), False
    return enrollment, True


def enrollment_for(*, user, course: Course) -> Enrollment:
    """``user``'s current round of ``course``; ``NotEnrolled`` when they never enrolled."""
    enrollment = Enrollment.objects.current().filter(user=user, course=course).first()
    if enrollment is None:
        raise NotEnrolled(course)
    return enrollment


def lesson_open(*, user, lesson: Lesson, now=None) -> Enrollment:
    """Remember ``lesson`` as where the learner resumes."""
    enrollment = enrollment_for(user=user, course=lesson.module.course)
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now or timezone.now()
    enrollment.save(update_fields=["last_lesson", "last_activity_at"])
    return enrollment


def lesson_complete(*, user, lesson: Lesson, now=None) -> tuple[LessonCompletion, bool]:
    """Mark ``lesson`` done in the current round (idempotent), move the resume point on, and complete the round
    when due."""
    now = now or timezone.now()
    enrollment = enrollment_for(user=user, course=lesson.module.course)
    completion, created = LessonCompletion.objects.get_or_create(
        enrollment=enrollment, lesson=lesson, defaults={"user": user, "completed_at": now}
    )
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now
    enrollment.save(update_fields=["last_lesson", "last_activity_at"])
    enrollment_refresh_completion(enrollment=enrollment, now=now)
    return completion, created
