"""Retakes: a completed course taken again as a new round, with its history kept and its progress its own."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from core.signals import course_completed
from courses.factories import QuestionFactory, QuizFactory, course_with
from courses.models import Enrollment, Lesson, LessonCompletion, QuizAttempt
from courses.selectors import answers_revealed, attempt_number_in_round, learner_state
from courses.services.attempts import quiz_attempt_start, quiz_attempt_submit
from courses.services.enrollment import course_enroll, lesson_complete
from courses.services.errors import CourseError, NotEnrolled, NotVisible, PrerequisitesMissing, RoundOpen
from courses.services.rounds import course_retake
from partners.factories import TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(db):
    return make_token_user()


def course_and_quiz(**quiz_fields):
    quiz = QuizFactory(**quiz_fields)
    QuestionFactory(bank=quiz.bank)
    return course_with(lessons_per_module=(2,), module_quizzes=(quiz,), title="Selling SD-WAN"), quiz


def lessons(course):
    return list(Lesson.objects.filter(module__course=course).order_by("sort_order"))


def take(user, quiz, course, *, right: bool, at):
    attempt, _created = quiz_attempt_start(user=user, quiz=quiz, course=course, now=at)
    answers = {q["id"]: [next(c["id"] for c in q["choices"] if c["correct"] is right)] for q in attempt.questions}
    attempt, _graded = quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers, now=at)
    return attempt


def complete(user, course, quiz, *, at):
    for lesson in lessons(course):
        lesson_complete(user=user, lesson=lesson, now=at)
    take(user, quiz, course, right=True, at=at)


def ago(days):
    return timezone.now() - timedelta(days=days)


def test_a_retake_keeps_the_history_and_starts_with_nothing_done(learner):
    user = learner.user
    course, quiz = course_and_quiz()
    first, _created = course_enroll(user=user, course=course, now=ago(30))
    complete(user, course, quiz, at=ago(29))
    first.refresh_from_db()
    assert first.completed_at is not None

    second = course_retake(user=user, course=course, now=ago(1))

    assert (second.round, second.is_current, second.completed_at) == (2, True, None)
    first.refresh_from_db()
    assert (first.round, first.is_current, first.completed_at is not None) == (1, False, True)
    assert LessonCompletion.objects.filter(enrollment=first).count() == 2  # round 1 keeps its lessons
    assert not LessonCompletion.objects.filter(enrollment=second).exists()
    state = learner_state(user=user, courses=[course])
    assert state.enrollments[course.pk] == second
    assert state.progress[course.pk].percent == 0
    assert state.quiz(course.pk, quiz.pk) == {"used": 0, "passed": False, "best": None}
    assert state.rounds_completed(course.pk) == 1
    assert course.pk in state.completed_courses  # completed once: prerequisites keep holding
    # Enrolling again is idempotent: it answers the current round.
    assert course_enroll(user=user, course=course) == (second, False)


def test_a_quiz_passed_in_round_one_does_not_complete_round_two(learner):
    user = learner.user
    course, quiz = course_and_quiz()
    course_enroll(user=user, course=course, now=ago(30))
    complete(user, course, quiz, at=ago(29))
    second = course_retake(user=user, course=course, now=ago(2))
    heard = []

    def listener(sender, user, course, at, round=None, **kwargs):
        heard.append(round)

    course_completed.connect(listener)
    try:
        for lesson in lessons(course):
            lesson_complete(user=user, lesson=lesson, now=ago(1))
        second.refresh_from_db()
        assert second.completed_at is None  # the pass of round 1 does not count
        assert learner_state(user=user, courses=[course]).progress[course.pk].quizzes_passed == 0

        take(user, quiz, course, right=True, at=timezone.now())
    finally:
        course_completed.disconnect(listener)
    second.refresh_from_db()
    assert second.completed_at is not None
    assert heard == [2]  # completing round 2 is told again, with its round


def test_the_attempt_limit_counts_the_attempts_of_the_round(learner):
    user = learner.user
    course, quiz = course_and_quiz(attempt_limit=2)
    course_enroll(user=user, course=course, now=ago(30))
    for lesson in lessons(course):
        lesson_complete(user=user, lesson=lesson, now=ago(29))
    take(user, quiz, course, right=False, at=ago(29))
    take(user, quiz, course, right=True, at=ago(28))  # round 1: passed at its last allowed attempt
    course_retake(user=user, course=course, now=ago(2))

    failed = take(user, quiz, course, right=False, at=ago(1))
    assert attempt_number_in_round(failed) == 1
    assert not answers_revealed(failed)  # not the round's last attempt: answers stay hidden
    last = take(user, quiz, course, right=False, at=ago(1) + timedelta(minutes=5))
    assert (last.number, attempt_number_in_round(last)) == (4, 2)  # numbers stay unique per learner and quiz
    assert answers_revealed(last)
    with pytest.raises(CourseError, match=r"No attempts left at .*: 2 of 2 used"):
        quiz_attempt_start(user=user, quiz=quiz, course=course)
    assert QuizAttempt.objects.filter(user=user, quiz=quiz).count() == 4


def test_a_retake_is_refused_while_the_round_is_open_and_before_enrolling(learner):
    user = learner.user
    course, _quiz = course_and_quiz()
    with pytest.raises(NotEnrolled):
        course_retake(user=user, course=course)
    course_enroll(user=user, course=course)
    with pytest.raises(RoundOpen, match="finish it before retaking"):
        course_retake(user=user, course=course)
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_a_retake_of_a_course_no_longer_visible_is_not_found(learner):
    user = learner.user
    course, quiz = course_and_quiz()
    course_enroll(user=user, course=course)
    complete(user, course, quiz, at=timezone.now())
    course.min_tier = TierFactory(key="top", rank=100_000)
    course.save()
    with pytest.raises(NotVisible):
        course_retake(user=user, course=course)
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_a_retake_needs_a_prerequisite_added_since(learner):
    user = learner.user
    course, quiz = course_and_quiz()
    course_enroll(user=user, course=course)
    complete(user, course, quiz, at=timezone.now())
    course.prerequisites.add(course_with(title="New basics"))
    with pytest.raises(PrerequisitesMissing, match="New basics"):
        course_retake(user=user, course=course)
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_a_second_retake_needs_the_second_round_completed(learner):
    user = learner.user
    course, quiz = course_and_quiz()
    course_enroll(user=user, course=course, now=ago(10))
    complete(user, course, quiz, at=ago(9))
    course_retake(user=user, course=course, now=ago(5))
    with pytest.raises(RoundOpen):  # a second click, or a second tab: one new round
        course_retake(user=user, course=course)
    complete(user, course, quiz, at=ago(4))
    third = course_retake(user=user, course=course)
    assert third.round == 3
    assert list(
        Enrollment.objects.filter(user=user, course=course).order_by("round").values_list("round", "is_current")
    ) == [
        (1, False),
        (2, False),
        (3, True),
    ]


def test_the_database_allows_one_current_and_one_open_round(learner):
    user = learner.user
    course, _quiz = course_and_quiz()
    course_enroll(user=user, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():  # a second open round
        Enrollment.objects.create(user=user, course=course, round=2, is_current=False)
    with pytest.raises(IntegrityError), transaction.atomic():  # a second current round
        Enrollment.objects.create(user=user, course=course, round=2, completed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():  # the same round twice
        Enrollment.objects.create(user=user, course=course, round=1, is_current=False, completed_at=timezone.now())


# --- the API -------------------------------------------------------------------------------------


def test_the_retake_route_answers_the_new_round_and_refuses_what_does_not_apply(client, learner):
    course, quiz = course_and_quiz(attempt_limit=3)
    url = f"/api/v1/courses/{course.pk}/retake"
    refused = client.post(url, **learner.headers)
    assert refused.status_code == 409 and "Enrol in" in refused.json()["detail"]
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    refused = client.post(url, **learner.headers)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "You have not completed “Selling SD-WAN” yet (round 1): finish it before retaking the course."
    )
    complete(learner.user, course, quiz, at=timezone.now())
    done = client.get(f"/api/v1/courses/{course.pk}", **learner.headers).json()
    assert (done["enrollment"]["round"], done["rounds_completed"], done["progress"]["percent"]) == (1, 1, 100)

    response = client.post(url, **learner.headers)

    assert response.status_code == 201
    body = response.json()
    assert body["enrollment"]["round"] == 2 and body["enrollment"]["completed_at"] is None
    assert body["rounds_completed"] == 1
    assert body["progress"] == {
        "percent": 0,
        "lessons_done": 0,
        "lessons_total": 2,
        "quizzes_passed": 0,
        "quizzes_total": 1,
    }
    assert [lesson["completed"] for lesson in body["modules"][0]["lessons"]] == [False, False]
    assert body["modules"][0]["quiz"]["attempts_used"] == 0 and not body["modules"][0]["quiz"]["passed"]
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts", **learner.headers).json()
    assert (started["number"], started["number_in_round"], started["attempts_left"]) == (2, 1, 2)
    listed = client.get("/api/v1/enrollments", **learner.headers).json()["results"]
    assert [(row["id"], row["enrollment"]["round"]) for row in listed] == [(course.pk, 2)]


def test_the_retake_route_is_404_for_a_course_i_may_not_see(client, learner):
    hidden = course_with(min_tier=TierFactory(key="top", rank=100_000))
    assert client.post(f"/api/v1/courses/{hidden.pk}/retake", **learner.headers).status_code == 404
    assert client.post("/api/v1/courses/999999/retake", **learner.headers).status_code == 404
    assert not Enrollment.objects.exists()


def test_course_pages_cost_the_same_queries_with_one_round_or_many(client, learner, django_assert_max_num_queries):
    def rounds_of(course, quiz, n):
        course_enroll(user=learner.user, course=course, now=ago(100))
        complete(learner.user, course, quiz, at=ago(99))
        for i in range(n - 1):
            course_retake(user=learner.user, course=course, now=ago(90 - 2 * i))
            complete(learner.user, course, quiz, at=ago(89 - 2 * i))

    def queries(url):
        with django_assert_max_num_queries(100) as captured:
            assert client.get(url, **learner.headers).status_code == 200
        return len(captured)

    one, quiz_one = course_and_quiz()
    many, quiz_many = course_and_quiz()
    rounds_of(one, quiz_one, 1)
    rounds_of(many, quiz_many, 4)
    client.get("/api/v1/me", **learner.headers)  # the first request of a token costs a query more
    assert queries(f"/api/v1/courses/{one.pk}") == queries(f"/api/v1/courses/{many.pk}")
    listed = queries("/api/v1/enrollments")
    for _ in range(3):
        extra, quiz = course_and_quiz()
        rounds_of(extra, quiz, 3)
    assert queries("/api/v1/enrollments") == listed
    body = client.get(f"/api/v1/courses/{many.pk}", **learner.headers).json()
    assert (body["enrollment"]["round"], body["rounds_completed"]) == (4, 4)
