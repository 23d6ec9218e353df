"""Writes of courses: enrolment, lesson completion, quiz attempts graded on the server, completion.

Every learner action checks what the learner may do first (``CourseError`` with a
message the API shows) and changes nothing when refused. Attempts at a quiz are counted
per learner, whichever courses use it: one attempt limit, and one pass that counts in each
of them. Attempt limits hold under concurrency: starts are numbered under a unique
constraint (two starts at once become one attempt), and a submit locks its attempt row,
so it is graded exactly once. Each attempt numbers its choices with random ids of its own,
so ids seen in one attempt's answers are meaningless in any other attempt or quiz.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.signals import course_completed, quiz_passed
from partners.models import past_last_day

from .models import Course, Enrollment, Lesson, LessonCompletion, Question, QuestionResult, Quiz, QuizAttempt

#: Answers may arrive this long after the deadline and still count as on time (network, clock skew).
SUBMIT_GRACE = timedelta(seconds=30)


class CourseError(Exception):
    """A learner action that does not apply now; the message says why."""

    status = 409


class NotEnrolled(CourseError):
    def __init__(self, course):
        super().__init__(f"Enrol in “{course}” first (POST /api/v1/courses/{course.pk}/enroll).")


class PrerequisitesMissing(CourseError):
    def __init__(self, missing, *, hidden: int = 0):
        self.missing = list(missing)
        names = ", ".join(f"“{course}”" for course in self.missing)
        # Courses the learner may not see are counted, never named.
        hidden_text = f"{hidden} course(s) not open to you" if hidden else ""
        super().__init__(f"Complete these courses first: {', '.join(filter(None, [names, hidden_text]))}.")


class InvalidAnswers(CourseError):
    status = 422


# --- enrolment and lessons ------------------------------------------------------------------------


def missing_prerequisites(*, user, course: Course) -> list[Course]:
    completed = set(
        Enrollment.objects.filter(user=user, completed_at__isnull=False).values_list("course_id", flat=True)
    )
    return [prerequisite for prerequisite in course.prerequisites.all() if prerequisite.pk not in completed]


def course_enroll(*, user, course: Course, now=None) -> tuple[Enrollment, bool]:
    """Enrol ``user`` in ``course`` (idempotent): ``(enrollment, created)``. Prerequisites must be completed."""
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing, False
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        visible = set(
            Course.objects.visible_to(user).filter(pk__in=[c.pk for c in missing]).values_list("pk", flat=True)
        )
        raise PrerequisitesMissing([c for c in missing if c.pk in visible], hidden=len(missing) - len(visible))
    enrollment = Enrollment(user=user, course=course, enrolled_at=now or timezone.now())
    enrollment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:  # enrolled by a parallel request a moment ago
        return Enrollment.objects.get(user=user, course=course), False
    return enrollment, True


def _enrollment_for(*, user, course: Course) -> Enrollment:
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is None:
        raise NotEnrolled(course)
    return enrollment


def lesson_open(*, user, lesson: Lesson, now=None) -> Enrollment:
    """Remember ``lesson`` as where the learner resumes."""
    enrollment = _enrollment_for(user=user, course=lesson.module.course)
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now or timezone.now()
    enrollment.save(update_fields=["last_lesson", "last_activity_at"])
    return enrollment


def lesson_complete(*, user, lesson: Lesson, now=None) -> tuple[LessonCompletion, bool]:
    """Mark ``lesson`` done (idempotent), move the resume point on, and complete the course when due."""
    now = now or timezone.now()
    enrollment = _enrollment_for(user=user, course=lesson.module.course)
    completion, created = LessonCompletion.objects.get_or_create(
        user=user, lesson=lesson, defaults={"completed_at": now}
    )
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now
    enrollment.save(update_fields=["last_lesson", "last_activity_at"])
    enrollment_refresh_completion(enrollment=enrollment, now=now)
    return completion, created


@dataclass(frozen=True)
class Progress:
    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int

    @property
    def percent(self) -> int:
        total = self.lessons_total + self.quizzes_total
        done = self.lessons_done + self.quizzes_passed
        return round(100 * done / total) if total else 0

    @property
    def complete(self) -> bool:
        return self.lessons_done == self.lessons_total and self.quizzes_passed == self.quizzes_total


def required_quiz_ids(course: Course) -> set[int]:
    """The module quizzes and the final quiz: each must be passed to complete the course."""
    ids = {module.quiz_id for module in course.modules.all() if module.quiz_id}
    if course.final_quiz_id:
        ids.add(course.final_quiz_id)
    return ids


def course_progress(*, user, course: Course) -> Progress:
    lessons = Lesson.objects.filter(module__course=course)
    quizzes = required_quiz_ids(course)
    # A quiz passed in another course that uses it is passed here too: it is taken once.
    passed = set(
        QuizAttempt.objects.filter(user=user, quiz_id__in=quizzes, passed=True).values_list("quiz_id", flat=True)
    )
    return Progress(
        lessons_done=LessonCompletion.objects.filter(user=user, lesson__in=lessons).count(),
        lessons_total=lessons.count(),
        quizzes_passed=len(passed),
        quizzes_total=len(quizzes),
    )


def enrollment_refresh_completion(*, enrollment: Enrollment, now=None) -> bool:
    """Set ``completed_at`` when every lesson is done and every required quiz passed. Completion is never undone."""
    if enrollment.completed_at:
        return True
    if not course_progress(user=enrollment.user, course=enrollment.course).complete:
        return False
    enrollment.completed_at = now or timezone.now()
    enrollment.save(update_fields=["completed_at"])
    course_completed.send(sender=Course, user=enrollment.user, course=enrollment.course, at=enrollment.completed_at)
    return True


# --- quiz attempts -------------------------------------------------------------------------------------


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


def quiz_attempt_start(*, user, quiz: Quiz, course: Course, now=None, rng: random.Random | None = None):
    """Start an attempt (or answer the one in progress): ``(attempt, created)``.

    Refused when the learner is not enrolled in ``course``, has passed the quiz already, or
    has no attempts left. Attempts count per learner and quiz, in whichever course they were
    taken: a quiz several courses use has one attempt limit and is passed once (the pass counts
    in each), so enrolling in more courses never buys more attempts, nor a second try at answers
    a finished attempt revealed. The attempt in progress is answered wherever it was started.
    Two starts at the same moment become one attempt.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    _enrollment_for(user=user, course=course)
    if quiz.late_submission == Quiz.LateSubmission.REFUSE:
        _time_out_stale(user=user, quiz=quiz, now=now)
    attempts = QuizAttempt.objects.filter(user=user, quiz=quiz)

    def in_progress():
        return attempts.filter(status=QuizAttempt.Status.IN_PROGRESS).order_by("-number").first()

    if current := in_progress():
        return current, False
    if attempts.filter(passed=True).exists():
        raise CourseError(f"You passed “{quiz}” already.")
    used = attempts.count()
    if quiz.attempt_limit and used >= quiz.attempt_limit:
        if current := in_progress():  # started by a parallel request since we looked
            return current, False
        raise CourseError(f"No attempts left at “{quiz}”: {used} of {quiz.attempt_limit} used.")
    attempt = QuizAttempt(
        quiz=quiz,
        course=course,
        user=user,
        number=used + 1,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        questions=_draw(quiz, rng),
    )
    attempt.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # a parallel start took this number: that attempt is the one
        current = attempts.filter(number=used + 1).first()
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


