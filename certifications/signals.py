"""Signal receivers of certifications: a completed course or a passed exam may earn (or renew) a certificate;
a published certification goes to those who have done its path already."""

from django.db import transaction
from django.db.models import Q

from wagtail.signals import published

from core.signals import course_completed, quiz_passed
from courses.models import Course, Quiz

from .models import Certification
from .services import certificate_issue_if_earned
from .tasks import issue_to_earners


def issue_after_course_completion(sender, user, course, at=None, **kwargs):
    candidates = Certification.objects.live_for_partners().filter(
        Q(required_courses=course) | Q(renewal_courses=course)
    )
    for certification in candidates.distinct():
        certificate_issue_if_earned(user=user, certification=certification, now=at)  # issued when earned


def issue_after_exam_pass(sender, user, quiz, attempt=None, **kwargs):
    for certification in Certification.objects.live_for_partners().filter(exam=quiz):
        certificate_issue_if_earned(user=user, certification=certification, now=attempt and attempt.submitted_at)


def issue_after_publish(sender, instance, **kwargs):
    transaction.on_commit(lambda: issue_to_earners.delay(instance.pk))


def connect():
    course_completed.connect(issue_after_course_completion, sender=Course, dispatch_uid="certifications-on-course")
    quiz_passed.connect(issue_after_exam_pass, sender=Quiz, dispatch_uid="certifications-on-exam")
    published.connect(issue_after_publish, sender=Certification, dispatch_uid="certifications-on-publish")
