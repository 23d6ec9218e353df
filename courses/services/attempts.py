"""Quiz attempts graded on the server: questions drawn, answers checked and graded once, answers revealed.

Attempts at a quiz are counted per learner, whichever courses use it: one attempt limit,
and one pass that counts in each of them. Attempt limits hold under concurrency: starts
are numbered under a unique constraint (two starts at once become one attempt), and a
submit locks its attempt row, so it is graded exactly once. Each attempt numbers its
choices with random ids of its own, so ids seen in one attempt's answers are meaningless
in any other attempt or quiz.
"""

import random
import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.signals import quiz_passed

from ..models import Course, Enrollment, Question, QuestionResult, Quiz, QuizAttempt
from .enrollment import enrollment_for
from .errors import CourseError, InvalidAnswers
from .progress import enrollment_refresh_completion

#: Answers may arrive this long after the deadline and still count as on time (network, clock skew).
SUBMIT_GRACE = timedelta(seconds=30)


#: Attempt choice ids are drawn below this (a 31-bit integer fits every client).
CHOICE_ID_LIMIT = 2**31 - 1


def attempt_choice_ids(count: int) -> list[int]:
    """``count`` distinct random choice ids for one attempt; unrelated to the bank's ids and to other attempts'."""
    ids: set[int] = set()
    while len(ids) < count:
        ids.add(1 + secrets.randbelow(CHOICE_ID_LIMIT))
    return list(ids)


def _snapshot(question: Question, *, shuffle_choices: bool, rng: random.Random, ids) -> dict:
    choices = [{"id": next(ids), "text": c.text, "correct": c.is_correct} for c in question.choices.all()]
    if shuffle_choices and question.kind != Question.Kind.TRUE_FALSE:
        rng.shuffle(choices)
    return {
        "id": question.pk,
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "choices": choices,
    }


def _draw(quiz: Quiz, rng: random.Random) -> list[dict]:
    questions = list(quiz.bank.questions.prefetch_related("choices").order_by("sort_order", "pk"))
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(questions):
        questions = rng.sample(questions, quiz.questions_per_attempt)
        if not quiz.shuffle_questions:
            questions.sort(key=lambda q: (q.sort_order or 0, q.pk))
    elif quiz.shuffle_questions:
        rng.shuffle(questions)
    ids = iter(attempt_choice_ids(sum(len(q.choices.all()) for q in questions)))
    return [_snapshot(q, shuffle_choices=quiz.shuffle_choices, rng=rng, ids=ids) for q in questions]


def _time_out_stale(*, user, quiz: Quiz, now) -> None:
    QuizAttempt.objects.filter(
        user=user, quiz=quiz, status=QuizAttempt.Status.IN_PROGRESS, deadline__lt=now - SUBMIT_GRACE
    ).update(status=QuizAttempt.Status.TIMED_OUT, score=Decimal("0.00"), passed=False)


