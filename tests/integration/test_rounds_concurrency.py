"""Retakes under concurrency, on PostgreSQL: parallel retakes of a completed course start one new round."""

from django.db import connection
from django.utils import timezone

import pytest

from courses.factories import course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from courses.services.errors import CourseError
from courses.services.rounds import course_retake
from tests.conftest import make_token_user
from tests.integration.racing import race

# serialized_rollback: the flush after each test would also drop what migrations created (the default locale).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_parallel_retakes_start_one_round():
    assert connection.vendor == "postgresql"
    course = course_with(lessons_per_module=(1,))
    learner = make_token_user().user
    enrollment, _created = course_enroll(user=learner, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())

    results = race(6, lambda i: course_retake(user=learner, course=course))

    started = [r for r in results if isinstance(r, Enrollment)]
    refused = [r for r in results if isinstance(r, CourseError)]
    assert len(started) == 1 and len(refused) == 5, results
    rounds = Enrollment.objects.filter(user=learner, course=course).order_by("round")
    assert list(rounds.values_list("round", "is_current")) == [(1, False), (2, True)]
