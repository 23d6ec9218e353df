"""The migration to attempts counted per quiz, with choice ids of their own: existing attempts follow."""

import importlib

from django.apps import apps

import pytest

from courses.factories import QuestionFactory, QuizAttemptFactory, QuizFactory, course_with
from courses.models import QuizAttempt
from partners.factories import partner_user

pytestmark = pytest.mark.django_db

migration = importlib.import_module("courses.migrations.0004_attempts_per_quiz_opaque_choice_ids")


def test_attempts_are_numbered_per_quiz_in_the_order_they_were_started():
    quiz = QuizFactory(attempt_limit=2)
    first, second = course_with(final_quiz=quiz), course_with(final_quiz=quiz)
    user = partner_user()
    # As numbering per course left them: each the first in its course (here 2 and 1, as the new constraint
    # allows both in one table), the one numbered 1 started later.
    older = QuizAttemptFactory(user=user, quiz=quiz, course=first, number=2)
    newer = QuizAttemptFactory(
        user=user, quiz=quiz, course=second, number=1, started_at=older.started_at.replace(year=2099)
    )
    migration.number_attempts_per_quiz(apps, None)
    assert dict(QuizAttempt.objects.values_list("pk", "number")) == {older.pk: 1, newer.pk: 2}


def test_attempts_get_choice_ids_of_their_own_and_keep_their_answers():
    question = QuestionFactory(choices=[("Right", True), ("Wrong", False)])
    right, wrong = question.choices.get(text="Right").pk, question.choices.get(text="Wrong").pk
    snapshot = [
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
    ]
    quiz = QuizFactory(bank=question.bank)
    attempt = QuizAttemptFactory(
        user=partner_user(),
        quiz=quiz,
        course=course_with(final_quiz=quiz),
        number=1,
        questions=snapshot,
        answers={str(question.pk): [wrong]},
    )
    migration.give_attempts_their_own_choice_ids(apps, None)
    attempt.refresh_from_db()
    ids = {c["text"]: c["id"] for c in attempt.questions[0]["choices"]}
    assert not set(ids.values()) & {right, wrong}
    assert attempt.answers == {str(question.pk): [ids["Wrong"]]}
    assert [c["correct"] for c in attempt.questions[0]["choices"]] == [True, False]
