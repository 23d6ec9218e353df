"""Retakes: a learner who completed a course may take it again, as a new *round* of enrolment.

Round 1 is the first enrolment; ``course_retake`` starts round n+1 once round n is completed. Earlier
rounds are kept as they were (dates, lessons done) and are the learner's history; everything the
learner does from then on belongs to the new round, which starts with no lesson done:

* lessons are done per round (``LessonCompletion.enrollment``);
* a required quiz counts for a retake round only when passed in an attempt started during it, and
  its attempt limit counts the attempts started during it (round 1 counts every attempt, wherever
  taken, as before rounds existed). Attempt numbers stay unique per learner and quiz across rounds;
* completing a round sends ``course_completed`` again (with ``round``): certifications renew by it
  when their renewal asks for a retake (``certifications.renewal``).

A retake needs the course to be visible to the learner now (the audience rule; 404 otherwise) and
its prerequisites completed (in any round); it keeps the current round's assignment (so an old
assignment is never applied to the new round again) but no due date.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Course, Enrollment
from .enrollment import enrollment_for, prerequisites_check
from .errors import CourseError, NotVisible, RoundOpen


def course_retake(*, user, course: Course, now=None) -> Enrollment:
    """Start the next round of ``course`` for ``user`` and answer it; the current round must be completed.

    Refused with ``NotVisible`` (404) when the course is not visible to ``user``, ``NotEnrolled`` when
    they never enrolled, ``RoundOpen`` while the current round is not completed, ``PrerequisitesMissing``
    when a prerequisite was added since and is not completed. Two retakes at once start one round.
    """
    now = now or timezone.now()
    if not Course.objects.visible_to(user).filter(pk=course.pk).exists():
        raise NotVisible
    with transaction.atomic():
        current = enrollment_for(user=user, course=course)
        current = Enrollment.objects.select_for_update().get(pk=current.pk)
        if not current.is_current or not current.completed_at:  # a parallel retake came first
            raise RoundOpen(course, current.round + (not current.is_current))
        prerequisites_check(user=user, course=course)
        Enrollment.objects.filter(pk=current.pk).update(is_current=False)
        retake = Enrollment(
            user=user,
            course=course,
            round=current.round + 1,
            source=Enrollment.Source.SELF,
            assignment=current.assignment,
            enrolled_at=now,
            last_activity_at=now,
        )
        retake.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                retake.save()
        except IntegrityError as error:  # started by a parallel request a moment ago
            raise CourseError(f"You started round {current.round + 1} of “{course}” a moment ago.") from error
    return retake
