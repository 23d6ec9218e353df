"""Partner API routes of quiz attempts: started with drawn questions, submitted, graded on the server.

Correct answers never leave the server before the quiz allows it (a pass or the last
allowed attempt). A quiz or attempt the caller may not see is a 404; a start or submit
that does not apply now is a 409 saying why.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.urls import reverse

from ninja import Field, Router, Schema, Status

from .. import selectors
from ..models import Enrollment, QuizAttempt
from ..selectors import answers_revealed, attempt_number_in_round
from ..services.attempts import quiz_attempt_start, quiz_attempt_submit
from ..services.errors import CourseError
from .catalogue import ErrorOut

router = Router()


class ChoiceOut(Schema):
    id: int = Field(description="This attempt's own id of the choice: random, meaningless in any other attempt.")
    text: str


class QuestionOut(Schema):
    id: int
    kind: Literal["single", "multiple", "true_false"]
    text: str
    choices: list[ChoiceOut]


class ReviewOut(Schema):
    question_id: int
    credit: float = Field(description="0 to 1 (partial for multiple choice).")
    your_choice_ids: list[int]
    correct_choice_ids: list[int]
    explanation: str


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    course_id: int | None = Field(description="Null for a certification's exam taken on its own.")
    number: int = Field(description="1 for my first attempt at this quiz, in whichever course or round.")
    number_in_round: int = Field(
        description="Its number in the round of the course it was taken in (a retake counts from 1 again)."
    )
    attempts_left: int | None = Field(description="After this one, in its round; null when unlimited.")
    status: Literal["in_progress", "graded", "timed_out"]
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    questions: list[QuestionOut]
    answers: dict[str, list[int]]
    score: float | None
    pass_mark: int
    passed: bool | None
    late: bool
    review: list[ReviewOut] | None = Field(
        description="Correct answers, only after a pass or the last allowed attempt (as the quiz is configured)."
    )
    submit_url: str | None


def _attempt(request, attempt: QuizAttempt) -> dict:
    quiz = attempt.quiz
    revealed = answers_revealed(attempt)
    review = None
    if revealed:
        results = {r.question_id: r.credit for r in attempt.results.all()}
        review = [
            {
                "question_id": q["id"],
                "credit": results.get(q["id"], Decimal(0)),
                "your_choice_ids": attempt.answers.get(str(q["id"]), []),
                "correct_choice_ids": [c["id"] for c in q["choices"] if c["correct"]],
                "explanation": q["explanation"],
            }
            for q in attempt.questions
        ]
    in_progress = attempt.status == QuizAttempt.Status.IN_PROGRESS
    in_round = attempt_number_in_round(attempt)  # a retake of the course counts its attempts from 1
    return {
        "id": attempt.pk,
        "quiz_id": quiz.pk,
        "quiz_title": quiz.title,
        "course_id": attempt.course_id,
        "number": attempt.number,
        "number_in_round": in_round,
        "attempts_left": max(0, quiz.attempt_limit - in_round) if quiz.attempt_limit else None,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        # Only ids and texts: the snapshot's "correct" flags and explanations stay here.
        "questions": [
            {
                "id": q["id"],
                "kind": q["kind"],
                "text": q["text"],
                "choices": [{"id": c["id"], "text": c["text"]} for c in q["choices"]],
            }
            for q in attempt.questions
        ],
        "answers": attempt.answers,
        "score": attempt.score,
        "pass_mark": quiz.pass_mark,
        "passed": attempt.passed,
        "late": attempt.late,
        "review": review,
        "submit_url": request.build_absolute_uri(reverse("api-v1:submit_attempt", args=[attempt.pk]))
        if in_progress
        else None,
    }


@router.post(
    "/quizzes/{int:quiz_id}/attempts",
    operation_id="courses_api_start_attempt",
    response={200: AttemptOut, 201: AttemptOut, 404: ErrorOut, 409: ErrorOut},
    summary="Start a quiz attempt",
    description="201 with the drawn questions (never their answers), or 200 with the attempt already in progress. "
    "409 when I am not enrolled, passed already, or have no attempts left. A quiz used by several of my courses is "
    "taken in the one given by `?course_id=` (by default the first I am enrolled in); its attempts count over all of "
    "them (one attempt limit), and a pass counts in each; a retake of the course (a new round) counts only the "
    "attempts started during it. Choice ids are the attempt's own: ids from another attempt "
    "are refused.",
)
def start_attempt(request, quiz_id: int, course_id: int | None = None):
    found = selectors.quiz_for_partner(user=request.auth, quiz_id=quiz_id)
    if found is None:
        raise Http404
    quiz, courses = found
    if course_id is not None:
        courses = [c for c in courses if c.pk == course_id]
        if not courses:
            raise Http404
    enrolled = set(
        Enrollment.objects.current().filter(user=request.auth, course__in=courses).values_list("course_id", flat=True)
    )
    course = next((c for c in courses if c.pk in enrolled), courses[0])
    try:
        attempt, created = quiz_attempt_start(user=request.auth, quiz=quiz, course=course)
    except CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return Status(201 if created else 200, _attempt(request, attempt))


@router.get(
    "/attempts/{int:attempt_id}",
    operation_id="courses_api_get_attempt",
    response={200: AttemptOut, 404: ErrorOut},
    summary="One of my attempts",
)
def get_attempt(request, attempt_id: int):
    attempt = selectors.attempt_for_partner(user=request.auth, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return _attempt(request, attempt)


class SubmitIn(Schema):
    answers: dict[int, list[int]] = Field(
        description="Question id → the chosen choice ids of this attempt (one for single choice and true/false); "
        "an id this attempt did not give is a 422.",
        max_length=500,
    )


@router.post(
    "/attempts/{int:attempt_id}/submit",
    operation_id="courses_api_submit_attempt",
    response={200: AttemptOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit my answers",
    description="Grades on the server, once: a second submit answers the first grade. Unanswered questions score 0.",
)
def submit_attempt(request, attempt_id: int, payload: SubmitIn):
    attempt = selectors.attempt_for_partner(user=request.auth, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    try:
        attempt, _graded = quiz_attempt_submit(user=request.auth, attempt_id=attempt.pk, answers=payload.answers)
    except CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return _attempt(request, attempt)
