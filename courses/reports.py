"""Reads of the admin's learning reports: enrolments and rounds grouped, question statistics.

Every function takes a queryset the report has filtered (and permission-checked) and answers rows
in one query whatever the number of rows (correlated subqueries on indexed columns).
"""

from collections import defaultdict

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.db.models.lookups import Exact

from .models import CourseModule, Lesson, LessonCompletion, QuizAttempt

# The membership of the enrolled user, from an enrolment: partner users belong to exactly one partner.
_PARTNER = "user__partner_membership__partner"

#: What the enrolment report can group by: the report's ``group_by`` choices, and the columns of each.
ENROLLMENT_GROUPINGS = {
    "course_partner": ("course", "partner"),
    "course": ("course",),
    "course_round": ("course", "round"),
    "partner": ("partner",),
    "tier": ("tier",),
}
_GROUP_FIELDS = {
    # (plain fields, named expressions) selected and grouped by, for each part of a grouping.
    "course": (("course_id",), {"course_title": F("course__title")}),
    "round": (("round",), {}),
    "partner": (
        (),
        {
            "partner_id": F(f"{_PARTNER}_id"),
            "partner_name": F(f"{_PARTNER}__name"),
            "partner_type_name": F(f"{_PARTNER}__partner_type__name"),
            "tier_id": F(f"{_PARTNER}__tier_id"),
            "tier_name": F(f"{_PARTNER}__tier__name"),
            "tier_rank": F(f"{_PARTNER}__tier__rank"),
        },
    ),
    "tier": (
        (),
        {
            "tier_id": F(f"{_PARTNER}__tier_id"),
            "tier_name": F(f"{_PARTNER}__tier__name"),
            "tier_rank": F(f"{_PARTNER}__tier__rank"),
        },
    ),
}


