"""Quizzes graded on the server: kinds and partial credit, limits, time limits, and no answer leaking early."""

import json
import random
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest
import time_machine

from courses.factories import QuestionFactory, QuizAttemptFactory, QuizFactory, course_with
from courses.models import Question, QuestionResult, Quiz, QuizAttempt
from courses.services.attempts import grade_answer, quiz_attempt_start
from partners.factories import TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db

LEAKY_KEYS = ("correct", "is_correct", "explanation", "correct_choice_ids")


def snapshot(kind, correct_ids, wrong_ids):
    return {
        "id": 1,
        "kind": kind,
        "choices": [{"id": i, "correct": True} for i in correct_ids]
        + [{"id": i, "correct": False} for i in wrong_ids],
    }


@pytest.mark.parametrize(
    ("kind", "selected", "credit"),
    [
        ("single", {1}, 1),
        ("single", {3}, 0),
        ("single", set(), 0),
        ("true_false", {1}, 1),
        ("true_false", {3}, 0),
        ("multiple", {1, 2}, 1),
        ("multiple", {1}, Decimal("0.5")),  # partial: one of two right answers
        ("multiple", {1, 3}, 0),  # one right, one wrong: they cancel out
        ("multiple", {1, 2, 3}, Decimal("0.5")),  # both right, one wrong
        ("multiple", {3, 4}, 0),  # never below zero
        ("multiple", set(), 0),
    ],
)
def test_grading_of_each_kind_with_partial_credit(kind, selected, credit):
    correct = [1, 2] if kind == "multiple" else [1]
    assert grade_answer(snapshot(kind, correct, [3, 4]), selected) == Decimal(credit)


@pytest.fixture
def learner(db):
    return make_token_user()


def quiz_in_course(**quiz_fields):
    quiz = QuizFactory(**quiz_fields)
    course = course_with(lessons_per_module=(1,), module_quizzes=(quiz,))
    return quiz, course


def start(client, learner, quiz):
    return client.post(f"/api/v1/quizzes/{quiz.pk}/attempts", **learner.headers)


def submit(client, learner, attempt_id, answers):
    return client.post(
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": {str(k): v for k, v in answers.items()}},
        content_type="application/json",
        **learner.headers,
    )


def choice_ids(attempt_json, question_id, *texts):
    question = next(q for q in attempt_json["questions"] if q["id"] == question_id)
    return [c["id"] for c in question["choices"] if c["text"] in texts]


def assert_no_answers_in(body):
    text = json.dumps(body)
    for key in LEAKY_KEYS:
        assert f'"{key}"' not in text, key
    assert body.get("review") is None


def test_an_attempt_is_graded_on_the_server_with_partial_credit(client, learner):
    quiz, course = quiz_in_course(pass_mark=60, attempt_limit=3)
    single = QuestionFactory(bank=quiz.bank, kind="single", choices=[("Paris", True), ("Lyon", False)])
    multiple = QuestionFactory(
        bank=quiz.bank, kind="multiple", choices=[("Red", True), ("Blue", True), ("Green", False)]
    )
    truth = QuestionFactory(bank=quiz.bank, kind="true_false")
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    attempt = start(client, learner, quiz)
    assert attempt.status_code == 201
    body = attempt.json()
    assert_no_answers_in(body)
    graded = submit(
        client,
        learner,
        body["id"],
        {
            single.pk: choice_ids(body, single.pk, "Paris"),
            multiple.pk: choice_ids(body, multiple.pk, "Red"),  # half right
            truth.pk: choice_ids(body, truth.pk, "False"),  # wrong
        },
    ).json()
    assert graded["status"] == "graded" and graded["score"] == 50.0 and graded["passed"] is False
    assert graded["attempts_left"] == 2
    assert_no_answers_in(graded)  # failed, attempts left: no answers yet
    credits = dict(QuestionResult.objects.values_list("question_id", "credit"))
    assert credits == {single.pk: Decimal("1.000"), multiple.pk: Decimal("0.500"), truth.pk: Decimal("0.000")}


