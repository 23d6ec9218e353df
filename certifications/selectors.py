"""Reads of certifications for partners (audience-gated) and the public verification."""

from courses.models import Enrollment, QuizAttempt

from .models import Certificate, Certification


def certifications_for_partner(*, user):
    return (
        Certification.objects.visible_to(user)
        .prefetch_related("required_courses")
        .select_related("exam")
        .order_by("title", "pk")
    )


def certificates_of(*, user):
    """``user``'s certificates, the history included, newest first."""
    return Certificate.objects.filter(user=user).select_related("certification", "partner").order_by("-issued_at")


def certificate_of(*, user, certificate_id: int) -> Certificate | None:
    return certificates_of(user=user).filter(pk=certificate_id).first()


def certificate_by_code(*, code: str) -> Certificate | None:
    return Certificate.objects.filter(verification_code=code).select_related("certification", "user").first()


def learner_facts(*, user, certifications) -> tuple[set[int], set[int], dict[int, Certificate]]:
    """Completed course ids, passed quiz ids and current certificates of ``user`` (three queries)."""
    completed = set(
        Enrollment.objects.filter(user=user, completed_at__isnull=False).values_list("course_id", flat=True)
    )
    passed = set(QuizAttempt.objects.filter(user=user, passed=True).values_list("quiz_id", flat=True))
    current = {
        c.certification_id: c
        for c in Certificate.objects.filter(
            user=user, certification__in=certifications, superseded_at__isnull=True
        ).select_related("certification")
    }
    return completed, passed, current