def _count(queryset, field="pk", *, distinct=False):
    """The number of rows of ``queryset`` (distinct values of ``field``), as a correlated subquery."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(n=Func(F(field), template=template, output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))


def enrollment_progress():
    """An enrolment's progress, 0 to 1, as an expression over the enrolments of the outer query.

    The learner's ``Progress`` (``courses.services``) computed in the database: lessons done and
    required quizzes (module quizzes and the final quiz) passed, over the course's lessons and
    required quizzes; 0 for a course with neither. A completed enrolment counts as 1: completion
    is never undone, even when lessons are added to the course later. Per round: the lessons done in
    this round, and the quizzes passed in attempts started during it (round 1: any attempt).

    Five small correlated subqueries per enrolment, each on an index (the enrolment, or its user and
    course): cheap enough to average over every enrolment a report counts, in the same query.
    """
    course, user = OuterRef("course_id"), OuterRef("user_id")
    module_quizzes = CourseModule.objects.filter(course_id=course, quiz__isnull=False)
    lessons_total = _count(Lesson.objects.filter(module__course_id=course))
    lessons_done = _count(
        LessonCompletion.objects.filter(enrollment_id=OuterRef("pk"), lesson__module__course_id=course)
    )
    final_quiz_apart = Q(course__final_quiz__isnull=False) & ~Exists(
        module_quizzes.filter(quiz_id=OuterRef("course__final_quiz_id"))
    )
    quizzes_total = _count(module_quizzes, "quiz_id", distinct=True) + Case(
        When(final_quiz_apart, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    # A required quiz passed in any course counts (a quiz several courses use is taken once); in a retake,
    # only when the attempt started during the round.
    in_round = Q(started_at__gte=OuterRef("enrolled_at")) | Exact(OuterRef("round"), 1)
    required_passed = QuizAttempt.objects.filter(in_round, user_id=user, passed=True).filter(
        Q(quiz_id=OuterRef("course__final_quiz_id"))
        | Q(
            quiz_id__in=CourseModule.objects.filter(
                course_id=OuterRef(OuterRef("course_id")), quiz__isnull=False
            ).values("quiz_id")
        )
    )
    quizzes_passed = _count(required_passed, "quiz_id", distinct=True)
    done = Cast(lessons_done + quizzes_passed, FloatField())
    total = NullIf(Cast(lessons_total + quizzes_total, FloatField()), Value(0.0))
    return Case(
        When(completed_at__isnull=False, then=Value(1.0)),
        default=Coalesce(done / total, Value(0.0)),
        output_field=FloatField(),
    )


def enrollment_stats(queryset, *, group_by: str, today):
    """Enrolments grouped for the admin report, one row per group of ``ENROLLMENT_GROUPINGS[group_by]``.

    Each enrolment is one round of a learner in a course (``Enrollment.round``): the report picks the
    rounds (each learner's current one, every one, first rounds or retakes) and filters them
    (course, partner tier and type, enrolment dates), then groups them here, in one query: the
    group's fields (``course_id``, ``course_title``; ``round``;
    ``partner_id``, ``partner_name``, ``partner_type_name``; ``tier_id``, ``tier_name``,
    ``tier_rank``; all ``None`` for users of no partner), ``enrolled``, ``completed``, ``retakes``
    (rounds after the first), ``overdue`` (due before ``today`` and not completed), ``completion_rate``
    (``completed / enrolled``) and ``average_progress`` (``enrollment_progress``), both 0 to 1.
    Ordered by the group's fields.
    """
    fields, expressions = [], {}
    for part in ENROLLMENT_GROUPINGS[group_by]:
        part_fields, part_expressions = _GROUP_FIELDS[part]
        fields.extend(part_fields)
        expressions.update(part_expressions)
    ordering = [
        F(name).asc(nulls_last=True)
        for name in ("course_title", "course_id", "round", "partner_name", "partner_id", "tier_rank", "tier_id")
        if name in fields or name in expressions
    ]
    return (
        queryset.order_by()  # an ordering would join the grouping
        .values(*fields, **expressions)
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            retakes=Count("pk", filter=Q(round__gt=1)),
            overdue=Count("pk", filter=Q(completed_at__isnull=True, due_date__lt=today)),
            average_progress=Avg(enrollment_progress()),
        )
        .annotate(completion_rate=Cast(F("completed"), FloatField()) / F("enrolled"))
        .order_by(*ordering)
    )


def question_stats(queryset):
    """Graded answers (``QuestionResult``) grouped by question for the admin report, most failed first.

    One row per question: ``question_id``, ``text`` (the question's current text; for a
    question deleted since, the text answered, one row per text), ``bank_id`` and
    ``bank_name`` (``None`` once deleted), ``answered``, ``failed`` (answers with no credit at
    all), ``failed_rate`` (``failed / answered``) and ``average_credit``, both 0 to 1.
    """
    return (
        queryset.order_by()
        .values(
            "question_id",
            text=Coalesce(F("question__text"), F("question_text")),
            bank_id=F("question__bank_id"),
            bank_name=F("question__bank__name"),
        )
        .annotate(
            answered=Count("pk"),
            failed=Count("pk", filter=Q(credit=0)),
            average_credit=Avg(Cast("credit", FloatField())),
        )
        .annotate(failed_rate=Cast(F("failed"), FloatField()) / F("answered"))
        .order_by("-failed_rate", "-answered", "text", F("question_id").asc(nulls_last=True))
    )


def question_key(row) -> tuple:
    """What tells the questions of ``question_stats`` apart: the question, or the text of a deleted one."""
    return (row["question_id"], None) if row["question_id"] is not None else (None, row["text"])


def quizzes_by_question(queryset, rows=None) -> dict[tuple, list[str]]:
    """The titles of the quizzes in which the answers of ``queryset`` were given, by ``question_key``.

    Only for the questions of ``rows`` (rows of ``question_stats``) when given: one query.
    """
    if rows is not None:
        rows = list(rows)
        if not rows:
            return {}
        ids = [row["question_id"] for row in rows if row["question_id"] is not None]
        texts = [row["text"] for row in rows if row["question_id"] is None]
        queryset = queryset.filter(Q(question_id__in=ids) | Q(question__isnull=True, question_text__in=texts))
    deleted_text = Case(
        When(question__isnull=True, then=F("question_text")), default=Value(""), output_field=TextField()
    )
    pairs = (
        queryset.order_by()
        .annotate(deleted_text=deleted_text)
        .values_list("question_id", "deleted_text", "attempt__quiz_id", "attempt__quiz__title")
        .distinct()
    )
    titles = defaultdict(set)
    for question_id, text, _quiz_id, title in pairs:
        titles[(question_id, None) if question_id is not None else (None, text)].add(title)
    return {key: sorted(names, key=str.lower) for key, names in titles.items()}
