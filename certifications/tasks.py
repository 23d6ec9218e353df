"""Celery tasks of certifications: thin wrappers around ``certifications.services``, run by beat."""

from celery import shared_task

from . import qualifications, services
from .models import Certification


@shared_task(acks_late=True)
def send_certificate_expiry_reminders() -> int:
    """E-mail holders and partner admins before certificates expire, and when they have (each once)."""
    return services.expiry_reminders_send()


@shared_task(acks_late=True)
def check_tier_compliance() -> dict:
    """Flag partners below their tier's certification requirements (e-mailing their channel managers)."""
    return services.compliance_check()


@shared_task(acks_late=True)
def apply_due_certificates() -> int:
    """Renewals whose window has opened since, and certificates earned before their certification went live;
    then who holds which certification is reconciled with the certificates (gated content reads it)."""
    applied = services.certificates_due_apply()
    qualifications.held_qualifications_reconcile()
    return applied


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def issue_to_earners(certification_id: int) -> int:
    """A certification was published: issue it to those who have done its path already."""
    certification = Certification.objects.filter(pk=certification_id).first()
    return services.certification_issue_to_earners(certification=certification) if certification else 0
