"""Writes of certifications: issue when earned (exactly once), renew inside the window, revoke.

Issuance runs after a course completion or an exam pass. It locks the holder's user
row, so parallel completions of the same person are serialized, and a partial unique
constraint keeps one current certificate per holder and certification even if a
caller forgets the lock.
"""

import calendar
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log

from accounts.preferences import CERTIFICATE_REMINDERS, email_wanted, wants_email
from cms.selectors import reminder_lead_time
from core.links import public_url
from core.operations.metrics import count_certificate_on_commit
from core.outbox.services import outbox_mail_now
from courses.models import Enrollment, QuizAttempt
from partners.models import PARTNER_ADMIN_ROLE, PartnerMembership, past_last_day

from .models import Certificate, Certification, ComplianceAlert
from .renewal import how_to_renew, renewal_completed_since, renewal_counts_from
from .selectors import compliance_alert_recipients, partners_compliance

ISSUE_ACTION = "partnerhub.certificate.issue"
RENEW_ACTION = "partnerhub.certificate.renew"
REVOKE_ACTION = "partnerhub.certificate.revoke"
ALERT_ACTION = "partnerhub.partner.below_tier"

logger = logging.getLogger(__name__)


class CertificationError(Exception):
    """A certificate action that does not apply (the message says why)."""


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months, on the last day of a shorter month when needed, counted in local time
    (``TIME_ZONE``), so that a certificate issued on the 15th expires on the 15th where it is read."""
    local = timezone.localtime(moment).replace(tzinfo=None)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    shifted = local.replace(year=year, month=month, day=min(local.day, calendar.monthrange(year, month)[1]))
    return timezone.make_aware(shifted)  # the same wall-clock time, with that day's offset (summer time)


def requirements_met(*, user, certification: Certification) -> bool:
    """Every required course completed and the exam (if any) passed: the full path, first time round.

    The exam counts when passed within its attempt limit, counted over the learner's attempts in every
    course that uses it (``QuizAttempt.objects.passes_within_limit``).
    """
    courses = list(certification.required_courses.all())
    completed = Enrollment.objects.filter(user=user, course__in=courses, completed_at__isnull=False)
    if completed.values("course").distinct().count() < len(courses):
        return False
    exam_passed = QuizAttempt.objects.passes_within_limit().filter(user=user, quiz_id=certification.exam_id)
    if certification.exam_id and not exam_passed.exists():
        return False
    return bool(courses) or bool(certification.exam_id)


def _new_certificate(
    *, user, certification: Certification, issued_at, expires_at, renewed_from=None, earned_by=""
) -> Certificate:
    partner_id = PartnerMembership.objects.filter(user=user).values_list("partner_id", flat=True).first()
    certificate = Certificate(
        user=user,
        certification=certification,
        partner_id=partner_id,
        certification_revision_id=certification.live_revision_id,
        issued_at=issued_at,
        expires_at=expires_at,
        renewed_from=renewed_from,
        earned_by=earned_by,
    )
    certificate.full_clean(validate_constraints=False)
    certificate.save()
    return certificate


def certificate_issue_if_earned(*, user, certification: Certification, now=None) -> Certificate | None:
    """Issue, renew or re-issue ``certification`` to ``user`` when due; ``None`` when nothing is.

    * Never held: issued when the full path is done (required courses and exam).
    * Held and inside the renewal window: renewed when the certification's renewal rule is met
      (``renewal``: a renewal course completed since the issue, or the courses or the exam retaken
      since the window opened); the new certificate runs from the old expiry, and the old one is kept.
    * Lapsed (expired): issued afresh, from now, when the rule is met in the same way (it is
      linked as its predecessor).
    * Revoked: issued afresh when the rule is met after the revocation; the old completions
      never bring a revoked certificate back.

    Exactly once: the user row is locked for the decision, and the constraint on current
    certificates catches anyone who skips the lock.
    """
    now = now or timezone.now()
    if not Certification.objects.visible_to(user).filter(pk=certification.pk).exists():
        return None  # only what the user may see (and is live) is ever issued to them
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        current = (
            Certificate.objects.filter(user=user, certification=certification, superseded_at__isnull=True)
            .select_related("certification")
            .first()
        )
        renewing = current is not None and not current.revoked_at and current.expires_at > now
        if renewing and now < current.renewal_opens_at:
            return None  # not inside the renewal window yet (a renewal done early counts once it opens)
        if current is None:
            earned = requirements_met(user=user, certification=certification)
        else:
            since = renewal_counts_from(current)  # the certification's renewal rule (``renewal``)
            earned = renewal_completed_since(user=user, certification=certification, since=since)
        if not earned:
            return None
        # A renewal runs from the old expiry (renewing early loses nothing); a fresh issue from now.
        expires_at = add_months(current.expires_at if renewing else now, certification.validity_months)
        action = RENEW_ACTION if renewing else ISSUE_ACTION
        renewed_from = current if current and not current.revoked_at else None  # a revoked one is not continued
        if current:
            current.superseded_at = now
            current.save(update_fields=["superseded_at"])
        try:
            with transaction.atomic():
                certificate = _new_certificate(
                    user=user,
                    certification=certification,
                    issued_at=now,
                    expires_at=expires_at,
                    renewed_from=renewed_from,
                    earned_by=certification.renewal_requires if current else Certificate.EarnedBy.PATH,
                )
        except IntegrityError:  # issued by a parallel completion that skipped the lock
            return None
        log(certificate, action)
        count_certificate_on_commit(how="renewed" if renewing else "issued")
        return certificate


def certification_issue_to_earners(*, certification: Certification, now=None) -> int:
    """Issue ``certification`` to everyone who has done its full path and never held it; how many were issued.

    Issuing follows completions, and a course is completed once: those who finished the
    courses before the certification went live (or before a course was added to it, or
    before they joined its audience) get it here, when it is published and by the hourly job.
    """
    course_ids = list(certification.required_courses.values_list("pk", flat=True))
    if not course_ids and not certification.exam_id:
        return 0
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, partner_membership__isnull=False)
        .exclude(certificates__certification=certification)
    )
    if course_ids:
        done = Count(  # distinct courses: a course completed in several rounds counts once
            "enrollments__course",
            filter=Q(enrollments__course__in=course_ids, enrollments__completed_at__isnull=False),
            distinct=True,
        )
        candidates = candidates.annotate(courses_done=done).filter(courses_done=len(course_ids))
    if certification.exam_id:
        passed = QuizAttempt.objects.passes_within_limit().filter(user=OuterRef("pk"), quiz_id=certification.exam_id)
        candidates = candidates.filter(Exists(passed))
    return sum(
        certificate_issue_if_earned(user=user, certification=certification, now=now) is not None
        for user in candidates.order_by("pk")
    )


def certificates_due_apply(*, now=None) -> int:
    """The hourly job: renewals completed before their window opened, now that it has; and certificates earned
    before a certification went live. Returns how many certificates were issued."""
    now = now or timezone.now()
    renewal_completed = Enrollment.objects.filter(
        user=OuterRef("user"),
        course__renewed_certifications=OuterRef("certification"),
        completed_at__gt=OuterRef("issued_at"),
    )
    due = (
        Certificate.objects.filter(superseded_at__isnull=True, revoked_at__isnull=True, user__is_active=True)
        .filter(Exists(renewal_completed))
        .select_related("user", "certification")
    )
    issued = 0
    for certificate in due:
        if now >= certificate.renewal_opens_at and certificate_issue_if_earned(
            user=certificate.user, certification=certificate.certification, now=now
        ):
            issued += 1
    for certification in Certification.objects.live_for_partners(now=now):
        issued += certification_issue_to_earners(certification=certification, now=now)
    return issued


def certificate_revoke(*, certificate: Certificate, reason: str, user=None, now=None) -> Certificate:
    """Revoke with a reason (the holder and staff see it). Revoking twice, or a superseded certificate, is refused.

    The holder's row is locked as for issuing, so a renewal running at the same moment
    cannot supersede the certificate while it is being revoked.
    """
    if not reason.strip():
        raise CertificationError("Give the reason for revoking it.")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=certificate.user_id).first()
        certificate.refresh_from_db(fields=["revoked_at", "superseded_at"])  # as it is now, under the lock
        if certificate.revoked_at:
            raise CertificationError("This certificate is revoked already.")
        if certificate.superseded_at:
            raise CertificationError("This certificate was renewed or re-issued; revoke the current one.")
        certificate.revoked_at = now or timezone.now()
        certificate.revoked_by = user
        certificate.revocation_reason = reason.strip()
        certificate.full_clean(validate_constraints=False)
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        log(certificate, REVOKE_ACTION, user=user, data={"reason": certificate.revocation_reason})
    return certificate


def _recipients(certificate: Certificate, *, today=None) -> list[str]:
    """The holder, and the admins (role ``admin``) of the partner they belong to now, who keep its tier.

    Admins past their last day (``leaves_on``) are no longer the partner's: they hear nothing. Whoever turned
    certificate e-mails off (Profile) is left out.
    """
    holder = certificate.user
    emails = [holder.email] if holder.email and email_wanted(holder, CERTIFICATE_REMINDERS) else []
    membership = getattr(certificate.user, "partner_membership", None)  # loaded with the certificate
    if membership and membership.partner.is_active:
        admins = (
            PartnerMembership.objects.current(today=today)
            .filter(partner_id=membership.partner_id, roles__key=PARTNER_ADMIN_ROLE, user__is_active=True)
            .filter(wants_email(CERTIFICATE_REMINDERS, user_path="user__"))
            .exclude(user__email="")
        )
        emails += [email for email in admins.values_list("user__email", flat=True) if email not in emails]
    return emails


def _day(moment, fmt: str = "%B %-d, %Y") -> str:
    """A date as the holder reads it: in local time (``TIME_ZONE``)."""
    return f"{timezone.localtime(moment):{fmt}}"


def expiry_reminders_send(*, now=None) -> int:
    """E-mail holders (and their partner's admins) before a certificate expires, and when it has.

    Lead times come from ``CERTIFICATE_EXPIRY_REMINDER_DAYS`` (e.g. 60, 30, 7); each is
    sent once per certificate, and so is the notice that it expired. Current,
    unrevoked certificates only: a renewed one has nothing to remind. Nobody past their last day
    (``leaves_on``) is mailed, holder or admin.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    lead_times = settings.CERTIFICATE_EXPIRY_REMINDER_DAYS
    current = (
        Certificate.objects.filter(superseded_at__isnull=True, revoked_at__isnull=True, user__is_active=True)
        # The certificate of someone who left counts for no partner: neither they nor its admins hear of it.
        .exclude(past_last_day(today, prefix="user__partner_membership__"))
        .select_related("user__partner_membership__partner", "user__preferences", "certification")
        .annotate(
            renewal_courses_total=Count("certification__renewal_courses", distinct=True),
            required_courses_total=Count("certification__required_courses", distinct=True),
        )
    )
    sent = 0
    horizon = now + timedelta(days=max(lead_times, default=0))
    for certificate in current.filter(expires_at__gt=now, expires_at__lte=horizon):
        lead = reminder_lead_time((certificate.expires_at - now).days, lead_times)
        if lead is None or (certificate.reminded_days is not None and certificate.reminded_days <= lead):
            continue
        subject = f"“{certificate.certification.title}” expires on {_day(certificate.expires_at)}"
        message = (
            f"The certificate of {certificate.user.get_full_name() or certificate.user.get_username()} "
            f"in “{certificate.certification.title}” expires on "
            f"{_day(certificate.expires_at, '%A %B %-d, %Y')}. "
            f"{how_to_renew(certificate)}\n"
        )
        sent += _remind(
            certificate,
            f"certificate-expiry:{certificate.pk}:{certificate.expires_at:%Y%m%d}:{lead}",
            subject,
            message,
            today=today,
            done={"reminded_days": lead},
        )
    for certificate in current.filter(expires_at__lte=now, expiry_notified_at__isnull=True):
        subject = f"“{certificate.certification.title}” has expired"
        message = (
            f"The certificate of {certificate.user.get_full_name() or certificate.user.get_username()} "
            f"in “{certificate.certification.title}” expired on {_day(certificate.expires_at)}; "
            "verification now says so.\n"
        )
        sent += _remind(
            certificate,
            f"certificate-expired:{certificate.pk}:{certificate.expires_at:%Y%m%d}",
            subject,
            message,
            today=today,
            done={"expiry_notified_at": now},
        )
    return sent


def _remind(certificate, key: str, subject: str, message: str, *, today, done: dict) -> int:
    """Record the reminder e-mail and its mark in one transaction, then send it: each is decided and sent once."""
    recipients = _recipients(certificate, today=today)

    def mark():
        Certificate.objects.filter(pk=certificate.pk).update(**done)

    if not recipients:
        mark()
        return 0
    sent = outbox_mail_now(dedupe_key=key, subject=subject, message=message, recipient_list=recipients, decided=mark)
    return int(sent is not None)


def _alert_gaps(status: dict) -> list[dict]:
    return [
        {"certification": r["certification"].title, "required": r["required"], "holders": r["holders"]}
        for r in status["requirements"]
        if r["holders"] < r["required"]
    ]


def _send_alert(alert: ComplianceAlert) -> list[str]:
    recipients = compliance_alert_recipients(partner=alert.partner)
    if not recipients:
        return []
    lines = [f"- {g['certification']}: {g['holders']} of {g['required']} certified" for g in alert.gaps]
    report_url = public_url(reverse("certifications_reports:compliance"))
    mail.send_mail(
        subject=f"{alert.partner.name} is below the {alert.tier.name} tier's certification requirements",
        message=(
            f"{alert.partner.name} no longer meets the certification requirements of its tier, {alert.tier.name}:\n"
            + "\n".join(lines)
            + "\n\nIts tier has not been changed: that stays your decision. Its staff can earn or renew the "
            f"certifications to close the gap.\nTier compliance of all partners: {report_url}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return recipients


def _notify(alert: ComplianceAlert) -> None:
    """E-mail the alert; a failure is logged and retried by the next check (``notified_to`` stays empty)."""
    try:
        alert.notified_to = _send_alert(alert)
    except Exception:  # one partner's mail must not stop the check for the others
        logger.exception("Could not e-mail the compliance alert of %s; the next check retries.", alert.partner)
        return
    if alert.notified_to:
        alert.save(update_fields=["notified_to"])


def compliance_check(*, now=None, notify: bool = True) -> dict[str, int]:
    """The daily check: raise an alert (and e-mail the channel manager) for each partner newly below its tier,
    refresh the gaps of those still below, and resolve the alerts of those who are back in line.

    Never changes a tier. Returns how many alerts were raised, kept open and resolved.
    ``notify=False`` raises alerts without e-mailing anyone (the demo data); an open alert no one was told
    of (the e-mail failed, or the partner had no channel manager yet) is e-mailed by a later check.
    """
    now = now or timezone.now()
    statuses = {status["partner"].pk: status for status in partners_compliance(now=now)}
    counts = {"raised": 0, "open": 0, "resolved": 0}
    open_alerts = {
        a.partner_id: a
        for a in ComplianceAlert.objects.filter(resolved_at__isnull=True).select_related(
            "partner__channel_manager", "tier"
        )
    }
    refreshed = []
    for partner_id, alert in open_alerts.items():
        status = statuses.get(partner_id)
        if status is None or status["met"] or status["tier"].pk != alert.tier_id:
            if status is None:
                resolution = "The partner was deactivated or its tier has no requirements any more."
            elif status["met"]:
                resolution = "Meets its tier's requirements again."
            else:
                resolution = f"Moved to the {status['tier'].name} tier."
            alert.resolved_at, alert.resolution = now, resolution
            alert.full_clean(validate_constraints=False)
            alert.save(update_fields=["resolved_at", "resolution"])
            counts["resolved"] += 1
        else:
            alert.gaps, alert.checked_at = _alert_gaps(status), now
            refreshed.append(alert)
            if notify and not alert.notified_to:  # no one told yet: the e-mail failed, or there was no one to tell
                _notify(alert)
            counts["open"] += 1
    ComplianceAlert.objects.bulk_update(refreshed, ["gaps", "checked_at"], batch_size=1000)
    still_open = {pid for pid, alert in open_alerts.items() if alert.resolved_at is None}
    for partner_id, status in statuses.items():
        if status["met"] or partner_id in still_open:
            continue
        try:
            with transaction.atomic():
                alert = ComplianceAlert(
                    partner=status["partner"],
                    tier=status["tier"],
                    raised_at=now,
                    checked_at=now,
                    gaps=_alert_gaps(status),
                )
                alert.full_clean(validate_constraints=False)
                alert.save()
        except IntegrityError:  # a parallel check raised it first
            continue
        if notify:
            _notify(alert)
        log(alert.partner, ALERT_ACTION, data={"tier": alert.tier.name, "gaps": alert.gaps})
        counts["raised"] += 1
    return counts
