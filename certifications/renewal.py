"""Renewal of certifications: what a holder does again, and from when it counts (``renewal_requires``).

* ``refresher`` (the rule before retakes existed): complete any one of the certification's renewal
  courses after the last issue; one completed before the renewal window opened is applied when it
  opens (``services.certificates_due_apply``, hourly).
* ``retake_courses``: complete every required course again, each in a round completed after the
  renewal window opened: a learner retakes a completed course as a new round
  (``courses.services.rounds.course_retake``), and every completed round sends ``course_completed``.
* ``retake_exam``: pass the exam again, in an attempt started after the renewal window opened.
* ``retake_all``: both.

A lapsed (expired) certificate is earned again the same way (its window opened before it expired); a
revoked one only by what is done after the revocation, whatever the rule. What counts is decided by
``renewal_counts_from`` and ``renewal_completed_since``; ``services.certificate_issue_if_earned`` applies
them under its lock, ``selectors.renewal_path`` shows them to the holder, and ``how_to_renew`` words them
for the expiry e-mails.
"""

from django.utils import timezone

from courses.models import Enrollment, QuizAttempt

from .models import Certificate, Certification, RenewalRequires

RETAKES_COURSES = (RenewalRequires.RETAKE_COURSES, RenewalRequires.RETAKE_ALL)
RETAKES_EXAM = (RenewalRequires.RETAKE_EXAM, RenewalRequires.RETAKE_ALL)


def renewal_counts_from(certificate: Certificate):
    """The moment after which what the holder does renews (or re-earns) ``certificate``.

    Revoked: the revocation. By a renewal course: the issue. By a retake: the opening of the renewal
    window (a retake is a fresh proof of knowledge, not a head start taken the day after the issue).
    """
    if certificate.revoked_at:
        return certificate.revoked_at
    if certificate.certification.renewal_requires == RenewalRequires.REFRESHER:
        return certificate.issued_at
    return max(certificate.issued_at, certificate.renewal_opens_at)


def exam_passed_since(*, user, certification: Certification, since) -> bool:
    """Whether ``user`` passed the exam in an attempt started after ``since``."""
    if not certification.exam_id:
        return False
    return QuizAttempt.objects.filter(
        user=user, quiz_id=certification.exam_id, passed=True, started_at__gt=since
    ).exists()


def courses_retaken_since(*, user, certification: Certification, since) -> bool:
    """Whether ``user`` completed every required course in a round completed after ``since``."""
    course_ids = set(certification.required_courses.values_list("pk", flat=True))
    if not course_ids:
        return False
    done = Enrollment.objects.filter(user=user, course_id__in=course_ids, completed_at__gt=since)
    return set(done.values_list("course_id", flat=True)) == course_ids


def renewal_completed_since(*, user, certification: Certification, since) -> bool:
    """Whether ``user`` did after ``since`` what the certification's renewal rule asks."""
    rule = certification.renewal_requires
    if rule == RenewalRequires.REFRESHER:
        return Enrollment.objects.filter(
            user=user, course__in=certification.renewal_courses.all(), completed_at__gt=since
        ).exists()
    if rule in RETAKES_COURSES and not courses_retaken_since(user=user, certification=certification, since=since):
        return False
    if rule in RETAKES_EXAM and not exam_passed_since(user=user, certification=certification, since=since):
        return False
    return True


def has_renewal_path(certification: Certification, *, renewal_courses_total: int) -> bool:
    """A renewal course to complete, or something to retake (the editor's form makes sure it exists)."""
    if certification.renewal_requires == RenewalRequires.REFRESHER:
        return bool(renewal_courses_total)
    return True


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%B %-d, %Y}"


def how_to_renew(certificate: Certificate) -> str:
    """How to renew, for the expiry e-mails (English, like the other e-mails).

    ``certificate`` is annotated with ``renewal_courses_total`` and ``required_courses_total``.
    """
    certification = certificate.certification
    rule = certification.renewal_requires
    if not has_renewal_path(certification, renewal_courses_total=certificate.renewal_courses_total):
        return "This certification has no renewal path: once expired, it no longer counts."
    months = certification.validity_months
    opens = _day(certificate.renewal_opens_at)
    if rule == RenewalRequires.REFRESHER:
        courses = certificate.renewal_courses_total
        which = "its renewal course" if courses == 1 else f"one of its {courses} renewal courses"
        return (
            f"To renew it for another {months} months, complete {which} "
            f"(the Certifications page lists them); renewals count from {opens}."
        )
    required = certificate.required_courses_total
    courses = "its required course" if required == 1 else f"its {required} required courses"
    what = {
        RenewalRequires.RETAKE_COURSES: f"retake {courses}",
        RenewalRequires.RETAKE_EXAM: "pass its exam again",
        RenewalRequires.RETAKE_ALL: f"retake {courses} and pass its exam again",
    }[rule]
    return (
        f"To renew it for another {months} months, {what} (the Certifications page shows how); "
        f"only what you complete from {opens}, when the renewal window opens, counts."
    )
