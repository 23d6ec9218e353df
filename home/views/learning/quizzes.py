"""Quizzes in the player: the quiz's page (attempts used, start or retake), an attempt with its timer, submitting
it, and the results (score, pass or fail, and the correct answers only when the quiz allows it).

Everything the API enforces is enforced by the same services: attempts are drawn and graded on the server
(``quiz_attempt_start``, ``quiz_attempt_submit``), the limit counts over every course using the quiz, answers
sent after the time limit are refused (or graded late, as the quiz says), and the correct answers are shown by
``answers_revealed``'s rule. The timer's remaining time is computed here, on the server, and refreshed by htmx
polling a fragment: no script of our own.
"""

import math

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.models import Enrollment, Quiz, QuizAttempt
from courses.selectors import (
    answers_revealed,
    attempt_for_partner,
    attempt_number_in_round,
    quiz_for_partner,
    round_attempts,
)
from courses.services.attempts import SUBMIT_GRACE, quiz_attempt_start, quiz_attempt_submit
from courses.services.errors import CourseError, InvalidAnswers

from ...access import portal_page
from .common import course_error_message, outline_or_404

#: How often the timer asks the server for the time left (htmx polling).
TIMER_POLL = "30s"


def _quiz_in_course_or_404(user, course_id: int, quiz_id: int):
    """The quiz and the course it is taken in, when a course ``user`` may see uses it; else 404."""
    found = quiz_for_partner(user=user, quiz_id=quiz_id)
    if found is None:
        raise Http404
    quiz, courses = found
    course = next((c for c in courses if c.pk == course_id), None)
    if course is None:
        raise Http404
    return quiz, course


def time_is_up(attempt: QuizAttempt, now) -> bool:
    """Past the deadline and its grace: answers sent now are refused (or graded late, as the quiz says)."""
    return bool(attempt.deadline and now > attempt.deadline + SUBMIT_GRACE)


def timer_context(attempt: QuizAttempt, course_id: int, now=None) -> dict:
    """The timer of an attempt in progress: its deadline and the minutes left, from the server's clock."""
    now = now or timezone.now()
    if not attempt.deadline:
        return {"attempt": attempt, "has_timer": False}
    seconds = (attempt.deadline - now).total_seconds()
    return {
        "attempt": attempt,
        "has_timer": True,
        "minutes_left": max(0, math.ceil(seconds / 60)),
        "time_up": seconds <= 0,
        "refused": time_is_up(attempt, now) and attempt.quiz.late_submission == Quiz.LateSubmission.REFUSE,
        "poll": TIMER_POLL,
        "timer_url": reverse("home:learning_attempt_timer", args=[course_id, attempt.quiz_id, attempt.pk]),
    }


def _attempts_of(user, quiz, course_id: int):
    """The attempts that count in the learner's current round of the course (all of them in round 1)."""
    return list(round_attempts(user=user, quiz=quiz, course_id=course_id).order_by("number"))


def quiz_page_response(request, course_id: int, quiz_id: int, *, error: str | None = None, status: int = 200):
    quiz, _course = _quiz_in_course_or_404(request.user, course_id, quiz_id)
    outline = outline_or_404(user=request.user, course_id=course_id)
    previous, following = outline.mark_current("quiz", quiz.pk)
    attempts = _attempts_of(request.user, quiz, course_id)
    now = timezone.now()
    refused_late = quiz.late_submission == Quiz.LateSubmission.REFUSE
    current = next(
        (
            a
            for a in attempts
            if a.status == QuizAttempt.Status.IN_PROGRESS and not (refused_late and time_is_up(a, now))
        ),
        None,
    )
    # An attempt whose time ran out is timed out by the next start (the service), so it counts as used here.
    used = len(attempts)
    passed = any(a.passed for a in attempts)
    attempts_left = None if quiz.attempt_limit is None else max(0, quiz.attempt_limit - used)
    return TemplateResponse(
        request,
        "home/learning/quiz.html",
        {
            "outline": outline,
            "quiz": quiz,
            "attempts": attempts,
            "current": current,
            "used": used,
            "passed": passed,
            "attempts_left": attempts_left,
            "current_number": attempts.index(current) + 1 if current in attempts else None,
            "can_start": current is None and not passed and attempts_left != 0,
            "next_number": used + 1,
            "best": max((a.score for a in attempts if a.score is not None), default=None),
            "previous": previous,
            "next": following,
            "error": error,
        },
        status=status,
    )


