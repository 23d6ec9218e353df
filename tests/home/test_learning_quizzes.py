"""Quizzes in the portal: the timer (server-side, polled), the attempt count, grading on the server, time-up and
attempt limits refused as the API refuses them, answers shown only when the quiz allows, fixed query counts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from courses.factories import QuestionFactory, QuizFactory, course_with
from courses.models import Question, Quiz, QuizAttempt
from partners.factories import TierFactory, partner_user

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def html(response) -> str:
    return response.content.decode()


def quiz_with(questions=2, **fields) -> Quiz:
    quiz = QuizFactory(**fields)
    for _ in range(questions):
        QuestionFactory(bank=quiz.bank)
    return quiz


@pytest.fixture
def learner(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def enrolled_course(client, quiz):
    course = course_with(lessons_per_module=(1,), final_quiz=quiz)
    client.post(f"/learning/{course.pk}/enrol/")
    return course


def start(client, course, quiz) -> QuizAttempt:
    response = client.post(f"/learning/{course.pk}/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302, html(response)
    return QuizAttempt.objects.order_by("-pk").first()


def attempt_url(course, attempt) -> str:
    return f"/learning/{course.pk}/quizzes/{attempt.quiz_id}/attempts/{attempt.pk}/"


def choice_ids(attempt, *, correct: bool) -> dict[int, int]:
    return {q["id"]: next(c["id"] for c in q["choices"] if c["correct"] == correct) for q in attempt.questions}


def submit(client, course, attempt, answers: dict, *, htmx=True, **extra):
    data = {f"question-{qid}": choice for qid, choice in answers.items()} | extra
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(attempt_url(course, attempt) + "submit/", data, **headers)


def test_the_quiz_page_shows_the_rules_and_starts_an_attempt(client, learner):
    quiz = quiz_with(title="Portfolio check", attempt_limit=3, time_limit_minutes=20, pass_mark=75)
    course = enrolled_course(client, quiz)
    page = html(client.get(f"/learning/{course.pk}/quizzes/{quiz.pk}/"))
    assert "Portfolio check" in page and "75% or more" in page and "20 minutes" in page
    assert "0 of 3 used" in page and "Start the quiz (attempt 1 of 3)" in page
    attempt = start(client, course, quiz)
    assert attempt.number == 1 and attempt.course == course
    assert start(client, course, quiz).pk == attempt.pk  # starting again goes back to the one in progress


def test_an_attempt_shows_labelled_questions_and_never_the_answers(client, learner):
    quiz = quiz_with(questions=1)
    QuestionFactory(bank=quiz.bank, kind=Question.Kind.MULTIPLE, choices=[("A", True), ("B", True), ("C", False)])
    course = enrolled_course(client, quiz)
    attempt = start(client, course, quiz)
    page = html(client.get(attempt_url(course, attempt)))
    assert page.count("<fieldset") == 2 and page.count("<legend>") == 2
    assert 'type="radio"' in page and 'type="checkbox"' in page
    assert "<label" in page and "Attempt 1" in page
    assert "Correct answer" not in page and "Because." not in page  # neither the answers nor the explanations
    assert "correct" not in page.split('<form method="post"')[1].split("</form>")[0].lower()


def test_the_timer_is_computed_on_the_server_and_polled_without_reloading_answers(client, gold_partner_user):
    quiz = quiz_with(time_limit_minutes=20)
    with time_machine.travel(T0, tick=False):
        client.force_login(gold_partner_user.user)
        course = enrolled_course(client, quiz)
        attempt = start(client, course, quiz)
        page = html(client.get(attempt_url(course, attempt)))
    assert '<time datetime="2027-06-01T09:20:00+00:00">09:20</time>' in page
    assert "20 minutes left" in page
    timer_url = attempt_url(course, attempt) + "timer/"
    assert f'hx-get="{timer_url}" hx-trigger="every 30s" hx-swap="outerHTML"' in page
    assert 'role="timer"' in page and "<script>" not in page
    with time_machine.travel(T0 + timedelta(minutes=17, seconds=30), tick=False):
        fragment = html(client.get(timer_url, HTTP_HX_REQUEST="true"))
    assert "3 minutes left" in fragment and "<fieldset" not in fragment and "<html" not in fragment
    with time_machine.travel(T0 + timedelta(minutes=21), tick=False):
        fragment = html(client.get(timer_url, HTTP_HX_REQUEST="true"))
    assert "Time is up." in fragment and "not accepted" in fragment and "hx-trigger" not in fragment


def test_grading_is_on_the_server_whatever_the_client_claims(client, learner):
    quiz = quiz_with(questions=2, attempt_limit=3)
    course = enrolled_course(client, quiz)
    attempt = start(client, course, quiz)
    response = submit(client, course, attempt, choice_ids(attempt, correct=False), correct="true", score="100")
    assert response.status_code == 200
    page = html(response)
    assert "Not passed" in page and "You scored 0%" in page and "<html" not in page  # the fragment, in place
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score == 0 and attempt.passed is False
    assert "Retake the quiz (2 attempts left)" in page
    again = submit(client, course, attempt, choice_ids(attempt, correct=True))  # graded once
    assert "You scored 0%" in html(again)


def test_a_right_answer_passes_and_the_attempt_count_moves_on(client, learner):
    quiz = quiz_with(questions=2, attempt_limit=3)
    course = enrolled_course(client, quiz)
    first = start(client, course, quiz)
    submit(client, course, first, {})  # nothing answered: scores nothing
    second = start(client, course, quiz)
    assert "Attempt 2 of 3" in html(client.get(attempt_url(course, second)))
    response = submit(client, course, second, choice_ids(second, correct=True), htmx=False)
    assert response.status_code == 302 and response["Location"] == attempt_url(course, second)
    page = html(client.get(response["Location"]))
    assert "Passed" in page and "You scored 100%" in page
    assert "You completed the course" not in page  # its lesson is not done yet
    quiz_page = html(client.get(f"/learning/{course.pk}/quizzes/{quiz.pk}/"))
    assert "You passed this quiz." in quiz_page and "2 of 3 used" in quiz_page
    earlier = html(client.get(attempt_url(course, first)))  # the failed first attempt, after the pass
    assert "You passed this quiz in another attempt." in earlier and "Retake" not in earlier


def test_an_answer_this_attempt_did_not_offer_is_422_and_changes_nothing(client, learner):
    quiz = quiz_with()
    course = enrolled_course(client, quiz)
    attempt = start(client, course, quiz)
    question = attempt.questions[0]["id"]
    response = submit(client, course, attempt, {question: 12345}, htmx=False)
    assert response.status_code == 422 and "nothing was saved" in html(response)
    response = submit(client, course, attempt, {question: "right"})
    assert response.status_code == 422
    attempt.refresh_from_db()
    assert attempt.status == "in_progress" and attempt.submitted_at is None


def test_answers_after_the_time_limit_are_refused(client, gold_partner_user):
    quiz = quiz_with(time_limit_minutes=10, attempt_limit=2)
    with time_machine.travel(T0, tick=False):
        client.force_login(gold_partner_user.user)
        course = enrolled_course(client, quiz)
        attempt = start(client, course, quiz)
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        page = html(client.get(attempt_url(course, attempt)))
        assert "Time is up." in page
        response = submit(client, course, attempt, choice_ids(attempt, correct=True))
    page = html(response)
    assert "Not passed: time ran out" in page and "not accepted" in page
    attempt.refresh_from_db()
    assert attempt.status == "timed_out" and attempt.passed is False and attempt.score == 0


def test_a_late_answer_is_graded_and_marked_late_when_the_quiz_says_so(client, gold_partner_user):
    quiz = quiz_with(time_limit_minutes=10, late_submission=Quiz.LateSubmission.GRADE)
    with time_machine.travel(T0, tick=False):
        client.force_login(gold_partner_user.user)
        course = enrolled_course(client, quiz)
        attempt = start(client, course, quiz)
    with time_machine.travel(T0 + timedelta(minutes=12), tick=False):
        page = html(submit(client, course, attempt, choice_ids(attempt, correct=True)))
    assert "Passed" in page and "marked late" in page


def test_no_attempts_left_is_refused_with_a_message(client, learner):
    quiz = quiz_with(attempt_limit=1)
    course = enrolled_course(client, quiz)
    attempt = start(client, course, quiz)
    page = html(submit(client, course, attempt, choice_ids(attempt, correct=False)))
    assert "Retake" not in page and "no attempts left" in page
    response = client.post(f"/learning/{course.pk}/quizzes/{quiz.pk}/start/")
    assert response.status_code == 409 and "No attempts left at" in html(response)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_starting_without_enrolling_is_refused(client, learner):
    quiz = quiz_with()
    course = course_with(final_quiz=quiz)
    response = client.post(f"/learning/{course.pk}/quizzes/{quiz.pk}/start/")
    assert response.status_code == 409 and "Enrol in this course first." in html(response)
    assert not QuizAttempt.objects.exists()


def test_the_answers_are_shown_after_the_last_attempt_only_when_the_quiz_allows(client, learner):
    revealing = quiz_with(attempt_limit=2)
    course = enrolled_course(client, revealing)
    first = start(client, course, revealing)
    page = html(submit(client, course, first, choice_ids(first, correct=False)))
    assert "Correct answer" not in page and "shown once you pass or have used your last attempt" in page
    second = start(client, course, revealing)
    page = html(submit(client, course, second, choice_ids(second, correct=False)))
    assert "Correct answer" in page and "Your answer" in page and "Because." in page

    secret = quiz_with(attempt_limit=1, answers_shown=Quiz.AnswersShown.NEVER)
    other = enrolled_course(client, secret)
    attempt = start(client, other, secret)
    page = html(submit(client, other, attempt, choice_ids(attempt, correct=True)))
    assert "Passed" in page and "Correct answer" not in page and "does not show its correct answers" in page


def test_passing_the_last_step_completes_the_course(client, learner):
    quiz = quiz_with()
    course = enrolled_course(client, quiz)
    lesson = course.modules.get().lessons.get()
    client.post(f"/learning/{course.pk}/lessons/{lesson.pk}/complete/")
    attempt = start(client, course, quiz)
    page = html(submit(client, course, attempt, choice_ids(attempt, correct=True)))
    assert f'href="/learning/{course.pk}/completed/"' in page
    assert 'id="course-outline"' in page and 'hx-swap-oob="true"' in page  # the outline refreshed in place
    assert "1 of 1 quiz passed" in page
    assert "You completed" in html(client.get(f"/learning/{course.pk}/completed/"))


def test_someone_elses_attempt_and_a_quiz_of_another_audience_are_404(client, learner):
    quiz = quiz_with()
    course = enrolled_course(client, quiz)
    attempt = start(client, course, quiz)
    hidden_quiz = quiz_with()
    hidden = course_with(final_quiz=hidden_quiz, min_tier=TierFactory(key="platinum", rank=40))
    assert client.get(f"/learning/{hidden.pk}/quizzes/{hidden_quiz.pk}/").status_code == 404
    assert client.post(f"/learning/{hidden.pk}/quizzes/{hidden_quiz.pk}/start/").status_code == 404
    client.force_login(partner_user(partner=learner.partner_membership.partner))  # a colleague: same course
    assert client.get(f"/learning/{course.pk}/quizzes/{quiz.pk}/").status_code == 200
    assert client.get(attempt_url(course, attempt)).status_code == 404
    assert client.post(attempt_url(course, attempt) + "submit/").status_code == 404
    assert client.get(attempt_url(course, attempt) + "timer/").status_code == 404


def count(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(80) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_quiz_pages_cost_the_same_queries_for_few_and_many_questions(
    client, learner, django_assert_max_num_queries
):
    small, big = quiz_with(questions=2, time_limit_minutes=30), quiz_with(questions=12, time_limit_minutes=30)
    counts = []
    for quiz in (small, big):
        course = enrolled_course(client, quiz)
        attempt = start(client, course, quiz)
        client.get(attempt_url(course, attempt))
        counts.append(
            (
                count(client, f"/learning/{course.pk}/quizzes/{quiz.pk}/", django_assert_max_num_queries),
                count(client, attempt_url(course, attempt), django_assert_max_num_queries),
            )
        )
        submit(client, course, attempt, choice_ids(attempt, correct=False))
        counts.append((count(client, attempt_url(course, attempt), django_assert_max_num_queries),))
    assert counts[0] == counts[2] and counts[1] == counts[3]
