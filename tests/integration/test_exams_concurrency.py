"""Stand-alone exams under concurrency, on PostgreSQL: parallel starts of a certification's exam taken on its own
become one attempt and never pass its limit; parallel submits grade it once and issue one certificate."""

from django.db import connection

import pytest

from certifications.exam_selectors import exam_for_partner
from certifications.exams import exam_attempt_start, exam_attempt_submit
from certifications.factories import CertificationFactory
from certifications.models import Certificate
from courses.factories import QuestionFactory, QuizFactory
from courses.models import Quiz, QuizAttempt
from tests.conftest import make_token_user
from tests.integration.racing import race

# serialized_rollback: the flush after each test would also drop what migrations created (the default locale).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def exam(**quiz_fields):
    quiz = QuizFactory(answers_shown=Quiz.AnswersShown.NEVER, **quiz_fields)
    QuestionFactory(bank=quiz.bank)
    return CertificationFactory(exam=quiz, exam_standalone=True)


def test_parallel_starts_of_a_stand_alone_exam_become_one_attempt():
    assert connection.vendor == "postgresql"
    certification = exam(attempt_limit=1)
    learner = make_token_user().user
    visible = exam_for_partner(user=learner, certification_id=certification.pk)
    results = race(6, lambda i: exam_attempt_start(user=learner, certification=visible))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert QuizAttempt.objects.count() == 1 and QuizAttempt.objects.get().course is None
    assert sum(created for _attempt, created in results) == 1


def test_parallel_submits_of_a_stand_alone_exam_grade_once_and_issue_one_certificate():
    certification = exam(attempt_limit=2)
    learner = make_token_user().user
    visible = exam_for_partner(user=learner, certification_id=certification.pk)
    attempt, _ = exam_attempt_start(user=learner, certification=visible)
    right = {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in attempt.questions}
    results = race(
        6,
        lambda i: exam_attempt_submit(user=learner, certification=visible, attempt_id=attempt.pk, answers=right),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(graded_now for _attempt, graded_now in results) == 1
    assert Certificate.objects.filter(user=learner, certification=certification).count() == 1
