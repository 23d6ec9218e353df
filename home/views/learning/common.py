"""What the learning pages share: loading a course the user may see with their progress, and the refusals'
messages in the user's language (the services' own messages are the API's, in English)."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.gating.locking import raise_if_locked
from courses.models import Course
from courses.selectors import course_for_partner, learner_state
from courses.services.errors import InvalidAnswers, NotEnrolled, PrerequisitesMissing, RoundOpen

from .outline import Outline, course_outline


def outline_or_404(*, user, course_id: int) -> Outline:
    """The course ``user`` may see, with its outline and their progress (a fixed number of queries); else 404."""
    course = course_for_partner(user=user, course_id=course_id)
    if course is None:
        raise_if_locked(Course, user=user, pk=course_id)  # the portal answers what unlocks it (403)
        raise Http404
    return course_outline(course, learner_state(user=user, courses=[course]))


def course_error_message(error) -> str:
    """A ``CourseError`` of the services, said in the portal's words."""
    if isinstance(error, NotEnrolled):
        return _("Enrol in this course first.")
    if isinstance(error, PrerequisitesMissing):
        names = ", ".join(f"“{course.title}”" for course in error.missing)
        parts = [names] if names else []
        if error.hidden:
            parts.append(
                ngettext("%(n)d course not open to you", "%(n)d courses not open to you", error.hidden)
                % {"n": error.hidden}
            )
        return _("Complete these courses first: %(courses)s.") % {"courses": ", ".join(parts)}
    if isinstance(error, RoundOpen):
        return _("You have not completed this course yet: finish it before retaking it.")
    if isinstance(error, InvalidAnswers):
        return _("Some answers do not belong to this attempt; nothing was saved. Reload the page and try again.")
    return str(error)
