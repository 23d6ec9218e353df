"""Reads of stand-alone exams: a certification's exam taken on its own, its rules and a learner's state, and the
admin's exam report.

An exam is visible exactly when its certification is (the audience rule; 404 otherwise) and
the certification takes it on its own (``exam_standalone``). Its rules are its quiz's: pass
mark, attempt limit, time limit and late rule. Attempts count per learner and quiz (in any
course that uses the quiz as well), as everywhere in courses.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, FloatField, Max, Prefetch, Q
from django.db.models.functions import Cast
from django.utils import timezone

from courses.models import Course, Enrollment, Quiz, QuizAttempt
from courses.services.attempts import SUBMIT_GRACE

from .models import Certificate, Certification


def exam_for_partner(*, user, certification_id: int) -> Certification | None:
    """The certification (visible to ``user``) whose exam is taken on its own, with its quiz and its exam
    prerequisites in order; ``None`` when ``user`` may not see it or it has no stand-alone exam."""
    return (
        Certification.objects.visible_to(user)
        .filter(pk=certification_id, exam_standalone=True, exam__isnull=False)
        .select_related("exam")
        .prefetch_related(Prefetch("exam_prerequisites", queryset=Course.objects.order_by("title", "pk")))
        .first()
    )


def exam_attempt_of(*, user, certification: Certification, attempt_id: int) -> QuizAttempt | None:
    """``user``'s own attempt at ``certification``'s exam quiz (wherever it was started); ``None`` otherwise."""
    return (
        QuizAttempt.objects.filter(pk=attempt_id, user=user, quiz_id=certification.exam_id)
        .select_related("quiz")
        .first()
    )


def time_is_up(attempt: QuizAttempt, now) -> bool:
    """Past the deadline and its grace: answers sent now are refused (or graded late, as the quiz says)."""
    return bool(attempt.deadline and now > attempt.deadline + SUBMIT_GRACE)


@dataclass
class ExamState:
    """A learner before a stand-alone exam: its rules, the prerequisites done or not, the attempts used."""

    certification: Certification
    quiz: Quiz
    question_count: int
    prerequisites: list[dict]  # those the learner may see: {"id", "title", "done"}, by title
    hidden_missing: int  # prerequisites the learner may not see and has not completed (counted, never named)
    attempts: list[QuizAttempt]  # by number
    current: QuizAttempt | None  # in progress, and answers would still be taken
    certificate: Certificate | None  # the learner's current certificate of it, if any
    now: object = field(default_factory=timezone.now)

    @property
    def missing(self) -> list[dict]:
        return [p for p in self.prerequisites if not p["done"]]

    @property
    def eligible(self) -> bool:
        return not self.missing and not self.hidden_missing

    @property
    def used(self) -> int:
        # An attempt whose time ran out is timed out by the next start (the service): it counts as used here.
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        return None if self.quiz.attempt_limit is None else max(0, self.quiz.attempt_limit - self.used)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def best(self) -> Decimal | None:
        return max((a.score for a in self.attempts if a.score is not None), default=None)

    @property
    def can_start(self) -> bool:
        return self.eligible and self.current is None and not self.passed and self.attempts_left != 0

    @property
    def next_number(self) -> int:
        return self.used + 1


def exam_state(*, user, certification: Certification, now=None) -> ExamState:
    """``user`` before ``certification``'s stand-alone exam (from ``exam_for_partner``), in five queries."""
    now = now or timezone.now()
    quiz = certification.exam
    prerequisites = list(certification.exam_prerequisites.all())
    ids = [course.pk for course in prerequisites]
    completed = set(
        Enrollment.objects.filter(user=user, course_id__in=ids, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    visible = set(Course.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    refused_late = quiz.late_submission == Quiz.LateSubmission.REFUSE
    current = next(
        (
            a
            for a in attempts
            if a.status == QuizAttempt.Status.IN_PROGRESS and not (refused_late and time_is_up(a, now))
        ),
        None,
    )
    bank_size = quiz.bank.questions.count()
    return ExamState(
        certification=certification,
        quiz=quiz,
        question_count=min(quiz.questions_per_attempt or bank_size, bank_size),
        prerequisites=[
            {"id": c.pk, "title": c.title, "done": c.pk in completed} for c in prerequisites if c.pk in visible
        ],
        hidden_missing=sum(1 for c in prerequisites if c.pk not in visible and c.pk not in completed),
        attempts=attempts,
        current=current,
        certificate=Certificate.objects.filter(
            user=user, certification=certification, superseded_at__isnull=True
        ).first(),
        now=now,
    )


# --- the admin's exam report (``certifications.admin.exam_reports``) ----------------------------------------

_PARTNER = "user__partner_membership__partner"


def exam_attempt_rows(queryset=None):
    """Finished attempts (graded or timed out; of ``queryset``, all by default) at the exam of a certification, one
    row per attempt and certification whose exam its quiz is (a quiz two certifications use counts for both), with
    ``certification_id``, ``certification_title``, ``partner_id`` and ``partner_name`` (the learner's partner now;
    ``None`` for staff). Filter these rows by those names: the certification is one join, shared."""
    queryset = QuizAttempt.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status__in=[QuizAttempt.Status.GRADED, QuizAttempt.Status.TIMED_OUT])
        .filter(quiz__certification_exams__isnull=False)
        .annotate(
            certification_id=F("quiz__certification_exams__pk"),
            certification_title=F("quiz__certification_exams__title"),
            partner_id=F(f"{_PARTNER}_id"),
            partner_name=F(f"{_PARTNER}__name"),
        )
        .select_related("user", "quiz", "course")
    )


def exam_stats(queryset, *, by_partner: bool):
    """Exam attempts (``exam_attempt_rows``) grouped by certification, and partner when ``by_partner``, in one
    query: ``attempts``, ``learners``, ``attempts_passed``, ``learners_passed``, ``pass_rate``
    (``attempts_passed / attempts``), ``average_score`` and ``standalone`` (attempts taken on their own)."""
    fields = ["certification_id", "certification_title"]
    if by_partner:
        fields += ["partner_id", "partner_name"]
    return (
        queryset.order_by()
        .values(*fields)
        .annotate(
            attempts=Count("pk"),
            learners=Count("user_id", distinct=True),
            attempts_passed=Count("pk", filter=Q(passed=True)),
            learners_passed=Count("user_id", filter=Q(passed=True), distinct=True),
            standalone=Count("pk", filter=Q(course__isnull=True)),
            average_score=Avg("score"),
            last_attempt=Max("submitted_at"),
        )
        .annotate(pass_rate=Cast(F("attempts_passed"), FloatField()) / F("attempts"))
    )
