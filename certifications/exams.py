"""Writes of stand-alone exams: a certification's exam taken on its own, without a course.

A learner who may see the certification (the audience rule; callers answer 404 otherwise)
and has completed its ``exam_prerequisites`` starts an attempt at its exam quiz; the
drawing, numbering under the unique constraint, attempt limit, time limit and grading are
courses' own (``quiz_attempt_start`` with ``course=None``, ``quiz_attempt_submit``), so
attempts count per learner and quiz wherever they were taken. Proctoring-light: one attempt
in progress at a time, and the candidate sees their score and pass or fail only, never the
answers (``courses.selectors.answers_revealed`` is false for attempts without a course, and
the certification's quiz must never show answers). A pass sends ``quiz_passed`` like any
quiz, so the certificate is issued exactly as before (``certificate_issue_if_earned``).
"""

import random

from django.utils import timezone

from courses.models import QuizAttempt
from courses.services.attempts import quiz_attempt_start, quiz_attempt_submit
from courses.services.errors import CourseError

from .exam_selectors import exam_state
from .models import Certificate, Certification, RenewalRequires
from .renewal import renewal_counts_from
from .services import CertificationError


class ExamRefused(CertificationError):
    """A stand-alone exam action that does not apply now (409, or 422 for malformed answers); the message says
    why."""

    def __init__(self, message: str, *, status: int = 409):
        super().__init__(message)
        self.status = status


class ExamPrerequisitesMissing(ExamRefused):
    """Courses to complete first: those the learner may see are named, the others counted."""

    def __init__(self, missing: list[dict], *, hidden: int = 0):
        self.missing = list(missing)
        self.hidden = hidden
        names = ", ".join(f"“{course['title']}”" for course in self.missing)
        hidden_text = f"{hidden} course(s) not open to you" if hidden else ""
        super().__init__(f"Complete these courses first: {', '.join(filter(None, [names, hidden_text]))}.")


def exam_attempt_start(
    *, user, certification: Certification, now=None, rng: random.Random | None = None
) -> tuple[QuizAttempt, bool]:
    """Start an attempt at ``certification``'s stand-alone exam (or answer the one in progress):
    ``(attempt, created)``.

    ``certification`` comes from ``exam_for_partner`` (visible to ``user``, exam taken on its own). Refused
    (``ExamPrerequisitesMissing``) until its exam prerequisites are completed, and (``ExamRefused``) when the
    exam is passed already or no attempts are left. Two starts at once become one attempt.
    """
    if not certification.exam_standalone or certification.exam_id is None:
        raise ExamRefused(f"“{certification}” has no exam to take on its own.")
    state = exam_state(user=user, certification=certification, now=now)
    if not state.eligible:
        raise ExamPrerequisitesMissing(state.missing, hidden=state.hidden_missing)
    try:
        return quiz_attempt_start(
            user=user,
            quiz=certification.exam,
            course=None,
            counts_from=exam_retake_counts_from(user=user, certification=certification, now=now),
            now=now,
            rng=rng,
        )
    except CourseError as error:
        raise ExamRefused(str(error), status=error.status) from error


def exam_retake_counts_from(*, user, certification: Certification, now=None):
    """When the exam may be sat again to renew (or re-earn) the holder's certificate: from then on an earlier
    pass no longer refuses an attempt and the attempt limit counts afresh. ``None`` while the renewal rule does
    not ask for the exam again, the holder has no certificate, or its renewal window has not opened."""
    if certification.renewal_requires not in (RenewalRequires.RETAKE_EXAM, RenewalRequires.RETAKE_ALL):
        return None
    certificate = (
        Certificate.objects.filter(user=user, certification=certification, superseded_at__isnull=True)
        .select_related("certification")
        .first()
    )
    if certificate is None:
        return None
    since = renewal_counts_from(certificate)
    return since if since <= (now or timezone.now()) else None


def exam_attempt_submit(
    *, user, certification: Certification, attempt_id: int, answers: dict, now=None
) -> tuple[QuizAttempt, bool]:
    """Grade ``user``'s attempt at ``certification``'s exam once: ``(attempt, graded_now)``.

    ``QuizAttempt.DoesNotExist`` for an attempt that is not theirs at this exam; ``ExamRefused`` (422) for
    answers the attempt did not offer. A pass issues the certificate when the rest of the path is done.
    """
    if not QuizAttempt.objects.filter(pk=attempt_id, user=user, quiz_id=certification.exam_id).exists():
        raise QuizAttempt.DoesNotExist
    try:
        return quiz_attempt_submit(user=user, attempt_id=attempt_id, answers=answers, now=now)
    except CourseError as error:
        raise ExamRefused(str(error), status=error.status) from error
