"""A certification's exam taken on its own, in the portal: the exam's page (rules, eligibility, attempts, Start),
an attempt with its timer, submitting it, and the result (score and pass or fail, never the answers).

Everything ``/api/v1/certifications/{id}/exam`` enforces is enforced by the same code: the exam is found by
``exam_for_partner`` (the certification visible to me, its exam taken on its own; 404 otherwise), the learner's
state by ``exam_state``, and attempts are started and graded by ``certifications.exams`` (courses' drawing,
numbering, limits and grading). Proctoring-light: one attempt in progress, and no question, answer or correct
choice is shown once an attempt is over. The timer's remaining time is computed on the server and refreshed by
htmx polling a fragment: no script of our own.
"""

import math

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from certifications.exam_selectors import exam_attempt_of, exam_for_partner, exam_state, time_is_up
from certifications.exams import ExamRefused, exam_attempt_start, exam_attempt_submit
from certifications.models import Certificate
from courses.models import Quiz, QuizAttempt

from ..access import portal_page

#: How often the timer asks the server for the time left (htmx polling), as the quizzes' timer.
TIMER_POLL = "30s"


def _exam_or_404(user, certification_id: int):
    certification = exam_for_partner(user=user, certification_id=certification_id)
    if certification is None:
        raise Http404
    return certification


def _attempt_or_404(request, certification_id: int, attempt_id: int):
    certification = _exam_or_404(request.user, certification_id)
    attempt = exam_attempt_of(user=request.user, certification=certification, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return certification, attempt


def refusal_message(state) -> str:
    """Why the learner cannot start an attempt now, in the portal's words (as ``api_exams.refusal``)."""
    if state.passed:
        return _("You passed this exam already.")
    if not state.eligible:
        parts = [", ".join(f"“{course['title']}”" for course in state.missing)] if state.missing else []
        if state.hidden_missing:
            parts.append(
                ngettext("%(n)d course not open to you", "%(n)d courses not open to you", state.hidden_missing)
                % {"n": state.hidden_missing}
            )
        return _("Complete these courses first: %(courses)s.") % {"courses": ", ".join(parts)}
    if state.attempts_left == 0:
        return _("You have no attempts left at this exam.")
    return _("This exam cannot be started now.")


def exam_page_response(request, certification, *, error: str | None = None, status: int = 200):
    state = exam_state(user=request.user, certification=certification)
    prerequisites = [
        {**course, "url": reverse("home:learning_course", args=[course["id"]])} for course in state.prerequisites
    ]
    return TemplateResponse(
        request,
        "home/exams/exam.html",
        {
            "certification": certification,
            "state": state,
            "quiz": state.quiz,
            "prerequisites": prerequisites,
            "error": error,
            "blocked": None if state.can_start or state.current else refusal_message(state),
        },
        status=status,
    )


@portal_page
def exam(request, certification_id: int):
    return exam_page_response(request, _exam_or_404(request.user, certification_id))


@require_POST
@portal_page
def start(request, certification_id: int):
    """Start an attempt (or go back to the one in progress); refusals are the service's, said on the exam page."""
    certification = _exam_or_404(request.user, certification_id)
    try:
        attempt, _created = exam_attempt_start(user=request.user, certification=certification)
    except ExamRefused:
        state = exam_state(user=request.user, certification=certification)
        return exam_page_response(request, certification, error=refusal_message(state), status=409)
    return redirect("home:exam_attempt", certification_id=certification.pk, attempt_id=attempt.pk)


def timer_context(certification, attempt: QuizAttempt, now=None) -> dict:
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
        "timer_url": reverse("home:exam_timer", args=[certification.pk, attempt.pk]),
    }


