"""A course's completion, per round: set once every lesson is done and every required quiz passed in that round.

A completed round is never undone; learning it again is a new round (``rounds.course_retake``), and the
completion of every round sends ``core.signals.course_completed`` (certifications hear it: a retake may renew).
"""

from django.utils import timezone

from core.signals import course_completed

from ..models import Course, Enrollment
from ..selectors import course_progress


def enrollment_refresh_completion(*, enrollment: Enrollment, now=None) -> bool:
    """Set ``completed_at`` of this round when every lesson is done and every required quiz passed in it."""
    if enrollment.completed_at:
        return True
    if not course_progress(user=enrollment.user, course=enrollment.course, enrollment=enrollment).complete:
        return False
    enrollment.completed_at = now or timezone.now()
    enrollment.save(update_fields=["completed_at"])
    course_completed.send(
        sender=Course,
        user=enrollment.user,
        course=enrollment.course,
        at=enrollment.completed_at,
        round=enrollment.round,
    )
    return True
