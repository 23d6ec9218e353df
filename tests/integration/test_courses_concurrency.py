"""Quiz attempts under concurrency, on PostgreSQL: limits and grading hold when requests race."""

from django.db import connection

import pytest

from courses.factories import QuestionFactory, QuizFactory, course_with
from courses.models import QuestionResult, QuizAttempt
from courses.services.attempts import quiz_attempt_start, quiz_attempt_submit
from courses.services.enrollment import course_enroll
from tests.conftest import make_token_user
from tests.integration.racing import race

# serialized_rollback: the flush after each test would also drop what migrations created (the default locale).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_parallel_starts_cannot_pass_the_attempt_limit():
    assert connection.vendor == "postgresql"
    quiz = QuizFactory(attempt_limit=1)
    QuestionFactory(bank=quiz.bank)
    course = course_with(lessons_per_module=(1,), module_quizzes=(quiz,))
    learner = make_token_user().user
    course_enroll(user=learner, course=course)
    results = race(6, lambda i: quiz_attempt_start(user=learner, quiz=quiz, course=course))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert QuizAttempt.objects.count() == 1
    assert {attempt.pk for attempt, _created in results} == {QuizAttempt.objects.get().pk}
    assert sum(created for _attempt, created in results) == 1


def test_parallel_submits_of_one_attempt_grade_it_once():
    quiz = QuizFactory(attempt_limit=3)
    questions = [QuestionFactory(bank=quiz.bank) for _ in range(4)]
    course = course_with(lessons_per_module=(1,), module_quizzes=(quiz,))
    learner = make_token_user().user
    course_enroll(user=learner, course=course)
    attempt, _ = quiz_attempt_start(user=learner, quiz=quiz, course=course)
    right = {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in attempt.questions}
    wrong = {q["id"]: [c["id"] for c in q["choices"] if not c["correct"]] for q in attempt.questions}

    def submit(i):
        # Half the racers send right answers, half wrong: whichever is graded first is the grade.
        return quiz_attempt_submit(user=learner, attempt_id=attempt.pk, answers=right if i % 2 else wrong)

    results = race(6, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(graded_now for _attempt, graded_now in results) == 1
    assert len({str(a.score) for a, _ in results}) == 1  # everyone got the same, first grade
    assert QuestionResult.objects.filter(attempt=attempt).count() == len(questions)
    assert QuizAttempt.objects.get().status == "graded"
