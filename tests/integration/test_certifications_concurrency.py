"""Certificates under concurrency, on PostgreSQL: parallel completions issue exactly one; parallel compliance
checks raise one alert per partner; the daily check runs on the real Celery worker."""

from django.db import connection

import pytest

from certifications.factories import CertificationFactory, TierRequirementFactory
from certifications.models import Certificate, ComplianceAlert
from certifications.services import certificate_issue_if_earned, compliance_check
from courses.factories import course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from partners.factories import PartnerFactory, StaffUserFactory, TierFactory, partner_user
from tests.integration.racing import race

# serialized_rollback: the flush after each test would also drop what migrations created (the default locale).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_parallel_completions_issue_exactly_one_certificate():
    assert connection.vendor == "postgresql"
    course = course_with()
    certification = CertificationFactory(required_courses=[course])
    user = partner_user()
    enrollment, _ = course_enroll(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=enrollment.enrolled_at)
    results = race(8, lambda i: certificate_issue_if_earned(user=user, certification=certification))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r is not None for r in results) == 1
    assert Certificate.objects.filter(user=user, certification=certification).count() == 1


def _partner_below_its_tier():
    gold = TierFactory(key="gold", rank=30)
    TierRequirementFactory(tier=gold, certification=CertificationFactory(title="Certified seller"), minimum_holders=1)
    return PartnerFactory(name="Acme", tier=gold, channel_manager=StaffUserFactory(email="carla@vendor.test"))


def test_parallel_compliance_checks_raise_one_alert_per_partner():
    partner = _partner_below_its_tier()
    results = race(6, lambda i: compliance_check())
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["raised"] for r in results) == 1
    assert ComplianceAlert.objects.filter(partner=partner, resolved_at__isnull=True).count() == 1


def test_the_daily_compliance_check_runs_on_the_real_worker(celery_worker_process):
    from certifications.tasks import check_tier_compliance

    partner = _partner_below_its_tier()
    assert check_tier_compliance.delay().get(timeout=60) == {"raised": 1, "open": 0, "resolved": 0}
    alert = ComplianceAlert.objects.get(partner=partner)
    assert alert.notified_to == ["carla@vendor.test"]  # the worker e-mailed the channel manager


def test_a_revocation_racing_a_renewal_is_never_lost():
    from datetime import timedelta

    from django.utils import timezone

    from certifications.services import CertificationError, certificate_revoke

    course, refresher = course_with(), course_with()
    certification = CertificationFactory(
        required_courses=[course], renewal_courses=[refresher], validity_months=1, renewal_window_days=20
    )
    user = partner_user()
    now = timezone.now()
    for done, when in ((course, now - timedelta(days=20)), (refresher, now - timedelta(days=1))):
        enrollment, _ = course_enroll(user=user, course=done)
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=when)
    original = certificate_issue_if_earned(user=user, certification=certification, now=now - timedelta(days=20))
    assert original is not None  # expires in about 10 days: inside the window, the refresher done

    def work(i):
        if i % 2:
            return certificate_issue_if_earned(user=user, certification=certification)
        try:
            return certificate_revoke(certificate=Certificate.objects.get(pk=original.pk), reason="Fraud")
        except CertificationError as refused:
            return refused

    results = race(6, work)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, CertificationError)], results
    original.refresh_from_db()
    successors = Certificate.objects.filter(renewed_from=original)
    # Either revoked (and never renewed) or renewed (and the revocations refused): never a revoked, renewed pair.
    assert (original.revoked_at is not None) != successors.exists()
