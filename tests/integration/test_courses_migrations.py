"""Upgrading PostgreSQL with attempt history: attempts renumbered per quiz, snapshots with choice ids of their own."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest

from courses.factories import QuestionFactory, QuizAttemptFactory, QuizFactory, course_with
from courses.models import QuizAttempt
from partners.factories import partner_user

# serialized_rollback: the flush after each test would also drop what migrations created (the default locale).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = ("courses", "0003_attempts_per_course_due_reminders")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.fixture
def back_to_leaf():
    yield
    # Whatever the test did, the next test gets the schema back.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_attempts_numbered_per_course_are_renumbered_per_quiz_on_upgrade(back_to_leaf):
    assert connection.vendor == "postgresql"
    # Courses, quiz and learner are made with today's models, then the schema goes back to 0003 (later columns
    # of theirs dropped); only the attempts are written at 0003, as that version stored them.
    question = QuestionFactory(choices=[("Right", True), ("Wrong", False)])
    right, wrong = question.choices.get(text="Right").pk, question.choices.get(text="Wrong").pk
    quiz = QuizFactory(bank=question.bank, attempt_limit=4)
    first, second = course_with(module_quizzes=(quiz,)), course_with(module_quizzes=(quiz,))
    learner = partner_user()
    migrate([BEFORE])
    started = timezone.now() - datetime.timedelta(days=10)
    # Numbered per course, as 0003 kept them: 1 and 2 in each course, taken in turn.
    taken = []
    for day, (course, number) in enumerate([(first, 1), (second, 1), (first, 2), (second, 2)]):
        chosen = right if day % 2 else wrong
        taken.append(
            QuizAttemptFactory(
                user=learner,
                quiz=quiz,
                course=course,
                number=number,
                started_at=started + datetime.timedelta(days=day),
                questions=[
                    {
                        "id": question.pk,
                        "kind": "single",
                        "text": question.text,
                        "explanation": "",
                        "choices": [
                            {"id": right, "text": "Right", "correct": True},
                            {"id": wrong, "text": "Wrong", "correct": False},
                        ],
                    }
                ],
                answers={str(question.pk): [chosen]},
            )
        )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    attempts = {attempt.pk: attempt for attempt in QuizAttempt.objects.all()}
    assert [attempts[attempt.pk].number for attempt in taken] == [1, 2, 3, 4]
    for day, attempt in enumerate(taken):
        after = attempts[attempt.pk]
        ids = {choice["text"]: choice["id"] for choice in after.questions[0]["choices"]}
        assert not set(ids.values()) & {right, wrong}, "the bank's choice ids are still in the snapshot"
        assert after.answers == {str(question.pk): [ids["Right" if day % 2 else "Wrong"]]}
    # Numbers are now unique per learner and quiz, whichever course the attempt was taken in.
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttemptFactory(user=learner, quiz=quiz, course=first, number=4)
