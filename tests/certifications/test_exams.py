"""Stand-alone exams: a certification's exam taken on its own, without a course (API, services, model, importer).

Eligibility (the audience rule: 404; prerequisite courses: 409 naming those I may see and counting the others),
the quiz's attempt limit, time limit and late rule, one attempt in progress, answers never shown, a pass issuing
the certificate, attempts counting with those of courses that use the quiz, fixed query counts.
"""

import json
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError

import pytest
import time_machine

from certifications.exam_selectors import exam_for_partner, exam_state
from certifications.exams import ExamPrerequisitesMissing, ExamRefused, exam_attempt_start
from certifications.factories import CertificationFactory
from certifications.importing import CertificationEntry
from certifications.models import Certificate
from courses.factories import QuestionFactory, QuizAttemptFactory, QuizFactory, course_with
from courses.models import Enrollment, Question, Quiz, QuizAttempt
from courses.selectors import course_progress
from partners.factories import TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def exam_quiz(questions=2, **fields) -> Quiz:
    quiz = QuizFactory(answers_shown=Quiz.AnswersShown.NEVER, **fields)
    for _ in range(questions):
        QuestionFactory(bank=quiz.bank)
    return quiz


def standalone(quiz=None, **fields):
    fields.setdefault("title", "Firewall expert")
    return CertificationFactory(exam=quiz or exam_quiz(), exam_standalone=True, **fields)


def platinum():
    return TierFactory(key="platinum", rank=100_000)


@pytest.fixture
def learner(gold_partner_user):
    return gold_partner_user


def exam_url(certification) -> str:
    return f"/api/v1/certifications/{certification.pk}/exam"


def start(client, learner, certification):
    return client.post(exam_url(certification) + "/attempts", **learner.headers)


def submit(client, learner, certification, attempt_id, answers):
    return client.post(
        f"{exam_url(certification)}/attempts/{attempt_id}/submit",
        json.dumps({"answers": answers}),
        content_type="application/json",
        **learner.headers,
    )


def answers_of(attempt_id, *, correct=True) -> dict:
    attempt = QuizAttempt.objects.get(pk=attempt_id)
    return {q["id"]: [c["id"] for c in q["choices"] if c["correct"] == correct][:1] for q in attempt.questions}


def complete(user, course):
    Enrollment.objects.create(user=user, course=course, completed_at=T0)


def test_the_exam_tells_its_rules_and_that_i_may_take_it(client, learner):
    certification = standalone(exam_quiz(questions=3, attempt_limit=3, time_limit_minutes=20, pass_mark=80))
    body = client.get(exam_url(certification), **learner.headers).json()
    assert body["certification"] == "Firewall expert" and body["eligible"] is True and body["can_start"] is True
    assert (body["questions"], body["pass_mark"], body["attempt_limit"], body["time_limit_minutes"]) == (3, 80, 3, 20)
    assert (body["attempts_used"], body["attempts_left"], body["in_progress"], body["reason"]) == (0, 3, None, None)
    assert body["late_submission"] == "refuse" and body["prerequisites"] == []


def test_prerequisites_are_named_when_visible_and_counted_when_not(client, learner):
    basics = course_with(title="Firewall basics")
    hidden = course_with(title="Secret partner course", min_tier=platinum())
    certification = standalone(exam_prerequisites=[basics, hidden])
    body = client.get(exam_url(certification), **learner.headers).json()
    assert body["eligible"] is False and body["can_start"] is False
    assert body["prerequisites"] == [{"id": basics.pk, "title": "Firewall basics", "done": False}]
    assert body["unavailable_prerequisites"] == 1 and "Secret" not in json.dumps(body)
    refused = start(client, learner, certification)
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Complete these courses first: “Firewall basics”, 1 course(s) not open to you."
    }
    assert not QuizAttempt.objects.exists()
    complete(learner.user, basics)
    assert start(client, learner, certification).json() == {
        "detail": "Complete these courses first: 1 course(s) not open to you."
    }
    complete(learner.user, hidden)  # completed before it closed to me: done, as for courses' prerequisites
    assert client.get(exam_url(certification), **learner.headers).json()["eligible"] is True
    assert start(client, learner, certification).status_code == 201