def quiz_attempt_start(
    *, user, quiz: Quiz, course: Course | None, counts_from=None, now=None, rng: random.Random | None = None
):
    """Start an attempt (or answer the one in progress): ``(attempt, created)``.

    Refused when the learner is not enrolled in ``course``, has passed the quiz already, or
    has no attempts left. ``course=None`` starts a stand-alone attempt (a certification's exam
    taken on its own): the caller has checked that the learner may take it, and the drawing,
    numbering, limit and grading are the same. Attempts count per learner and quiz, in whichever course they were
    taken: a quiz several courses use has one attempt limit and is passed once (the pass counts
    in each), so enrolling in more courses never buys more attempts, nor a second try at answers
    a finished attempt revealed. The attempt in progress is answered wherever it was started.
    Two starts at the same moment become one attempt.

    Only attempts started since the round began count (a retake round of ``course``, or
    ``counts_from`` for a stand-alone exam sat again to renew a certificate): an earlier pass
    does not refuse a new attempt, and the attempt limit is counted afresh.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    enrollment = enrollment_for(user=user, course=course) if course is not None else None
    if quiz.late_submission == Quiz.LateSubmission.REFUSE:
        _time_out_stale(user=user, quiz=quiz, now=now)
    attempts = QuizAttempt.objects.filter(user=user, quiz=quiz)
    # A retake round of the course counts only the attempts started during it (``courses.services.rounds``).
    since = enrollment.attempts_since if enrollment is not None else counts_from
    in_round = attempts.filter(started_at__gte=since) if since else attempts

    def in_progress():
        return attempts.filter(status=QuizAttempt.Status.IN_PROGRESS).order_by("-number").first()

    if current := in_progress():
        return current, False
    if in_round.filter(passed=True).exists():
        raise CourseError(f"You passed “{quiz}” already.")
    # One statement, so one snapshot: counted apart, a parallel start committing in between would be missed
    # by one count and seen by the other, and the limit could be passed.
    in_round_filter = {"filter": Q(started_at__gte=since)} if since else {}
    counts = attempts.aggregate(numbered=Count("pk"), used=Count("pk", **in_round_filter))
    used, numbered = counts["used"], counts["numbered"]
    if quiz.attempt_limit and used >= quiz.attempt_limit:
        if current := in_progress():  # started by a parallel request since we looked
            return current, False
        raise CourseError(f"No attempts left at “{quiz}”: {used} of {quiz.attempt_limit} used.")
    attempt = QuizAttempt(
        quiz=quiz,
        course=course,
        user=user,
        number=numbered + 1,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        questions=_draw(quiz, rng),
    )
    attempt.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # a parallel start took this number: that attempt is the one
        current = attempts.filter(number=numbered + 1).first()
        if current is None:
            raise
        return current, False
    return attempt, True


def grade_answer(question: dict, selected: set[int]) -> Decimal:
    """Credit for one answer, 0 to 1. Multiple choice gives partial credit: (right - wrong) / all right."""
    correct = {choice["id"] for choice in question["choices"] if choice["correct"]}
    if question["kind"] == Question.Kind.MULTIPLE:
        earned = len(selected & correct) - len(selected - correct)
        return max(Decimal(0), Decimal(earned) / Decimal(len(correct)))
    return Decimal(1) if selected == correct else Decimal(0)


def _clean_answers(attempt: QuizAttempt, answers: dict) -> dict[int, set[int]]:
    by_id = {question["id"]: question for question in attempt.questions}
    cleaned = {}
    for question_id, choice_ids in answers.items():
        question = by_id.get(int(question_id))
        if question is None:
            raise InvalidAnswers(f"Question {question_id} is not part of this attempt.")
        allowed = {choice["id"] for choice in question["choices"]}
        selected = set(choice_ids)
        if not selected <= allowed:
            raise InvalidAnswers(f"Question {question_id} has no choice {sorted(selected - allowed)[0]}.")
        if question["kind"] != Question.Kind.MULTIPLE and len(selected) > 1:
            raise InvalidAnswers(f"Question {question_id} takes one answer.")
        cleaned[question["id"]] = selected
    return cleaned


def quiz_attempt_submit(*, user, attempt_id: int, answers: dict, now=None) -> tuple[QuizAttempt, bool]:
    """Grade an attempt once: ``(attempt, graded_now)``. A second submit answers the first grade."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update().select_related("quiz").filter(pk=attempt_id, user=user).first()
        )
        if attempt is None:
            raise QuizAttempt.DoesNotExist
        if attempt.status != QuizAttempt.Status.IN_PROGRESS:
            return attempt, False
        cleaned = _clean_answers(attempt, answers)
        late = bool(attempt.deadline and now > attempt.deadline + SUBMIT_GRACE)
        attempt.submitted_at = now
        attempt.answers = {str(qid): sorted(selected) for qid, selected in cleaned.items()}
        attempt.late = late
        if late and attempt.quiz.late_submission == Quiz.LateSubmission.REFUSE:
            attempt.status, attempt.score, attempt.passed = QuizAttempt.Status.TIMED_OUT, Decimal("0.00"), False
            attempt.save()
            return attempt, True
        credits = {q["id"]: grade_answer(q, cleaned.get(q["id"], set())) for q in attempt.questions}
        score = 100 * sum(credits.values(), Decimal(0)) / len(credits) if credits else Decimal(0)
        attempt.score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        attempt.passed = attempt.score >= attempt.quiz.pass_mark
        attempt.status = QuizAttempt.Status.GRADED
        attempt.save()
        existing = set(Question.objects.filter(pk__in=credits).values_list("pk", flat=True))
        QuestionResult.objects.bulk_create(
            QuestionResult(
                attempt=attempt,
                question_id=qid if qid in existing else None,
                question_text=next(q["text"] for q in attempt.questions if q["id"] == qid),
                credit=credit.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP),
            )
            for qid, credit in credits.items()
        )
        if attempt.passed:
            quiz_passed.send(sender=Quiz, user=user, quiz=attempt.quiz, attempt=attempt)
            # Passed once, passed in every course of the learner's that requires it.
            requiring = Q(course__final_quiz=attempt.quiz) | Q(course__modules__quiz=attempt.quiz)
            for enrollment in Enrollment.objects.filter(requiring, user=user, completed_at__isnull=True).distinct():
                enrollment_refresh_completion(enrollment=enrollment, now=now)
    return attempt, True
