"""Signal receivers of certifications: a completed course or a passed exam may earn (or renew) a certificate."""

from django.db.models import Q


def issue_after_course_completion(sender, user, course, at=None, **kwargs):
    from .models import Certification
    from .services import certificate_issue_if_earned

    candidates = Certification.objects.live_for_partners().filter(
        Q(required_courses=course) | Q(renewal_courses=course)
    )
    for certification in candidates.distinct():
        certificate_issue_if_earned(user=user, certification=certification, now=at)  # issued when earned


def issue_after_exam_pass(sender, user, quiz, attempt=None, **kwargs):
    from .models import Certification
    from .services import certificate_issue_if_earned

    for certification in Certification.objects.live_for_partners().filter(exam=quiz):
        certificate_issue_if_earned(user=user, certification=certification, now=attempt and attempt.submitted_at)


def connect():
    from courses.models import Course, Quiz
    from courses.signals import course_completed, quiz_passed

    course_completed.connect(issue_after_course_completion, sender=Course, dispatch_uid="certifications-on-course")
    quiz_passed.connect(issue_after_exam_pass, sender=Quiz, dispatch_uid="certifications-on-exam")
