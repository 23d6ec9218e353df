"""Partner API routes of stand-alone exams: a certification's exam taken on its own, without a course.

``GET certifications/{id}/exam`` tells the rules (the quiz's pass mark, attempt limit and
time limit), whether I may take it (its prerequisite courses: those I may see named, the
others counted), my attempts, best score and the attempt in progress. Starting and
submitting go through ``certifications.exams``. A certification I may not see, or one
without a stand-alone exam, is a 404; a start that does not apply now is a 409 saying why.

Proctoring-light: the questions and choices leave the server only while the attempt is in
progress, never with their answers; a graded attempt answers its score and pass or fail
only, never the questions, my answers, the correct ones or explanations.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse

from ninja import Field, Router, Schema, Status

from courses.models import QuizAttempt

from .exam_selectors import exam_attempt_of, exam_for_partner, exam_state
from .exams import ExamRefused, exam_attempt_start, exam_attempt_submit
from .models import Certificate

router = Router(tags=["certifications"])


class ExamErrorOut(Schema):
    detail: str


class ExamCourseOut(Schema):
    id: int
    title: str
    done: bool


class ExamAttemptSummaryOut(Schema):
    id: int
    number: int
    status: Literal["in_progress", "graded", "timed_out"]
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    late: bool


class ExamOut(Schema):
    certification_id: int
    certification: str
    title: str = Field(description="The exam (its quiz's title).")
    eligible: bool = Field(description="Every prerequisite course completed.")
    prerequisites: list[ExamCourseOut] = Field(description="The prerequisite courses I may see, done or not.")
    unavailable_prerequisites: int = Field(
        description="Prerequisite courses outside what I may see and not completed (counted, never named)."
    )
    questions: int = Field(description="How many questions an attempt draws.")
    pass_mark: int
    attempt_limit: int | None = Field(description="Null: unlimited.")
    attempts_used: int
    attempts_left: int | None = Field(description="Null when unlimited.")
    time_limit_minutes: int | None
    late_submission: Literal["refuse", "grade"] = Field(
        description="Answers after the time limit: refused (the attempt fails) or graded and marked late."
    )
    passed: bool
    best_score: float | None
    in_progress: ExamAttemptSummaryOut | None
    attempts: list[ExamAttemptSummaryOut]
    can_start: bool
    reason: str | None = Field(description="Why I cannot start an attempt now; null when I can.")
    my_certificate_id: int | None = Field(description="My current certificate of this certification, if any.")


class ExamChoiceOut(Schema):
    id: int = Field(description="This attempt's own id of the choice: random, meaningless in any other attempt.")
    text: str


class ExamQuestionOut(Schema):
    id: int
    kind: Literal["single", "multiple", "true_false"]
    text: str
    choices: list[ExamChoiceOut]


class ExamAttemptOut(ExamAttemptSummaryOut):
    certification_id: int
    attempts_left: int | None = Field(description="After this one; null when unlimited.")
    pass_mark: int
    questions: list[ExamQuestionOut] = Field(
        description="Only while the attempt is in progress, never with their answers; empty once it is over."
    )
    submit_url: str | None
    my_certificate_id: int | None = Field(description="My current certificate, once the pass earned it.")


def _summary(attempt: QuizAttempt) -> dict:
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "late": attempt.late,
    }


def refusal(state) -> str | None:
    """Why ``state``'s learner cannot start an attempt now (the words of the services' refusals)."""
    if state.can_start:
        return None
    if state.current is not None:
        return "An attempt is in progress: finish it first."
    if state.passed:
        return f"You passed “{state.quiz}” already."
    if not state.eligible:
        names = ", ".join(f"“{course['title']}”" for course in state.missing)
        hidden = f"{state.hidden_missing} course(s) not open to you" if state.hidden_missing else ""
        return f"Complete these courses first: {', '.join(filter(None, [names, hidden]))}."
    return f"No attempts left at “{state.quiz}”: {state.used} of {state.quiz.attempt_limit} used."


def _exam_or_404(user, certification_id: int):
    certification = exam_for_partner(user=user, certification_id=certification_id)
    if certification is None:
        raise Http404
    return certification


@router.get(
    "/certifications/{int:certification_id}/exam",
    operation_id="certifications_api_get_exam",
    response={200: ExamOut, 404: ExamErrorOut},
    summary="A certification's exam, taken on its own",
    description="The rules (the quiz's), whether I may take it, my attempts and the one in progress. 404 for a "
    "certification I may not see or without an exam taken on its own.",
)
def get_exam(request, certification_id: int):
    certification = _exam_or_404(request.auth, certification_id)
    state = exam_state(user=request.auth, certification=certification)
    quiz = state.quiz
    return {
        "certification_id": certification.pk,
        "certification": certification.title,
        "title": quiz.title,
        "eligible": state.eligible,
        "prerequisites": state.prerequisites,
        "unavailable_prerequisites": state.hidden_missing,
        "questions": state.question_count,
        "pass_mark": quiz.pass_mark,
        "attempt_limit": quiz.attempt_limit,
        "attempts_used": state.used,
        "attempts_left": state.attempts_left,
        "time_limit_minutes": quiz.time_limit_minutes,
        "late_submission": quiz.late_submission,
        "passed": state.passed,
        "best_score": state.best,
        "in_progress": _summary(state.current) if state.current else None,
        "attempts": [_summary(a) for a in state.attempts],
        "can_start": state.can_start,
        "reason": refusal(state),
        "my_certificate_id": state.certificate.pk if state.certificate else None,
    }


def _attempt(request, certification, attempt: QuizAttempt) -> dict:
    quiz = attempt.quiz
    in_progress = attempt.status == QuizAttempt.Status.IN_PROGRESS
    certificate = (
        Certificate.objects.filter(user=attempt.user_id, certification=certification, superseded_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
        if attempt.passed
        else None
    )
    return {
        **_summary(attempt),
        "certification_id": certification.pk,
        "attempts_left": max(0, quiz.attempt_limit - attempt.number) if quiz.attempt_limit else None,
        "pass_mark": quiz.pass_mark,
        # Only ids and texts, and only while it is in progress: no review of the questions afterwards.
        "questions": [
            {
                "id": q["id"],
                "kind": q["kind"],
                "text": q["text"],
                "choices": [{"id": c["id"], "text": c["text"]} for c in q["choices"]],
            }
            for q in attempt.questions
        ]
        if in_progress
        else [],
        "submit_url": request.build_absolute_uri(
            reverse("api-v1:submit_exam_attempt", args=[certification.pk, attempt.pk])
        )
        if in_progress
        else None,
        "my_certificate_id": certificate,
    }


@router.post(
    "/certifications/{int:certification_id}/exam/attempts",
    operation_id="certifications_api_start_exam_attempt",
    response={200: ExamAttemptOut, 201: ExamAttemptOut, 404: ExamErrorOut, 409: ExamErrorOut},
    summary="Start an attempt at a certification's exam",
    description="201 with the drawn questions (never their answers), or 200 with my attempt in progress (one at "
    "a time). 409 until the prerequisite courses are completed, when passed already or no attempts are left.",
)
def start_exam_attempt(request, certification_id: int):
    certification = _exam_or_404(request.auth, certification_id)
    try:
        attempt, created = exam_attempt_start(user=request.auth, certification=certification)
    except ExamRefused as error:
        return Status(error.status, {"detail": str(error)})
    return Status(201 if created else 200, _attempt(request, certification, attempt))


@router.get(
    "/certifications/{int:certification_id}/exam/attempts/{int:attempt_id}",
    operation_id="certifications_api_get_exam_attempt",
    response={200: ExamAttemptOut, 404: ExamErrorOut},
    summary="One of my attempts at a certification's exam",
)
def get_exam_attempt(request, certification_id: int, attempt_id: int):
    certification = _exam_or_404(request.auth, certification_id)
    attempt = exam_attempt_of(user=request.auth, certification=certification, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return _attempt(request, certification, attempt)


class ExamSubmitIn(Schema):
    answers: dict[int, list[int]] = Field(
        description="Question id → the chosen choice ids of this attempt (one for single choice and true/false); "
        "an id this attempt did not give is a 422.",
        max_length=500,
    )


@router.post(
    "/certifications/{int:certification_id}/exam/attempts/{int:attempt_id}/submit",
    url_name="submit_exam_attempt",
    operation_id="certifications_api_submit_exam_attempt",
    response={200: ExamAttemptOut, 404: ExamErrorOut, 409: ExamErrorOut, 422: ExamErrorOut},
    summary="Submit my answers to a certification's exam",
    description="Graded on the server, once: a second submit answers the first grade. Unanswered questions score "
    "0. The answer is the score and pass or fail, never the correct answers; a pass issues the certificate when "
    "the rest of the path is done.",
)
def submit_exam_attempt(request, certification_id: int, attempt_id: int, payload: ExamSubmitIn):
    certification = _exam_or_404(request.auth, certification_id)
    try:
        attempt, _graded = exam_attempt_submit(
            user=request.auth, certification=certification, attempt_id=attempt_id, answers=payload.answers
        )
    except QuizAttempt.DoesNotExist:
        raise Http404 from None
    except ExamRefused as error:
        return Status(error.status, {"detail": str(error)})
    return _attempt(request, certification, attempt)