def attempt_context(request, certification, attempt: QuizAttempt) -> dict:
    """What the attempt's page shows: the questions (ids and texts only) with the timer, or the result."""
    in_progress = attempt.status == QuizAttempt.Status.IN_PROGRESS
    context = {
        "certification": certification,
        "attempt": attempt,
        "quiz": attempt.quiz,
        "in_progress": in_progress,
        "exam_url": reverse("home:exam", args=[certification.pk]),
        "attempt_url": reverse("home:exam_attempt", args=[certification.pk, attempt.pk]),
    }
    if in_progress:
        context.update(timer_context(certification, attempt))
        context["submit_url"] = reverse("home:exam_submit", args=[certification.pk, attempt.pk])
        # Only what the learner answers with: the snapshot's "correct" flags and explanations stay on the server.
        context["questions"] = [
            {
                "id": q["id"],
                "kind": q["kind"],
                "text": q["text"],
                "choices": [{"id": c["id"], "text": c["text"]} for c in q["choices"]],
            }
            for q in attempt.questions
        ]
        return context
    state = exam_state(user=request.user, certification=certification)
    certificate = None
    if attempt.passed:
        certificate = Certificate.objects.filter(
            user=request.user, certification=certification, superseded_at__isnull=True
        ).first()
    context.update({"state": state, "certificate": certificate})
    return context


@portal_page
def attempt(request, certification_id: int, attempt_id: int):
    certification, attempt = _attempt_or_404(request, certification_id, attempt_id)
    return TemplateResponse(request, "home/exams/attempt.html", attempt_context(request, certification, attempt))


@require_GET
@portal_page
def timer(request, certification_id: int, attempt_id: int):
    """The timer alone (what htmx polls): the deadline and the minutes left, computed now, on the server."""
    certification, attempt = _attempt_or_404(request, certification_id, attempt_id)
    if attempt.status != QuizAttempt.Status.IN_PROGRESS:
        context = {"certification": certification, "attempt": attempt}
        return render(request, "home/exams/includes/timer_over.html", context)
    return render(request, "home/learning/includes/timer.html", timer_context(certification, attempt))


def posted_answers(request, attempt: QuizAttempt) -> dict[int, list[int]] | None:
    """The choices posted for each question of the attempt (``question-<id>`` fields); ``None`` when malformed.

    Only choice ids count: whatever else a client posts is ignored, and the service checks that every id is one
    this attempt gave for that question.
    """
    answers = {}
    for question in attempt.questions:
        try:
            answers[question["id"]] = [int(value) for value in request.POST.getlist(f"question-{question['id']}")]
        except ValueError:
            return None
    return {qid: ids for qid, ids in answers.items() if ids}


@require_POST
@portal_page
def submit(request, certification_id: int, attempt_id: int):
    """Grade the attempt on the server, once (a second submit shows the first grade); htmx gets the result
    fragment in place of the form, a plain form post the result page."""
    certification, attempt = _attempt_or_404(request, certification_id, attempt_id)
    answers = posted_answers(request, attempt)
    error = None
    if answers is None:
        error = _("Some answers do not belong to this attempt; nothing was saved. Reload the page and try again.")
    else:
        try:
            attempt, _graded = exam_attempt_submit(
                user=request.user, certification=certification, attempt_id=attempt.pk, answers=answers
            )
        except ExamRefused:
            error = _("Some answers do not belong to this attempt; nothing was saved. Reload the page and try again.")
    if error:
        context = {**attempt_context(request, certification, attempt), "error": error}
        template = "home/exams/includes/attempt_body.html" if request.htmx else "home/exams/attempt.html"
        return render(request, template, context, status=422)
    if request.htmx:
        return render(
            request, "home/exams/includes/attempt_body.html", attempt_context(request, certification, attempt)
        )
    return redirect("home:exam_attempt", certification_id=certification.pk, attempt_id=attempt.pk)


# Included under ``/certifications/exams/`` by ``home.urls`` (names in the ``home:`` namespace).
urlpatterns = [
    path("<int:certification_id>/", exam, name="exam"),
    path("<int:certification_id>/start/", start, name="exam_start"),
    path("<int:certification_id>/attempts/<int:attempt_id>/", attempt, name="exam_attempt"),
    path("<int:certification_id>/attempts/<int:attempt_id>/timer/", timer, name="exam_timer"),
    path("<int:certification_id>/attempts/<int:attempt_id>/submit/", submit, name="exam_submit"),
]
