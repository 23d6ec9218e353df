"""Certifications keep who holds what (``certifications.qualifications``): issue, renewal, revocation, reconcile."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificateFactory, CertificationFactory
from certifications.models import Certificate
from certifications.qualifications import held_qualifications_reconcile, unlock_hints
from certifications.services import certificate_issue_if_earned, certificate_revoke
from courses.factories import course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from partners.factories import RoleFactory, partner_user
from partners.models import HeldQualification

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def held(user, certification):
    return (
        HeldQualification.objects.filter(user=user, qualification=certification.qualification)
        .values_list("valid_until", flat=True)
        .first()
    )


def test_each_certification_has_its_qualification_named_and_keyed_after_it():
    keyed = CertificationFactory(key="sdwan-pro", title="SD-WAN Pro")
    plain = CertificationFactory(title="Cloud basics")
    assert (keyed.qualification.key, keyed.qualification.name) == ("sdwan-pro", "SD-WAN Pro")
    assert plain.qualification.key == f"certification-{plain.pk}"
    keyed.title = "SD-WAN Professional"
    keyed.key = "sdwan-professional"
    keyed.save()
    keyed.qualification.refresh_from_db()
    assert (keyed.qualification.key, keyed.qualification.name) == ("sdwan-professional", "SD-WAN Professional")


def test_issue_renewal_and_revocation_keep_the_holder_current():
    course, refresher = course_with(), course_with()
    certification = CertificationFactory(required_courses=[course], renewal_courses=[refresher])
    user = partner_user()
    enrollment, _ = course_enroll(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=NOW)
    original = certificate_issue_if_earned(user=user, certification=certification, now=NOW)
    assert held(user, certification) == original.expires_at
    inside = original.expires_at - timedelta(days=30)
    enrollment, _ = course_enroll(user=user, course=refresher)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=inside)
    renewed = certificate_issue_if_earned(user=user, certification=certification, now=inside)
    assert held(user, certification) == renewed.expires_at  # the renewal runs on
    certificate_revoke(certificate=renewed, reason="Misconduct")
    assert held(user, certification) is None


def test_deleting_a_certificate_ends_what_it_gave():
    certificate = CertificateFactory()
    assert held(certificate.user, certificate.certification) == certificate.expires_at
    certificate.delete()
    assert held(certificate.user, certificate.certification) is None


def test_reconcile_repairs_bulk_writes_and_clears_ended_rows():
    certification = CertificationFactory()
    user, lapsed = partner_user(), partner_user()
    now = timezone.now()
    Certificate.objects.bulk_create(  # no signals, as bench/generate_data writes them
        [
            Certificate(user=user, certification=certification, issued_at=now, expires_at=now + timedelta(days=9)),
            Certificate(user=lapsed, certification=certification, issued_at=now - timedelta(days=9), expires_at=now),
        ]
    )
    HeldQualification.objects.create(user=lapsed, qualification=certification.qualification, valid_until=now)
    assert held(user, certification) is None
    assert held_qualifications_reconcile() == {"created": 1, "updated": 0, "deleted": 1}
    assert held(user, certification) == now + timedelta(days=9)
    assert held(lapsed, certification) is None
    assert held_qualifications_reconcile() == {"created": 0, "updated": 0, "deleted": 0}


def test_unlock_hints_name_only_what_the_user_may_see(django_assert_max_num_queries):
    technical = RoleFactory(key="technical")
    open_course, hidden_course = course_with(title="Open course"), course_with(title="Hidden course")
    hidden_course.roles.set([technical])
    hidden_course.save()
    visible = CertificationFactory(title="Visible", required_courses=[open_course, hidden_course])
    secret = CertificationFactory(title="Secret", roles=[technical])
    user = partner_user()
    with django_assert_max_num_queries(4):
        hints = unlock_hints(user=user, qualification_ids=[visible.qualification_id, secret.qualification_id])
    assert list(hints) == [visible.qualification_id]
    assert [c["title"] for c in hints[visible.qualification_id]["courses"]] == ["Open course"]
