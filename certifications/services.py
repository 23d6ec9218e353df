"""Writes of certifications: issue when earned (exactly once), renew inside the window, revoke.

Issuance runs after a course completion or an exam pass. It locks the holder's user
row, so parallel completions of the same person are serialized, and a partial unique
constraint keeps one current certificate per holder and certification even if a
caller forgets the lock.
"""

import calendar
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.log_actions import log

from courses.models import Enrollment, QuizAttempt
from partners.models import PartnerMembership

from .models import Certificate, Certification

ISSUE_ACTION = "partnerhub.certificate.issue"
RENEW_ACTION = "partnerhub.certificate.renew"
REVOKE_ACTION = "partnerhub.certificate.revoke"


class CertificationError(Exception):
    """A certificate action that does not apply (the message says why)."""


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months, on the last day of a shorter month when needed."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def requirements_met(*, user, certification: Certification, courses=None, since=None) -> bool:
    """Every course in ``courses`` (the required ones by default) completed, and the exam passed, after ``since``."""
    courses = list(certification.required_courses.all() if courses is None else courses)
    completions = Enrollment.objects.filter(user=user, course__in=courses, completed_at__isnull=False)
    if since is not None:
        completions = completions.filter(completed_at__gte=since)
    if completions.values("course").distinct().count() < len(courses):
        return False
    if certification.exam_id:
        passes = QuizAttempt.objects.filter(user=user, quiz_id=certification.exam_id, passed=True)
        if since is not None:
            passes = passes.filter(submitted_at__gte=since)
        if not passes.exists():
            return False
    return bool(courses) or bool(certification.exam_id)


def _new_certificate(*, user, certification: Certification, issued_at, expires_at, renewed_from=None) -> Certificate:
    partner_id = PartnerMembership.objects.filter(user=user).values_list("partner_id", flat=True).first()
    certificate = Certificate(
        user=user,
        certification=certification,
        partner_id=partner_id,
        certification_revision_id=certification.live_revision_id,
        issued_at=issued_at,
        expires_at=expires_at,
        renewed_from=renewed_from,
    )
    certificate.full_clean(validate_constraints=False)
    certificate.save()
    return certificate


def certificate_issue_if_earned(*, user, certification: Certification, now=None) -> Certificate | None:
    """Issue (or renew) ``certification`` to ``user`` when its requirements are met; ``None`` when nothing is due.

    Exactly once: the user row is locked for the decision, and the constraint on current
    certificates catches anyone who skips the lock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        current = Certificate.objects.filter(
            user=user, certification=certification, superseded_at__isnull=True
        ).first()
        if current and not current.revoked_at:
            return _renew_if_due(current=current, now=now)
        if not requirements_met(user=user, certification=certification):
            return None
        if current:  # revoked: a fresh issue supersedes it (the revocation stays on record)
            current.superseded_at = now
            current.save(update_fields=["superseded_at"])
        try:
            with transaction.atomic():
                certificate = _new_certificate(
                    user=user,
                    certification=certification,
                    issued_at=now,
                    expires_at=add_months(now, certification.validity_months),
                )
        except IntegrityError:  # issued by a parallel completion that skipped the lock
            return None
        log(certificate, ISSUE_ACTION)
        return certificate


def _renew_if_due(*, current: Certificate, now) -> Certificate | None:
    certification = current.certification
    if current.expires_at <= now or (current.expires_at - now).days >= certification.renewal_window_days:
        return None  # expired (earn it again) or not inside the renewal window yet
    renewal_courses = list(certification.renewal_courses.all()) or None
    if not requirements_met(
        user=current.user, certification=certification, courses=renewal_courses, since=current.issued_at
    ):
        return None
    current.superseded_at = now
    current.save(update_fields=["superseded_at"])
    renewed = _new_certificate(
        user=current.user,
        certification=certification,
        issued_at=now,
        expires_at=add_months(current.expires_at, certification.validity_months),  # from the old expiry
        renewed_from=current,
    )
    log(renewed, RENEW_ACTION)
    return renewed


def certificate_revoke(*, certificate: Certificate, reason: str, user=None, now=None) -> Certificate:
    """Revoke with a reason (shown by verification). Revoking twice is refused."""
    if certificate.revoked_at:
        raise CertificationError("This certificate is revoked already.")
    if not reason.strip():
        raise CertificationError("Give the reason for revoking it.")
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = user
    certificate.revocation_reason = reason.strip()
    certificate.full_clean(validate_constraints=False)
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    log(certificate, REVOKE_ACTION, user=user, data={"reason": certificate.revocation_reason})
    return certificate


def _recipients(certificate: Certificate) -> list[str]:
    """The holder, and the admins of the holder's partner (role ``admin``), who keep the partner's tier."""
    emails = [certificate.user.email] if certificate.user.email else []
    if certificate.partner_id:
        admins = PartnerMembership.objects.filter(
            partner_id=certificate.partner_id, roles__key="admin", user__is_active=True
        ).exclude(user__email="")
        emails += [email for email in admins.values_list("user__email", flat=True) if email not in emails]
    return emails


def expiry_reminders_send(*, now=None) -> int:
    """E-mail holders (and their partner's admins) before a certificate expires, and when it has.

    Lead times come from ``CERTIFICATE_EXPIRY_REMINDER_DAYS`` (e.g. 60, 30, 7); each is
    sent once per certificate, and so is the notice that it expired. Current,
    unrevoked certificates only: a renewed one has nothing to remind.
    """
    from django.conf import settings
    from django.core.mail import send_mail

    from cms.services import reminder_lead_time

    now = now or timezone.now()
    lead_times = settings.CERTIFICATE_EXPIRY_REMINDER_DAYS
    current = Certificate.objects.filter(
        superseded_at__isnull=True, revoked_at__isnull=True, user__is_active=True
    ).select_related("user", "certification")
    sent = 0
    horizon = now + timedelta(days=max(lead_times, default=0))
    for certificate in current.filter(expires_at__gt=now, expires_at__lte=horizon):
        lead = reminder_lead_time((certificate.expires_at - now).days, lead_times)
        if lead is None or (certificate.reminded_days is not None and certificate.reminded_days <= lead):
            continue
        if recipients := _recipients(certificate):
            send_mail(
                subject=f"“{certificate.certification.title}” expires on {certificate.expires_at:%B %-d, %Y}",
                message=(
                    f"The certificate of {certificate.user.get_full_name() or certificate.user.get_username()} "
                    f"in “{certificate.certification.title}” expires on {certificate.expires_at:%A %B %-d, %Y}. "
                    f"It can be renewed from {certificate.certification.renewal_window_days} days before then.\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
            sent += 1
        Certificate.objects.filter(pk=certificate.pk).update(reminded_days=lead)
    for certificate in current.filter(expires_at__lte=now, expiry_notified_at__isnull=True):
        if recipients := _recipients(certificate):
            send_mail(
                subject=f"“{certificate.certification.title}” has expired",
                message=(
                    f"The certificate of {certificate.user.get_full_name() or certificate.user.get_username()} "
                    f"in “{certificate.certification.title}” expired on {certificate.expires_at:%B %-d, %Y}; "
                    "verification now says so. Earn it again to be certified.\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
            sent += 1
        Certificate.objects.filter(pk=certificate.pk).update(expiry_notified_at=now)
    return sent