@portal_page
def quiz(request, course_id: int, quiz_id: int):
    return quiz_page_response(request, course_id, quiz_id)


@require_POST
@portal_page
def start_attempt(request, course_id: int, quiz_id: int):
    """Start an attempt (or go back to the one in progress); refusals are the service's, said on the quiz page."""
    quiz, course = _quiz_in_course_or_404(request.user, course_id, quiz_id)
    try:
        attempt, _created = quiz_attempt_start(user=request.user, quiz=quiz, course=course)
    except CourseError as error:
        return quiz_page_response(
            request, course_id, quiz_id, error=_refusal(error, request.user, quiz, course_id), status=409
        )
    return redirect("home:learning_attempt", course_id=course_id, quiz_id=quiz_id, attempt_id=attempt.pk)


def _refusal(error, user, quiz, course_id: int) -> str:
    attempts = round_attempts(user=user, quiz=quiz, course_id=course_id)
    if attempts.filter(passed=True).exists():
        return _("You passed “%(quiz)s” already.") % {"quiz": quiz.title}
    if quiz.attempt_limit and attempts.count() >= quiz.attempt_limit:
        return _("No attempts left at “%(quiz)s”: %(used)d of %(limit)d used.") % {
            "quiz": quiz.title,
            "used": attempts.count(),
            "limit": quiz.attempt_limit,
        }
    return course_error_message(error)


def _attempt_or_404(request, course_id: int, quiz_id: int, attempt_id: int) -> QuizAttempt:
    _quiz, _course = _quiz_in_course_or_404(request.user, course_id, quiz_id)
    attempt = attempt_for_partner(user=request.user, attempt_id=attempt_id)
    if attempt is None or attempt.quiz_id != quiz_id:
        raise Http404
    return attempt


def attempt_context(request, attempt: QuizAttempt, course_id: int) -> dict:
    """What the attempt's page shows: the questions to answer with the timer, or the results."""
    quiz = attempt.quiz
    in_progress = attempt.status == QuizAttempt.Status.IN_PROGRESS
    context = {
        "attempt": attempt,
        "attempt_number": attempt_number_in_round(attempt),  # a retake of the course counts from 1 again
        "quiz": quiz,
        "course_id": course_id,
        "in_progress": in_progress,
        "attempt_url": reverse("home:learning_attempt", args=[course_id, quiz.pk, attempt.pk]),
        "quiz_url": reverse("home:learning_quiz", args=[course_id, quiz.pk]),
    }
    if in_progress:
        context.update(timer_context(attempt, course_id))
        context["submit_url"] = reverse("home:learning_attempt_submit", args=[course_id, quiz.pk, attempt.pk])
        return context
    revealed = answers_revealed(attempt)
    tally = round_attempts(user=request.user, quiz=quiz, course_id=course_id).aggregate(
        used=Count("pk"), passed=Count("pk", filter=Q(passed=True))
    )
    attempts_left = None if quiz.attempt_limit is None else max(0, quiz.attempt_limit - tally["used"])
    context.update(
        {
            "revealed": revealed,
            "review": _review(attempt) if revealed else [],
            "attempts_left": attempts_left,
            # Passed in a later attempt, or none left: nothing to retake.
            "can_retake": not tally["passed"] and attempts_left != 0,
            "quiz_passed": bool(tally["passed"]),
            "course_completed": Enrollment.objects.current()
            .filter(user=request.user, course_id=course_id, completed_at__isnull=False)
            .exists(),
        }
    )
    return context