@pytest.mark.parametrize("case", ["other audience", "draft", "not stand-alone", "no exam", "unknown"])
def test_an_exam_i_may_not_see_is_404_on_every_route(client, learner, case):
    quiz = exam_quiz()
    fields = {
        "other audience": {"min_tier": platinum()},
        "draft": {"live": False},
        "not stand-alone": {"exam_standalone": False},
        "no exam": {"exam": None, "exam_standalone": False},
        "unknown": {},
    }[case]
    certification = CertificationFactory(**{"exam": quiz, "exam_standalone": True, **fields})
    attempt = QuizAttemptFactory(user=learner.user, quiz=quiz, course=None, number=1, status="in_progress")
    certification_id = certification.pk + 1000 if case == "unknown" else certification.pk
    base = f"/api/v1/certifications/{certification_id}/exam"
    assert client.get(base, **learner.headers).status_code == 404
    assert client.post(base + "/attempts", **learner.headers).status_code == 404
    assert client.get(f"{base}/attempts/{attempt.pk}", **learner.headers).status_code == 404
    response = client.post(
        f"{base}/attempts/{attempt.pk}/submit", '{"answers": {}}', content_type="application/json", **learner.headers
    )
    assert response.status_code == 404
    assert QuizAttempt.objects.get().status == "in_progress"


def test_someone_elses_attempt_is_404(client, learner):
    certification = standalone()
    other = make_token_user(partner=learner.user.partner_membership.partner)
    theirs = start(client, other, certification).json()
    assert client.get(f"{exam_url(certification)}/attempts/{theirs['id']}", **learner.headers).status_code == 404
    assert submit(client, learner, certification, theirs["id"], {}).status_code == 404
    assert QuizAttempt.objects.get().status == "in_progress"


def test_an_attempt_draws_questions_without_their_answers_and_one_is_in_progress_at_a_time(client, learner):
    quiz = exam_quiz(questions=1, attempt_limit=2)
    QuestionFactory(bank=quiz.bank, kind=Question.Kind.MULTIPLE, choices=[("A", True), ("B", True), ("C", False)])
    certification = standalone(quiz)
    response = start(client, learner, certification)
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 1 and body["status"] == "in_progress" and len(body["questions"]) == 2
    assert body["submit_url"].endswith(f"/exam/attempts/{body['id']}/submit")
    text = json.dumps(body).lower()
    assert "correct" not in text and "because" not in text and "explanation" not in text and "review" not in text
    again = start(client, learner, certification)
    assert again.status_code == 200 and again.json()["id"] == body["id"]  # the one in progress, not a second
    assert QuizAttempt.objects.get().course is None
    state = client.get(exam_url(certification), **learner.headers).json()
    assert state["in_progress"]["id"] == body["id"] and state["can_start"] is False
    assert state["reason"] == "An attempt is in progress: finish it first."


def test_a_graded_attempt_shows_the_score_and_pass_or_fail_only(client, learner):
    certification = standalone(exam_quiz(questions=2, attempt_limit=1))
    body = start(client, learner, certification).json()
    graded = submit(client, learner, certification, body["id"], answers_of(body["id"], correct=False))
    assert graded.status_code == 200
    result = graded.json()
    assert (result["status"], result["score"], result["passed"], result["attempts_left"]) == (
        "graded",
        0.0,
        False,
        0,
    )
    assert result["questions"] == [] and result["submit_url"] is None
    text = json.dumps(result).lower()
    assert "correct" not in text and "choice" not in text and "because" not in text and "question " not in text
    shown = client.get(f"{exam_url(certification)}/attempts/{body['id']}", **learner.headers).json()
    assert shown == result
    # The last allowed attempt of a quiz shows answers in a course; not an exam taken on its own, anywhere.
    assert client.get(f"/api/v1/attempts/{body['id']}", **learner.headers).status_code == 404


def test_a_stand_alone_attempt_seen_through_a_course_using_its_quiz_reveals_nothing_either(client, learner):
    quiz = exam_quiz(questions=1, attempt_limit=1)
    Quiz.objects.filter(pk=quiz.pk).update(answers_shown=Quiz.AnswersShown.AFTER_PASS_OR_LAST)  # edited since
    course = course_with(final_quiz=quiz)
    certification = standalone(quiz)
    body = start(client, learner, certification).json()
    submit(client, learner, certification, body["id"], answers_of(body["id"]))
    seen = client.get(f"/api/v1/attempts/{body['id']}", **learner.headers).json()
    assert seen["course_id"] is None and seen["passed"] is True and seen["review"] is None
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    assert course_progress(user=learner.user, course=course).quizzes_passed == 1  # passed once, passed in the course


