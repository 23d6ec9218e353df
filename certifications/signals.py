"""Signal receivers of certifications: a completed course or a passed exam may earn (or renew) a certificate;
a published certification goes to those who have done its path already; every certificate written keeps
what its holder holds (``qualifications``)."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from wagtail.signals import published

from core.outbox.services import outbox_enqueue
from core.signals import course_completed, quiz_passed
from courses.models import Course, Quiz

from .models import Certificate, Certification
from .qualifications import on_certificate_changed, on_certification_saved
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
    # In the outbox, with the publish: the worker issues it to earners once the broker takes it (Redis down: later).
    outbox_enqueue(task=issue_to_earners, args=[instance.pk], dedupe_key=f"issue-to-earners:{instance.pk}")


def connect():
    course_completed.connect(issue_after_course_completion, sender=Course, dispatch_uid="certifications-on-course")
    quiz_passed.connect(issue_after_exam_pass, sender=Quiz, dispatch_uid="certifications-on-exam")
    published.connect(issue_after_publish, sender=Certification, dispatch_uid="certifications-on-publish")
    # Qualification gating (``certifications.qualifications``): holders kept current in the same transaction.
    post_save.connect(on_certification_saved, sender=Certification, dispatch_uid="certifications-qualification")
    post_save.connect(on_certificate_changed, sender=Certificate, dispatch_uid="certifications-holder-saved")
    post_delete.connect(on_certificate_changed, sender=Certificate, dispatch_uid="certifications-holder-deleted")
