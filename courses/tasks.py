"""Celery tasks of courses: thin wrappers around ``courses.services`` functions, run by beat."""

from celery import shared_task

from .services.assignments import course_assignments_apply_all
from .services.reminders import due_reminders_send


@shared_task(acks_late=True)
def apply_course_assignments() -> int:
    """Enrol learners who joined an assigned partner, type or tier since the last run."""
    return course_assignments_apply_all()


@shared_task(acks_late=True)
def send_course_due_reminders() -> int:
    """E-mail learners about assigned courses due soon (each lead time once)."""
    return due_reminders_send()