def test_a_pass_issues_the_certificate(client, learner):
    certification = standalone(exam_quiz(questions=2))
    body = start(client, learner, certification).json()
    result = submit(client, learner, certification, body["id"], answers_of(body["id"])).json()
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.certification) == (learner.user, certification)
    assert result["passed"] is True and result["my_certificate_id"] == certificate.pk
    listed = client.get("/api/v1/certifications", **learner.headers).json()["results"][0]
    assert listed["my_status"] == "active" and listed["unavailable_requirements"] == 0
    assert listed["requirements"] == [
        {
            "kind": "exam",
            "id": certification.exam_id,
            "title": certification.exam.title,
            "done": True,
            "standalone": True,
        }
    ]
    state = client.get(exam_url(certification), **learner.headers).json()
    assert state["passed"] is True and state["my_certificate_id"] == certificate.pk
    assert start(client, learner, certification).json() == {"detail": f"You passed “{certification.exam}” already."}


def test_with_required_courses_the_certificate_waits_for_them(client, learner):
    course = course_with(lessons_per_module=(1,), title="Firewall selling")
    certification = standalone(exam_quiz(), required_courses=[course])
    body = start(client, learner, certification).json()
    submit(client, learner, certification, body["id"], answers_of(body["id"]))
    assert not Certificate.objects.exists()
    client.post(f"/api/v1/courses/{course.pk}/enroll", **learner.headers)
    client.post(f"/api/v1/lessons/{course.modules.get().lessons.get().pk}/complete", **learner.headers)
    assert Certificate.objects.get().user == learner.user


def test_no_attempts_left_is_409_and_counts_attempts_made_in_a_course_too(client, learner):
    quiz = exam_quiz(attempt_limit=2)
    course = course_with(module_quizzes=(quiz,))
    certification = standalone(quiz)
    QuizAttemptFactory(user=learner.user, quiz=quiz, course=course, number=1, passed=False)
    body = start(client, learner, certification).json()
    assert body["number"] == 2 and body["attempts_left"] == 0
    submit(client, learner, certification, body["id"], answers_of(body["id"], correct=False))
    refused = start(client, learner, certification)
    assert refused.status_code == 409
    assert refused.json() == {"detail": f"No attempts left at “{quiz}”: 2 of 2 used."}
    state = client.get(exam_url(certification), **learner.headers).json()
    assert (state["attempts_used"], state["attempts_left"], state["can_start"]) == (2, 0, False)
    assert state["reason"] == f"No attempts left at “{quiz}”: 2 of 2 used."


def test_a_parallel_start_becomes_the_same_attempt(learner, monkeypatch):
    """Two starts at once: the second finds the number taken (the unique constraint) and answers that attempt."""
    from courses.services import attempts

    certification = standalone(exam_quiz(attempt_limit=1))
    real_draw, raced = attempts._draw, []

    def draw_while_another_start_wins(quiz, rng):
        if not raced:
            raced.append(QuizAttemptFactory(user=learner.user, quiz=quiz, course=None, number=1, status="in_progress"))
        return real_draw(quiz, rng)

    monkeypatch.setattr(attempts, "_draw", draw_while_another_start_wins)
    attempt, created = exam_attempt_start(user=learner.user, certification=certification)
    assert (attempt.pk, created) == (raced[0].pk, False)
    assert QuizAttempt.objects.count() == 1


def test_answers_after_the_time_limit_are_refused(client, learner):
    certification = standalone(exam_quiz(time_limit_minutes=10, attempt_limit=2))
    with time_machine.travel(T0, tick=False):
        body = start(client, learner, certification).json()
    assert body["deadline"].startswith("2027-06-01T09:10:00")
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        late = submit(client, learner, certification, body["id"], answers_of(body["id"])).json()
    assert (late["status"], late["score"], late["passed"], late["late"]) == ("timed_out", 0.0, False, True)
    assert not Certificate.objects.exists()


def test_an_attempt_left_past_its_time_is_timed_out_by_the_next_start(client, learner):
    certification = standalone(exam_quiz(time_limit_minutes=10, attempt_limit=2))
    with time_machine.travel(T0, tick=False):
        first = start(client, learner, certification).json()
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        state = client.get(exam_url(certification), **learner.headers).json()
        assert state["in_progress"] is None and state["can_start"] is True  # over: answers would be refused
        second = start(client, learner, certification).json()
    assert second["number"] == 2
    assert QuizAttempt.objects.get(pk=first["id"]).status == "timed_out"


