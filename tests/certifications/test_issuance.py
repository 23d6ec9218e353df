"""Certificates are issued when earned, once; renewed inside the window with history; expire; are revoked."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from certifications.services import (
    CertificationError,
    add_months,
    certificate_issue_if_earned,
    certificate_revoke,
    certification_issue_to_earners,
)
from courses.factories import QuizAttemptFactory, QuizFactory, course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from partners.factories import partner_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def complete(user, course, when):
    enrollment, _ = course_enroll(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=when)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 11, 25, tzinfo=UTC), 24, datetime(2028, 11, 25, tzinfo=UTC)),
        (datetime(2027, 12, 15, tzinfo=UTC), 1, datetime(2028, 1, 15, tzinfo=UTC)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_issued_once_when_every_required_course_is_completed():
    first, second = course_with(), course_with()
    certification = CertificationFactory(required_courses=[first, second], validity_months=24)
    user = partner_user()
    complete(user, first, NOW)
    assert certificate_issue_if_earned(user=user, certification=certification, now=NOW) is None
    complete(user, second, NOW)
    certificate = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    assert certificate.expires_at == datetime(2028, 11, 25, 12, tzinfo=UTC)
    assert certificate.partner == user.partner_membership.partner
    assert len(certificate.verification_code) >= 20
    assert certificate_issue_if_earned(user=user, certification=certification, now=NOW) is None  # once
    assert Certificate.objects.count() == 1


def test_renewal_inside_the_window_extends_from_the_old_expiry_and_keeps_history():
    course, refresher = course_with(), course_with()
    certification = CertificationFactory(
        required_courses=[course], renewal_courses=[refresher], renewal_window_days=60
    )
    user = partner_user()
    complete(user, course, NOW)
    original = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    early = original.expires_at - timedelta(days=90)
    complete(user, refresher, early)
    assert certificate_issue_if_earned(user=user, certification=certification, now=early) is None  # not in window yet
    inside = original.expires_at - timedelta(days=30)
    renewed = certificate_issue_if_earned(user=user, certification=certification, now=inside)
    assert renewed.renewed_from == original
    assert renewed.expires_at == add_months(original.expires_at, certification.validity_months)
    original.refresh_from_db()
    assert original.status_at(inside) == "renewed"
    assert list(Certificate.objects.filter(user=user).order_by("issued_at")) == [original, renewed]


def test_status_follows_the_clock():
    course = course_with()
    certification = CertificationFactory(required_courses=[course], validity_months=12, renewal_window_days=30)
    user = partner_user()
    complete(user, course, NOW)
    certificate = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    assert certificate.status_at(NOW) == "active"
    assert certificate.status_at(certificate.expires_at - timedelta(days=10)) == "expiring"
    assert certificate.status_at(certificate.expires_at + timedelta(seconds=1)) == "expired"
    with time_machine.travel(certificate.expires_at + timedelta(days=1), tick=False):
        assert certificate.status == "expired"


def test_revocation_needs_a_reason_and_happens_once():
    course, refresher = course_with(), course_with()
    certification = CertificationFactory(required_courses=[course], renewal_courses=[refresher])
    user = partner_user()
    complete(user, course, NOW)
    certificate = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    with pytest.raises(CertificationError, match="reason"):
        certificate_revoke(certificate=certificate, reason="  ")
    certificate_revoke(certificate=certificate, reason="Exam answers shared", now=NOW + timedelta(days=1))
    assert certificate.status == "revoked" and certificate.revocation_reason == "Exam answers shared"
    with pytest.raises(CertificationError, match="revoked already"):
        certificate_revoke(certificate=certificate, reason="again")
    # The old completions never bring it back ...
    assert certificate_issue_if_earned(user=user, certification=certification, now=NOW + timedelta(days=2)) is None
    # ... a renewal course completed after the revocation earns it afresh; the revocation stays on record.
    complete(user, refresher, NOW + timedelta(days=3))
    again = certificate_issue_if_earned(user=user, certification=certification, now=NOW + timedelta(days=3))
    certificate.refresh_from_db()
    assert again.renewed_from is None and again.expires_at == add_months(NOW + timedelta(days=3), 24)
    assert certificate.superseded_at is not None and certificate.revoked_at is not None


def test_a_renewal_completed_before_the_window_applies_when_it_opens():
    from certifications.services import certificates_due_apply

    course, refresher = course_with(), course_with()
    certification = CertificationFactory(
        required_courses=[course], renewal_courses=[refresher], validity_months=12, renewal_window_days=30
    )
    user = partner_user()
    complete(user, course, NOW)
    original = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    early = original.expires_at - timedelta(days=100)
    complete(user, refresher, early)  # eager: before the window
    assert certificate_issue_if_earned(user=user, certification=certification, now=early) is None
    assert certificates_due_apply(now=original.expires_at - timedelta(days=31)) == 0  # still closed
    assert certificates_due_apply(now=original.expires_at - timedelta(days=29)) == 1
    renewed = Certificate.objects.get(renewed_from=original)
    assert renewed.expires_at == add_months(original.expires_at, 12)
    assert certificates_due_apply(now=original.expires_at - timedelta(days=28)) == 0  # once


def test_a_lapsed_certificate_is_earned_again_through_the_renewal_path_and_linked():
    course, refresher = course_with(), course_with()
    certification = CertificationFactory(required_courses=[course], renewal_courses=[refresher], validity_months=12)
    user = partner_user()
    complete(user, course, NOW)
    lapsed = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    later = lapsed.expires_at + timedelta(days=40)
    assert certificate_issue_if_earned(user=user, certification=certification, now=later) is None  # old path
    complete(user, refresher, later)
    again = certificate_issue_if_earned(user=user, certification=certification, now=later)
    assert again.renewed_from == lapsed and again.expires_at == add_months(later, 12)  # from now: it had lapsed


def test_without_renewal_courses_a_certificate_cannot_be_renewed():
    course = course_with()
    certification = CertificationFactory(required_courses=[course], validity_months=12, renewal_window_days=60)
    user = partner_user()
    complete(user, course, NOW)
    certificate = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    inside = certificate.expires_at - timedelta(days=10)
    assert certificate_issue_if_earned(user=user, certification=certification, now=inside) is None


def test_expiry_reminders_go_once_per_lead_time_to_the_holder_and_partner_admins(settings):
    from django.core import mail

    from certifications.services import expiry_reminders_send
    from core.outbox.models import OutboxEmail
    from partners.factories import PartnerFactory, RoleFactory

    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [60, 30, 7]
    acme = PartnerFactory(name="Acme")
    admin_role = RoleFactory(key="admin")
    partner_user(partner=acme, roles=[admin_role], user__email="boss@acme.example")
    holder = partner_user(partner=acme, user__email="ann@acme.example")
    course = course_with()
    certification = CertificationFactory(required_courses=[course], validity_months=12)
    complete(holder, course, NOW)
    certificate = certificate_issue_if_earned(user=holder, certification=certification, now=NOW)

    def at(days_before):
        return expiry_reminders_send(now=certificate.expires_at - timedelta(days=days_before))

    assert at(90) == 0
    assert at(59) == 1 and at(45) == 0  # 60 days: once
    assert at(29) == 1 and at(8) == 0  # 30 days: once
    assert at(6) == 1 and at(1) == 0  # 7 days: once
    assert expiry_reminders_send(now=certificate.expires_at + timedelta(hours=1)) == 1  # it expired: once
    assert expiry_reminders_send(now=certificate.expires_at + timedelta(days=3)) == 0
    assert len(mail.outbox) == 4
    assert sorted(mail.outbox[0].to) == ["ann@acme.example", "boss@acme.example"]
    assert "no renewal path" in mail.outbox[0].body  # it has no renewal courses: the reminder says so
    assert mail.outbox[-1].subject.endswith("has expired")
    certification.renewal_courses.set([course_with(title="Refresher")])
    certification.save()
    assert expiry_reminders_send(now=certificate.expires_at - timedelta(days=59)) == 0  # reminded already
    # Forget that it was reminded (its marks, and the e-mails' dedupe records of core.outbox): reminded anew.
    Certificate.objects.filter(pk=certificate.pk).update(reminded_days=None, expiry_notified_at=None)
    OutboxEmail.objects.all().delete()
    expiry_reminders_send(now=certificate.expires_at - timedelta(days=59))
    assert "complete its renewal course (the Certifications page lists them)" in mail.outbox[-1].body


def test_a_revoked_certificate_is_not_reminded(settings):
    from django.core import mail

    from certifications.services import expiry_reminders_send

    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [30]
    course = course_with()
    certification = CertificationFactory(required_courses=[course], validity_months=12)
    holder = partner_user(user__email="ann@example.com")
    complete(holder, course, NOW)
    certificate = certificate_issue_if_earned(user=holder, certification=certification, now=NOW)
    certificate_revoke(certificate=certificate, reason="Fraud")
    assert expiry_reminders_send(now=certificate.expires_at - timedelta(days=10)) == 0
    assert mail.outbox == []


def test_a_certificate_is_never_issued_outside_the_certification_s_audience():
    from partners.factories import PartnerFactory, TierFactory

    course = course_with()  # everyone may take it
    certification = CertificationFactory(required_courses=[course], min_tier=TierFactory(key="gold", rank=30))
    registered = partner_user(partner=PartnerFactory(tier=TierFactory(key="registered", rank=10)))
    complete(registered, course, NOW)
    assert certificate_issue_if_earned(user=registered, certification=certification, now=NOW) is None
    assert not Certificate.objects.exists()


def test_those_who_did_the_path_before_the_certification_went_live_get_it_when_it_is_published(
    django_capture_on_commit_callbacks,
):
    from certifications.services import certificates_due_apply

    course = course_with()
    early, later = partner_user(), partner_user()
    complete(early, course, NOW - timedelta(days=30))  # completions send no signal here: they are before
    certification = CertificationFactory(required_courses=[course], live=False)
    assert certificates_due_apply(now=NOW) == 0  # not live: nothing
    with django_capture_on_commit_callbacks(execute=True):
        certification.save_revision().publish()  # the publish signal issues it, through the task
    assert list(Certificate.objects.values_list("user", flat=True)) == [early.pk]
    complete(later, course, NOW)
    assert certificates_due_apply(now=NOW) == 1  # the hourly job catches anyone missed
    assert certificates_due_apply(now=NOW) == 0


def test_reminders_go_to_the_admins_of_the_partner_the_holder_is_at_now(settings):
    from django.core import mail

    from certifications.services import expiry_reminders_send
    from partners.factories import PartnerFactory, RoleFactory

    admin_role = RoleFactory(key="admin")
    old, new = PartnerFactory(name="Old"), PartnerFactory(name="New")
    partner_user(partner=old, roles=[admin_role], user__email="old-boss@example.com")
    partner_user(partner=new, roles=[admin_role], user__email="new-boss@example.com")
    holder = partner_user(partner=old, user__email="ann@example.com")
    course = course_with()
    certification = CertificationFactory(required_courses=[course], validity_months=12)
    complete(holder, course, NOW)
    certificate = certificate_issue_if_earned(user=holder, certification=certification, now=NOW)
    holder.partner_membership.partner = new
    holder.partner_membership.save()
    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [30]
    expiry_reminders_send(now=certificate.expires_at - timedelta(days=10))
    assert sorted(mail.outbox[0].to) == ["ann@example.com", "new-boss@example.com"]


def test_the_renewal_window_must_be_shorter_than_the_validity():
    from django.core.exceptions import ValidationError

    certification = CertificationFactory(validity_months=3, renewal_window_days=84)
    with pytest.raises(ValidationError, match="at most 83 days"):
        certification.full_clean()


def test_an_exam_passed_after_its_attempt_limit_was_used_up_does_not_count():
    """A pass counts for the certification only when it came within the exam's attempt limit, over every course."""
    exam = QuizFactory(attempt_limit=2)
    practice, required = course_with(final_quiz=exam), course_with(final_quiz=exam)
    certification = CertificationFactory(required_courses=[required], exam=exam)
    user, on_time = partner_user(), partner_user()
    for learner in (user, on_time):
        complete(learner, practice, NOW)
        complete(learner, required, NOW)
    # Failed twice in one course, then passed in the other: what counting attempts per course allowed.
    QuizAttemptFactory(user=user, quiz=exam, course=practice, number=1)
    QuizAttemptFactory(user=user, quiz=exam, course=practice, number=2)
    QuizAttemptFactory(user=user, quiz=exam, course=required, number=3, passed=True)
    QuizAttemptFactory(user=on_time, quiz=exam, course=practice, number=1)
    QuizAttemptFactory(user=on_time, quiz=exam, course=required, number=2, passed=True)
    assert certificate_issue_if_earned(user=user, certification=certification, now=NOW) is None
    assert certification_issue_to_earners(certification=certification, now=NOW) == 1
    assert list(Certificate.objects.values_list("user", flat=True)) == [on_time.pk]