def _review(attempt: QuizAttempt) -> list[dict]:
    """Each question with its choices marked: the learner's and the correct ones (only once revealed)."""
    credits = {result.question_id: result.credit for result in attempt.results.all()}
    review = []
    for question in attempt.questions:
        chosen = set(attempt.answers.get(str(question["id"]), []))
        credit = credits.get(question["id"])
        review.append(
            {
                "text": question["text"],
                "explanation": question["explanation"],
                "credit_percent": round(100 * credit) if credit is not None else 0,
                "choices": [
                    {"text": c["text"], "chosen": c["id"] in chosen, "correct": c["correct"]}
                    for c in question["choices"]
                ],
            }
        )
    return review


@portal_page
def attempt(request, course_id: int, quiz_id: int, attempt_id: int):
    attempt = _attempt_or_404(request, course_id, quiz_id, attempt_id)
    outline = outline_or_404(user=request.user, course_id=course_id)
    outline.mark_current("quiz", quiz_id)
    return TemplateResponse(
        request,
        "home/learning/attempt.html",
        {"outline": outline, **attempt_context(request, attempt, course_id)},
    )


@require_GET
@portal_page
def attempt_timer(request, course_id: int, quiz_id: int, attempt_id: int):
    """The timer alone (what htmx polls): the deadline and the minutes left, computed now, on the server."""
    attempt = _attempt_or_404(request, course_id, quiz_id, attempt_id)
    if attempt.status != QuizAttempt.Status.IN_PROGRESS:
        return render(request, "home/learning/includes/timer_over.html", {"attempt": attempt, "course_id": course_id})
    return render(request, "home/learning/includes/timer.html", timer_context(attempt, course_id))


def posted_answers(request, attempt: QuizAttempt) -> dict[int, list[int]] | None:
    """The choices posted for each question of the attempt (``question-<id>`` fields); ``None`` when malformed.

    Only choice ids count: whatever else a client posts ("correct", a score) is ignored, and the service checks
    that every id is one this attempt gave for that question.
    """
    answers = {}
    for question in attempt.questions:
        values = request.POST.getlist(f"question-{question['id']}")
        try:
            answers[question["id"]] = [int(value) for value in values]
        except ValueError:
            return None
    return {qid: ids for qid, ids in answers.items() if ids}


@require_POST
@portal_page
def submit_attempt(request, course_id: int, quiz_id: int, attempt_id: int):
    """Grade the attempt on the server, once (a second submit shows the first grade); htmx gets the results
    fragment in place of the form, a plain form post the results page."""
    attempt = _attempt_or_404(request, course_id, quiz_id, attempt_id)
    answers = posted_answers(request, attempt)
    error = None
    if answers is None:
        error = course_error_message(InvalidAnswers(""))
    else:
        try:
            attempt, _graded = quiz_attempt_submit(user=request.user, attempt_id=attempt.pk, answers=answers)
        except CourseError as refused:
            error = course_error_message(refused)
    if error:
        context = {**attempt_context(request, attempt, course_id), "error": error}
        if request.htmx:
            return render(request, "home/learning/includes/attempt_body.html", context, status=422)
        outline = outline_or_404(user=request.user, course_id=course_id)
        outline.mark_current("quiz", quiz_id)
        return TemplateResponse(request, "home/learning/attempt.html", {"outline": outline, **context}, status=422)
    if request.htmx:
        outline = outline_or_404(user=request.user, course_id=course_id)
        outline.mark_current("quiz", quiz_id)
        context = {"outline": outline, **attempt_context(request, attempt, course_id)}
        return render(request, "home/learning/includes/attempt_swap.html", context)
    return redirect("home:learning_attempt", course_id=course_id, quiz_id=quiz_id, attempt_id=attempt.pk)