def test_a_late_answer_is_graded_and_marked_late_when_the_quiz_says_so(client, learner):
    certification = standalone(exam_quiz(time_limit_minutes=10, late_submission=Quiz.LateSubmission.GRADE))
    with time_machine.travel(T0, tick=False):
        body = start(client, learner, certification).json()
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        late = submit(client, learner, certification, body["id"], answers_of(body["id"])).json()
    assert (late["status"], late["passed"], late["late"]) == ("graded", True, True)
    assert Certificate.objects.get().user == learner.user


def test_an_answer_the_attempt_did_not_offer_is_422_and_changes_nothing(client, learner):
    certification = standalone(exam_quiz(questions=1))
    body = start(client, learner, certification).json()
    question = body["questions"][0]["id"]
    response = submit(client, learner, certification, body["id"], {question: [1]})
    assert response.status_code == 422 and "has no choice 1" in response.json()["detail"]
    stored = QuizAttempt.objects.get()
    assert (stored.status, stored.answers, stored.score) == ("in_progress", {}, None)


def test_a_stand_alone_exam_needs_its_quiz_and_a_quiz_that_never_shows_answers():
    certification = CertificationFactory.build(exam=None, exam_standalone=True, title="T", summary="S")
    with pytest.raises(ValidationError) as error:
        certification.clean_exam()
    assert "exam_standalone" in error.value.message_dict
    revealing = QuizFactory(title="Practice", answers_shown=Quiz.AnswersShown.AFTER_PASS_OR_LAST)
    certification.exam = revealing
    with pytest.raises(ValidationError) as error:
        certification.clean_exam()
    assert "never shows answers: set “Practice” to never show answers" in error.value.message_dict["exam"][0]
    certification.exam = exam_quiz()
    certification.clean_exam()
    certification.exam_standalone = False
    certification.exam = revealing  # an exam taken in a course follows its quiz, as before
    certification.clean_exam()


def test_the_import_manifest_takes_stand_alone_exams():
    entry = CertificationEntry(
        key="fw", title="Firewall expert", exam="fw-exam", exam_standalone=True, exam_prerequisites=["fw-basics"]
    )
    assert entry.exam_standalone and entry.exam_prerequisites == ["fw-basics"]
    with pytest.raises(ValueError, match="need an exam"):
        CertificationEntry(key="fw", title="T", required_courses=["c"], exam_standalone=True)
    with pytest.raises(ValueError, match="set exam_standalone"):
        CertificationEntry(key="fw", title="T", exam="q", exam_prerequisites=["c"])


def test_a_refusal_of_the_service_says_what_is_missing(learner):
    basics = course_with(title="Firewall basics")
    certification = standalone(exam_prerequisites=[basics])
    visible = exam_for_partner(user=learner.user, certification_id=certification.pk)
    with pytest.raises(ExamPrerequisitesMissing) as refused:
        exam_attempt_start(user=learner.user, certification=visible)
    assert refused.value.missing == [{"id": basics.pk, "title": "Firewall basics", "done": False}]
    certification.exam_standalone = False
    with pytest.raises(ExamRefused, match="has no exam to take on its own"):
        exam_attempt_start(user=learner.user, certification=certification)


def test_the_exam_costs_the_same_queries_whatever_the_prerequisites_and_attempts(
    client, learner, django_assert_max_num_queries
):
    client.get("/api/v1/certifications", **learner.headers)  # the token's first use of the day is recorded once
    counts = []
    for size in (1, 6):
        courses = [course_with(title=f"Course {size}.{n}") for n in range(size)]
        for course in courses:
            complete(learner.user, course)
        quiz = exam_quiz(questions=size)
        certification = standalone(quiz, exam_prerequisites=courses)
        for number in range(1, size + 1):
            QuizAttemptFactory(user=learner.user, quiz=quiz, course=None, number=number)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(exam_url(certification), **learner.headers).status_code == 200
        counts.append(len(captured.captured_queries))
        state = exam_state(
            user=learner.user, certification=exam_for_partner(user=learner.user, certification_id=certification.pk)
        )
        assert state.used == size
    assert counts[0] == counts[1]


def test_the_admin_edits_the_exam_taken_on_its_own(admin_client):
    certification = standalone()
    response = admin_client.get(f"/admin/snippets/certifications/certification/edit/{certification.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="exam_standalone"' in page and 'name="exam_prerequisites"' in page
    assert "Courses to complete before taking the exam on its own." in page