def test_answers_are_shown_after_a_pass(client, learner):
    quiz, course = quiz_in_course(pass_mark=50)
    question = QuestionFactory(bank=quiz.bank, explanation="Only Paris is the capital.")
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    right = choice_ids(body, question.pk, "Right")
    graded = submit(client, learner, body["id"], {question.pk: right}).json()
    assert graded["passed"] is True
    assert graded["review"] == [
        {
            "question_id": question.pk,
            "credit": 1.0,
            "your_choice_ids": right,
            "correct_choice_ids": right,
            "explanation": "Only Paris is the capital.",
        }
    ]
    assert start(client, learner, quiz).json() == {"detail": f"You passed “{quiz}” already."}


def test_attempt_limit_and_answers_after_the_last_attempt(client, learner):
    quiz, course = quiz_in_course(attempt_limit=2)
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    for number in (1, 2):
        body = start(client, learner, quiz).json()
        assert body["number"] == number
        assert start(client, learner, quiz).status_code == 200  # the one in progress, not a new one
        graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Wrong")}).json()
        assert graded["passed"] is False
    assert graded["review"][0]["correct_choice_ids"] == choice_ids(body, question.pk, "Right")  # the last attempt
    refused = start(client, learner, quiz)
    assert refused.status_code == 409
    assert refused.json() == {"detail": f"No attempts left at “{quiz}”: 2 of 2 used."}
    assert QuizAttempt.objects.count() == 2


def test_a_quiz_that_never_shows_answers_never_does(client, learner):
    quiz, course = quiz_in_course(attempt_limit=1, answers_shown=Quiz.AnswersShown.NEVER)
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Wrong")}).json()
    assert_no_answers_in(graded)
    assert_no_answers_in(client.get(f"/api/v1/attempts/{body['id']}", **learner.headers).json())


def test_a_second_submit_answers_the_first_grade(client, learner):
    quiz, course = quiz_in_course()
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    first = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Wrong")}).json()
    second = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Right")}).json()
    assert first["score"] == second["score"] == 0.0
    assert QuestionResult.objects.count() == 1


@pytest.mark.parametrize(
    ("late_submission", "status", "score", "late"),
    [("refuse", "timed_out", 0.0, True), ("grade", "graded", 100.0, True)],
)
def test_time_limit(client, learner, late_submission, status, score, late):
    quiz, course = quiz_in_course(time_limit_minutes=10, late_submission=late_submission)
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        body = start(client, learner, quiz).json()
    assert body["deadline"] is not None
    with time_machine.travel(now + timedelta(minutes=11), tick=False):
        graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Right")}).json()
    assert (graded["status"], graded["score"], graded["late"]) == (status, score, late)


def test_a_submit_within_the_limit_is_on_time(client, learner):
    quiz, course = quiz_in_course(time_limit_minutes=10)
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        body = start(client, learner, quiz).json()
    with time_machine.travel(now + timedelta(minutes=10, seconds=20), tick=False):  # within the grace
        graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Right")}).json()
    assert (graded["status"], graded["late"], graded["passed"]) == ("graded", False, True)


def test_an_abandoned_timed_attempt_counts_and_frees_a_new_start(client, learner):
    quiz, course = quiz_in_course(time_limit_minutes=5, attempt_limit=2)
    QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = start(client, learner, quiz).json()
    with time_machine.travel(now + timedelta(minutes=30), tick=False):
        second = start(client, learner, quiz).json()
    assert second["number"] == 2 and second["id"] != first["id"]
    assert QuizAttempt.objects.get(pk=first["id"]).status == "timed_out"


@pytest.mark.parametrize(
    "answers",
    [{"999999": [1]}, "question-choice"],
    ids=["unknown question", "not a mapping"],
)
def test_malformed_answers_are_422_and_change_nothing(client, learner, answers):
    quiz, course = quiz_in_course()
    QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    response = client.post(
        f"/api/v1/attempts/{body['id']}/submit",
        {"answers": answers},
        content_type="application/json",
        **learner.headers,
    )
    assert response.status_code == 422
    assert QuizAttempt.objects.get().status == "in_progress"


def test_a_choice_of_another_question_or_two_for_single_choice_is_422(client, learner):
    quiz, course = quiz_in_course()
    first, second = QuestionFactory(bank=quiz.bank), QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    wrong_question = submit(client, learner, body["id"], {first.pk: choice_ids(body, second.pk, "Right")})
    assert wrong_question.status_code == 422 and "has no choice" in wrong_question.json()["detail"]
    both = submit(client, learner, body["id"], {first.pk: choice_ids(body, first.pk, "Right", "Wrong")})
    assert both.status_code == 422 and both.json()["detail"] == f"Question {first.pk} takes one answer."


