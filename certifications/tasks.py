"""Celery tasks of certifications: thin wrappers around ``certifications.services``, run by beat."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_certificate_expiry_reminders() -> int:
    """E-mail holders and partner admins before certificates expire, and when they have (each once)."""
    return services.expiry_reminders_send()


@shared_task(acks_late=True)
def check_tier_compliance() -> dict:
    """Flag partners below their tier's certification requirements (e-mailing their channel managers)."""
    return services.compliance_check()


@shared_task(acks_late=True)
def apply_due_renewals() -> int:
    """Renew certificates whose renewal course was completed before their window opened, now that it has."""
    return services.renewals_due_apply()
