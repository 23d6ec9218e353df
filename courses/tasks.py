"""Celery tasks of courses: thin wrappers around ``courses.services``, run by beat."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def apply_course_assignments() -> int:
    """Enrol learners who joined an assigned partner, type or tier since the last run."""
    return services.course_assignments_apply_all()


@shared_task(acks_late=True)
def send_course_due_reminders() -> int:
    """E-mail learners about assigned courses due soon (each lead time once)."""
    return services.due_reminders_send()