def test_someone_elses_attempt_is_404(client, learner):
    quiz, course = quiz_in_course()
    QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    other = make_token_user()
    assert client.get(f"/api/v1/attempts/{body['id']}", **other.headers).status_code == 404
    assert submit(client, other, body["id"], {}).status_code == 404


def test_questions_are_drawn_and_shuffled_per_attempt(learner):
    quiz, course = quiz_in_course(questions_per_attempt=3, shuffle_questions=True, shuffle_choices=True)
    for n in range(6):
        QuestionFactory(bank=quiz.bank, kind="multiple", choices=[(f"{n}{c}", c == "a") for c in "abcd"])
    from courses.services.enrollment import course_enroll

    course_enroll(user=learner.user, course=course)
    attempt, _ = quiz_attempt_start(user=learner.user, quiz=quiz, course=course, rng=random.Random(7))
    drawn = [q["id"] for q in attempt.questions]
    assert len(drawn) == 3 and len(set(drawn)) == 3
    bank_ids = set(Question.objects.values_list("pk", flat=True))
    assert set(drawn) <= bank_ids
    orders = {tuple(c["text"] for c in q["choices"]) for q in attempt.questions}
    assert any(order != tuple(sorted(order)) for order in orders)  # shuffled with this seed


def test_grades_keep_the_questions_as_they_were_drawn(client, learner):
    quiz, course = quiz_in_course()
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    right = choice_ids(body, question.pk, "Right")
    question.choices.update(is_correct=False)  # an editor changes the bank mid-attempt
    question.choices.filter(text="Wrong").update(is_correct=True)
    assert submit(client, learner, body["id"], {question.pk: right}).json()["passed"] is True


def quiz_in_two_courses(**quiz_fields):
    quiz = QuizFactory(**quiz_fields)
    question = QuestionFactory(bank=quiz.bank)
    first = course_with(lessons_per_module=(1,), module_quizzes=(quiz,))
    second = course_with(lessons_per_module=(1,), final_quiz=quiz)
    return quiz, question, first, second


def start_in(client, learner, quiz, course):
    return client.post(f"/api/v1/quizzes/{quiz.pk}/attempts?course_id={course.pk}", **learner.headers)


def test_a_quiz_used_by_two_courses_has_one_attempt_limit(client, learner):
    """Enrolling in another course that uses the quiz buys no attempts (nor a retry with the revealed answers)."""
    quiz, question, first, second = quiz_in_two_courses(attempt_limit=1)
    for course in (first, second):
        client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start_in(client, learner, quiz, first).json()
    graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Wrong")}).json()
    assert graded["passed"] is False and graded["review"] is not None  # the last allowed attempt shows answers
    refused = start_in(client, learner, quiz, second)
    assert refused.status_code == 409
    assert refused.json() == {"detail": f"No attempts left at “{quiz}”: 1 of 1 used."}
    assert QuizAttempt.objects.count() == 1
    second_body = client.get(f"/api/v1/courses/{second.pk}", **learner.headers).json()
    assert second_body["final_quiz"]["attempts_used"] == 1 and second_body["final_quiz"]["passed"] is False


def test_a_quiz_used_by_two_courses_is_passed_once_and_counts_in_both(client, learner):
    quiz, question, first, second = quiz_in_two_courses(attempt_limit=3)
    for course in (first, second):
        client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
        lesson = course.modules.get().lessons.get()
        client.post(f"/api/v1/lessons/{lesson.pk}/complete", **learner.headers)
    body = start_in(client, learner, quiz, first).json()
    assert (body["course_id"], body["number"]) == (first.pk, 1)
    graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Right")}).json()
    assert graded["passed"] is True
    assert start_in(client, learner, quiz, second).json() == {"detail": f"You passed “{quiz}” already."}
    second_body = client.get(f"/api/v1/courses/{second.pk}", **learner.headers).json()
    assert second_body["final_quiz"]["passed"] is True and second_body["final_quiz"]["attempts_used"] == 1
    assert second_body["enrollment"]["completed_at"] is not None  # its lesson was done: the pass completes it
    assert QuizAttempt.objects.count() == 1
    other = course_with(lessons_per_module=(1,))
    assert start_in(client, learner, quiz, other).status_code == 404