def answers_revealed(attempt: QuizAttempt) -> bool:
    """Whether the learner may now see the correct answers of this attempt.

    Never while the bank also feeds a quiz that never shows answers (a bank shared so before
    the admin and the importer refused it): they would be that quiz's answers too.
    """
    from .selectors import answer_policy_conflicts

    quiz = attempt.quiz
    if attempt.status == QuizAttempt.Status.IN_PROGRESS or not quiz.reveals_answers:
        return False
    last_allowed = bool(quiz.attempt_limit) and attempt.number >= quiz.attempt_limit
    if not (attempt.passed or last_allowed):
        return False
    return not answer_policy_conflicts(bank=quiz.bank_id, reveals=True, exclude_pk=quiz.pk)


# --- assignments --------------------------------------------------------------------------------------


def _viewers_in_scope(assignment) -> list:
    """The partner users an assignment targets, as ``Viewer``s."""
    from partners.models import PartnerMembership
    from partners.selectors import viewers_of

    memberships = PartnerMembership.objects.all()
    if assignment.partner_id:
        memberships = memberships.filter(partner_id=assignment.partner_id)
    elif assignment.partner_type_id:
        memberships = memberships.filter(partner__partner_type_id=assignment.partner_type_id)
    else:
        memberships = memberships.filter(partner__tier_id=assignment.tier_id)
    return viewers_of(memberships=memberships)


