"""Certificates under concurrency, on PostgreSQL: parallel completions issue exactly one."""

from django.db import connection

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from certifications.services import certificate_issue_if_earned
from courses.factories import course_with
from courses.models import Enrollment
from courses.services import course_enroll
from partners.factories import partner_user
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
