"""A course's completion: set once every lesson is done and every required quiz passed."""

from django.utils import timezone

from core.signals import course_completed

from ..models import Course, Enrollment
from ..selectors import course_progress


def enrollment_refresh_completion(*, enrollment: Enrollment, now=None) -> bool:
    """Set ``completed_at`` when every lesson is done and every required quiz passed. Completion is never undone."""
    if enrollment.completed_at:
        return True
    if not course_progress(user=enrollment.user, course=enrollment.course).complete:
        return False
    enrollment.completed_at = now or timezone.now()
    enrollment.save(update_fields=["completed_at"])
    course_completed.send(sender=Course, user=enrollment.user, course=enrollment.course, at=enrollment.completed_at)
    return True
