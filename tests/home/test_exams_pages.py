"""A certification's exam taken on its own, in the portal: the exam's page (rules, prerequisites, attempts, Start),
an attempt (labelled questions, the server's timer), the result (score and pass or fail, never the answers), the
certificate that follows, refusals as the API's, 404 for what I may not see, fixed query counts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from courses.factories import QuestionFactory, QuizAttemptFactory, QuizFactory, course_with
from courses.models import Enrollment, Question, Quiz, QuizAttempt
from partners.factories import TierFactory, partner_user

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def html(response) -> str:
    return response.content.decode()


def exam_quiz(questions=2, **fields) -> Quiz:
    fields.setdefault("title", "Firewall exam")
    quiz = QuizFactory(answers_shown=Quiz.AnswersShown.NEVER, **fields)
    for _ in range(questions):
        QuestionFactory(bank=quiz.bank)
    return quiz


def standalone(quiz=None, **fields):
    fields.setdefault("title", "Firewall expert")
    return CertificationFactory(exam=quiz or exam_quiz(), exam_standalone=True, **fields)


@pytest.fixture
def learner(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def exam_url(certification) -> str:
    return f"/certifications/exams/{certification.pk}/"


def start(client, certification) -> QuizAttempt:
    response = client.post(exam_url(certification) + "start/")
    assert response.status_code == 302, html(response)
    return QuizAttempt.objects.order_by("-pk").first()


def attempt_url(certification, attempt) -> str:
    return f"{exam_url(certification)}attempts/{attempt.pk}/"


def choice_ids(attempt, *, correct: bool) -> dict[int, int]:
    return {q["id"]: next(c["id"] for c in q["choices"] if c["correct"] == correct) for q in attempt.questions}


def submit(client, certification, attempt, answers: dict, *, htmx=True, **extra):
    data = {f"question-{qid}": choice for qid, choice in answers.items()} | extra
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(attempt_url(certification, attempt) + "submit/", data, **headers)


def test_the_exam_page_shows_the_rules_and_starts_an_attempt_without_a_course(client, learner):
    certification = standalone(exam_quiz(questions=3, attempt_limit=3, time_limit_minutes=20, pass_mark=75))
    page = html(client.get(exam_url(certification)))
    assert "Firewall exam" in page and "Exam of the Firewall expert certification" in page
    assert "75% or more" in page and "20 minutes" in page and "0 of 3 used" in page
    assert "Start the exam (attempt 1 of 3)" in page and "the questions and their answers are not shown" in page
    attempt = start(client, certification)
    assert attempt.number == 1 and attempt.course is None and attempt.deadline
    assert start(client, certification).pk == attempt.pk  # one attempt in progress: starting again goes back to it
    assert "Continue attempt 1 of 3" in html(client.get(exam_url(certification)))


def test_the_certifications_page_links_the_exam(client, learner):
    certification = standalone()
    page = html(client.get("/certifications/"))
    assert f'href="{exam_url(certification)}"' in page and "Go to the exam" in page


def test_missing_prerequisites_are_named_or_counted_and_refuse_the_start(client, learner):
    basics = course_with(title="Firewall basics")
    hidden = course_with(title="Secret course", min_tier=TierFactory(key="platinum", rank=100_000))
    certification = standalone(exam_prerequisites=[basics, hidden])
    page = html(client.get(exam_url(certification)))
    assert "Firewall basics" in page and f'href="/learning/{basics.pk}/"' in page and "Secret course" not in page
    assert "1 required course is not available to your account yet." in page
    assert "Complete these courses first: “Firewall basics”, 1 course not open to you." in page
    assert "Start the exam" not in page
    refused = client.post(exam_url(certification) + "start/")
    assert refused.status_code == 409 and "Complete these courses first" in html(refused)
    assert not QuizAttempt.objects.exists()


def test_an_attempt_shows_labelled_questions_and_never_the_answers(client, learner):
    quiz = exam_quiz(questions=1)
    QuestionFactory(bank=quiz.bank, kind=Question.Kind.MULTIPLE, choices=[("A", True), ("B", True), ("C", False)])
    certification = standalone(quiz)
    attempt = start(client, certification)
    page = html(client.get(attempt_url(certification, attempt)))
    assert page.count("<fieldset") == 2 and page.count("<legend>") == 2
    assert 'type="radio"' in page and 'type="checkbox"' in page and "<label" in page
    assert "Correct answer" not in page and "Because." not in page
    assert "correct" not in page.split('<form method="post"')[1].split("</form>")[0].lower()


def test_the_timer_is_computed_on_the_server_and_polled(client, gold_partner_user):
    certification = standalone(exam_quiz(time_limit_minutes=20))
    with time_machine.travel(T0, tick=False):
        client.force_login(gold_partner_user.user)
        attempt = start(client, certification)
        page = html(client.get(attempt_url(certification, attempt)))
    assert '<time datetime="2027-06-01T09:20:00+00:00">09:20</time>' in page and "20 minutes left" in page
    timer_url = attempt_url(certification, attempt) + "timer/"
    assert f'hx-get="{timer_url}" hx-trigger="every 30s" hx-swap="outerHTML"' in page and "<script>" not in page
    with time_machine.travel(T0 + timedelta(minutes=17, seconds=30), tick=False):
        fragment = html(client.get(timer_url, HTTP_HX_REQUEST="true"))
    assert "3 minutes left" in fragment and "<fieldset" not in fragment and "<html" not in fragment
    with time_machine.travel(T0 + timedelta(minutes=21), tick=False):
        fragment = html(client.get(timer_url, HTTP_HX_REQUEST="true"))
    assert "Time is up." in fragment and "not accepted" in fragment


def test_the_result_shows_score_and_verdict_only_never_questions_or_answers(client, learner):
    quiz = exam_quiz(questions=2, attempt_limit=1)
    Quiz.objects.filter(pk=quiz.pk).update(answers_shown=Quiz.AnswersShown.AFTER_PASS_OR_LAST)  # edited since
    certification = standalone(quiz)
    attempt = start(client, certification)
    response = submit(client, certification, attempt, choice_ids(attempt, correct=False), correct="true", score="100")
    assert response.status_code == 200
    fragment = html(response)
    assert "Not passed" in fragment and "You scored 0%" in fragment and "<html" not in fragment
    assert "You have no attempts left at this exam." in fragment
    page = html(client.get(attempt_url(certification, attempt)))
    for shown in (fragment, page):
        assert "Question 1" not in shown and "<fieldset" not in shown and "Correct answer" not in shown
        assert "Right" not in shown and "Wrong" not in shown and "Because." not in shown
        assert "does not show its questions or answers" in shown
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score == 0


def test_a_pass_issues_the_certificate_and_links_it(client, learner):
    certification = standalone(exam_quiz(questions=2))
    attempt = start(client, certification)
    fragment = html(submit(client, certification, attempt, choice_ids(attempt, correct=True)))
    certificate = Certificate.objects.get()
    assert certificate.user == learner and "Passed" in fragment and "You scored 100%" in fragment
    assert f'href="/certifications/{certificate.pk}/"' in fragment and "You earned the Firewall expert" in fragment
    page = html(client.get(exam_url(certification)))
    assert "You passed this exam." in page and "Start the exam" not in page


def test_a_plain_form_post_goes_to_the_result_page(client, learner):
    certification = standalone()
    attempt = start(client, certification)
    response = submit(client, certification, attempt, choice_ids(attempt, correct=True), htmx=False)
    assert response.status_code == 302 and response["Location"] == attempt_url(certification, attempt)


def test_answers_after_the_time_limit_are_refused(client, gold_partner_user):
    certification = standalone(exam_quiz(time_limit_minutes=10, attempt_limit=2))
    with time_machine.travel(T0, tick=False):
        client.force_login(gold_partner_user.user)
        attempt = start(client, certification)
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        fragment = html(submit(client, certification, attempt, choice_ids(attempt, correct=True)))
    assert "Not passed: time ran out" in fragment and "Retake the exam (1 attempt left)" in fragment
    assert not Certificate.objects.exists()


def test_an_answer_this_attempt_did_not_offer_is_422_and_changes_nothing(client, learner):
    certification = standalone(exam_quiz(questions=1))
    attempt = start(client, certification)
    question = attempt.questions[0]["id"]
    response = submit(client, certification, attempt, {question: 1})
    assert response.status_code == 422 and "nothing was saved" in html(response)
    malformed = submit(client, certification, attempt, {question: "x"})
    assert malformed.status_code == 422
    attempt.refresh_from_db()
    assert (attempt.status, attempt.answers) == ("in_progress", {})


def test_no_attempts_left_is_said_and_refused(client, learner):
    quiz = exam_quiz(attempt_limit=1)
    certification = standalone(quiz)
    QuizAttemptFactory(user=learner, quiz=quiz, course=None, number=1, passed=False)
    page = html(client.get(exam_url(certification)))
    assert "You have no attempts left at this exam." in page and "Start the exam" not in page
    refused = client.post(exam_url(certification) + "start/")
    assert refused.status_code == 409 and QuizAttempt.objects.count() == 1


def test_an_exam_i_may_not_see_and_someone_elses_attempt_are_404(client, learner):
    quiz = exam_quiz()
    hidden = standalone(quiz, min_tier=TierFactory(key="platinum", rank=100_000))
    attempt = QuizAttemptFactory(user=learner, quiz=quiz, course=None, number=1, status="in_progress")
    for url in (exam_url(hidden), attempt_url(hidden, attempt), attempt_url(hidden, attempt) + "timer/"):
        assert client.get(url).status_code == 404, url
    assert client.post(exam_url(hidden) + "start/").status_code == 404
    assert submit(client, hidden, attempt, {}).status_code == 404
    in_course = CertificationFactory(exam=exam_quiz(), exam_standalone=False)
    assert client.get(exam_url(in_course)).status_code == 404  # its exam is taken in a course
    visible = standalone()
    other = QuizAttemptFactory(quiz=visible.exam, course=None, number=1, user=partner_user())
    assert client.get(attempt_url(visible, other)).status_code == 404


def test_signed_out_goes_to_the_sign_in_page(client):
    certification = standalone()
    response = client.get(exam_url(certification))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def count(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(80) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_exam_pages_cost_the_same_queries_for_few_and_many_questions_and_attempts(
    client, learner, django_assert_max_num_queries
):
    client.get("/certifications/")  # warm the session's first-request work
    counts = []
    for size in (1, 6):
        courses = [course_with(title=f"Course {size}.{n}") for n in range(size)]
        for course in courses:
            Enrollment.objects.create(user=learner, course=course, completed_at=T0)
        quiz = exam_quiz(questions=size)
        certification = standalone(quiz, exam_prerequisites=courses)
        for number in range(1, size):
            QuizAttemptFactory(user=learner, quiz=quiz, course=None, number=number)
        attempt = start(client, certification)
        page = count(client, exam_url(certification), django_assert_max_num_queries)
        taking = count(client, attempt_url(certification, attempt), django_assert_max_num_queries)
        submit(client, certification, attempt, choice_ids(attempt, correct=False))
        result = count(client, attempt_url(certification, attempt), django_assert_max_num_queries)
        counts.append((page, taking, result))
    assert counts[0] == counts[1]