def test_an_attempt_in_progress_is_the_one_whichever_course_starts_it(client, learner):
    quiz, _question, first, second = quiz_in_two_courses(attempt_limit=2)
    for course in (first, second):
        client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    started = start_in(client, learner, quiz, first)
    again = start_in(client, learner, quiz, second)
    assert (started.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == started.json()["id"] and QuizAttempt.objects.count() == 1


def test_choice_ids_are_the_attempts_own(client, learner):
    """Ids revealed by one quiz's review mean nothing in another quiz drawing from the same bank."""
    practice = QuizFactory(pass_mark=50)
    exam = QuizFactory(bank=practice.bank, pass_mark=50)
    question = QuestionFactory(bank=practice.bank, choices=[("Right", True), ("Wrong", False), ("Maybe", False)])
    course = course_with(lessons_per_module=(1, 1), module_quizzes=(practice, exam))
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    practice_body = start(client, learner, practice).json()
    right = choice_ids(practice_body, question.pk, "Right")
    revealed = submit(client, learner, practice_body["id"], {question.pk: right}).json()["review"]
    assert revealed[0]["correct_choice_ids"] == right

    exam_body = start(client, learner, exam).json()
    exam_ids = {c["id"] for q in exam_body["questions"] for c in q["choices"]}
    practice_ids = {c["id"] for q in practice_body["questions"] for c in q["choices"]}
    bank_ids = set(question.choices.values_list("pk", flat=True))
    assert not exam_ids & practice_ids and not exam_ids & bank_ids and not practice_ids & bank_ids
    replayed = submit(client, learner, exam_body["id"], {question.pk: right})
    assert replayed.status_code == 422
    assert replayed.json() == {"detail": f"Question {question.pk} has no choice {right[0]}."}
    stored = QuizAttempt.objects.get(pk=exam_body["id"])
    assert (stored.status, stored.answers, stored.score) == ("in_progress", {}, None)
    bank_id = submit(client, learner, exam_body["id"], {question.pk: [question.choices.get(text="Right").pk]})
    assert bank_id.status_code == 422  # nor the bank's own id
    graded = submit(client, learner, exam_body["id"], {question.pk: choice_ids(exam_body, question.pk, "Right")})
    assert graded.json()["passed"] is True
    assert graded.json()["review"][0]["correct_choice_ids"] == choice_ids(exam_body, question.pk, "Right")


def test_the_database_numbers_attempts_once_per_learner_and_quiz_across_courses(learner):
    """Two starts racing in two courses cannot both become attempt 1: a constraint, not a check in code."""
    quiz, _question, first, second = quiz_in_two_courses(attempt_limit=1)
    QuizAttemptFactory(user=learner.user, quiz=quiz, course=first, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttemptFactory(user=learner.user, quiz=quiz, course=second, number=1)


def test_an_attempt_stays_open_to_me_while_another_course_of_mine_uses_its_quiz(client, learner):
    quiz, question, first, second = quiz_in_two_courses()
    for course in (first, second):
        client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start_in(client, learner, quiz, first).json()
    first.min_tier = TierFactory(key="platinum", rank=100_000)  # the course it was started in closes to me
    first.save()
    assert client.get(f"/api/v1/attempts/{body['id']}", **learner.headers).status_code == 200
    graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Right")})
    assert graded.json()["passed"] is True
    second.min_tier = first.min_tier  # and now no course of mine uses the quiz
    second.save()
    assert client.get(f"/api/v1/attempts/{body['id']}", **learner.headers).status_code == 404


def test_a_bank_shared_with_a_quiz_that_never_shows_answers_shows_none(client, learner):
    # As an upgrade may have left it (the admin and the importer refuse it now): one bank, both policies.
    quiz, course = quiz_in_course(attempt_limit=1)
    QuizFactory(bank=quiz.bank, answers_shown=Quiz.AnswersShown.NEVER)
    question = QuestionFactory(bank=quiz.bank)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    body = start(client, learner, quiz).json()
    graded = submit(client, learner, body["id"], {question.pk: choice_ids(body, question.pk, "Wrong")}).json()
    assert graded["status"] == "graded"  # the last allowed attempt: this quiz alone would show the answers
    assert_no_answers_in(graded)
    assert_no_answers_in(client.get(f"/api/v1/attempts/{body['id']}", **learner.headers).json())