def course_assignment_apply(*, assignment, now=None) -> int:
    """Enrol every partner user the assignment targets who may see the course; answers how many were new.

    Users enrolled already keep their enrolment and progress; it gains the assignment
    and its due date. Users the course's audience leaves out are not enrolled (an
    assignment never widens who may see a course). Idempotent: run again nightly for
    users who joined since.
    """
    from partners.audience import audience_allows

    now = now or timezone.now()
    course = assignment.course
    audience = course.get_audience()
    user_ids = {viewer.user_id for viewer in _viewers_in_scope(assignment) if audience_allows(audience, viewer)}
    existing = Enrollment.objects.filter(course=course, user_id__in=user_ids)
    existing.filter(assignment__isnull=True).update(assignment=assignment, due_date=assignment.due_date)
    new = user_ids - set(existing.values_list("user_id", flat=True))
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user_id=user_id,
                course=course,
                source=Enrollment.Source.ASSIGNED,
                assignment=assignment,
                due_date=assignment.due_date,
                enrolled_at=now,
                last_activity_at=now,
            )
            for user_id in sorted(new)
        ],
        ignore_conflicts=True,  # enrolled by themselves a moment ago
    )
    return len(new)


def course_assignments_apply_all(*, now=None) -> int:
    """Apply every assignment of a live course again (users who joined a partner since): new enrolments."""
    from .models import CourseAssignment

    live = Course.objects.live_for_partners()
    return sum(
        course_assignment_apply(assignment=assignment, now=now)
        for assignment in CourseAssignment.objects.filter(course__in=live).select_related("course")
    )


# --- due-date reminders ----------------------------------------------------------------------------


def due_reminders_send(*, now=None) -> int:
    """E-mail learners whose assigned course is due soon and not completed, once per lead time.

    Lead times come from ``COURSE_DUE_REMINDER_DAYS`` (e.g. 7 and 1 days before); a
    learner who was reminded 7 days before is reminded again at 1 day, never twice
    for the same one. Only courses they may still see, to active learners with an e-mail, not past their last day.
    """
    from django.conf import settings
    from django.core.mail import send_mail

    from cms.services import reminder_lead_time

    now = now or timezone.now()
    today = timezone.localdate(now)
    lead_times = settings.COURSE_DUE_REMINDER_DAYS
    if not lead_times:
        return 0
    horizon = today + timedelta(days=max(lead_times))
    due = (
        Enrollment.objects.filter(
            completed_at__isnull=True,
            due_date__isnull=False,
            due_date__gte=today,
            due_date__lte=horizon,
            user__is_active=True,
            course__in=Course.objects.live_for_partners(now=now),
        )
        .exclude(user__email="")
        .exclude(past_last_day(today, prefix="user__partner_membership__"))
        .select_related("user", "course")
    )
    sent = 0
    for enrollment in due:
        lead = reminder_lead_time((enrollment.due_date - today).days, lead_times)
        if lead is None or (enrollment.reminded_days is not None and enrollment.reminded_days <= lead):
            continue
        progress = course_progress(user=enrollment.user, course=enrollment.course)
        send_mail(
            subject=f"“{enrollment.course.title}” is due on {enrollment.due_date:%B %-d}",
            message=(
                f"Hello {enrollment.user.get_full_name() or enrollment.user.get_username()},\n\n"
                f"Your course “{enrollment.course.title}” is due on {enrollment.due_date:%A %B %-d, %Y}. "
                f"You are {progress.percent}% through it "
                f"({progress.lessons_done} of {progress.lessons_total} lessons, "
                f"{progress.quizzes_passed} of {progress.quizzes_total} quizzes passed).\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[enrollment.user.email],
        )
        Enrollment.objects.filter(pk=enrollment.pk).update(reminded_days=lead)
        sent += 1
    return sent
