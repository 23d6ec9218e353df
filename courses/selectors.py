"""Reads of courses for partners: every one goes through the audience rule of the course.

Lessons and quizzes have no audience of their own: they are visible exactly when a
course that contains them is. Progress is loaded for a whole list at once, in a fixed
number of queries whatever the number of courses, modules or lessons.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from .library import courses_using_assets
from .models import Course, CourseModule, Enrollment, Lesson, LessonCompletion, QuestionBank, Quiz, QuizAttempt


def courses_for_partner(*, user):
    return Course.objects.visible_to(user).select_related("cover_image").order_by("title", "pk")


def courses_using_asset_for_partner(*, user, asset_id: int) -> list[Course]:
    """The courses ``user`` may see whose lessons show the library asset, by title."""
    used = courses_using_assets(asset_ids=[asset_id])
    visible = Course.objects.visible_to(user).filter(pk__in=list(used)).order_by("title", "pk")
    return list(visible.only("pk", "title", "summary", "level", "estimated_minutes"))


def course_for_partner(*, user, course_id: int) -> Course | None:
    """The course with its modules, lessons (ordered) and quizzes, and the prerequisites ``user`` may see."""
    lessons = Lesson.objects.order_by("sort_order", "pk").only("pk", "title", "estimated_minutes", "module_id")
    modules = (
        CourseModule.objects.order_by("sort_order", "pk")
        .select_related("quiz")
        .prefetch_related(Prefetch("lessons", queryset=lessons))
    )
    return (
        courses_for_partner(user=user)
        .select_related("final_quiz")
        .prefetch_related(
            Prefetch("modules", queryset=modules),
            Prefetch(
                "prerequisites",
                queryset=Course.objects.visible_to(user).order_by("title"),
                to_attr="visible_prerequisites",
            ),
        )
        .annotate(prerequisites_total=Count("prerequisites", distinct=True))
        .filter(pk=course_id)
        .first()
    )


@dataclass
class LearnerState:
    """What one learner has done in a set of courses."""

    enrollments: dict  # course id -> Enrollment
    progress: dict  # course id -> Progress
    completed_lessons: set  # lesson ids
    attempts: dict  # quiz id -> {"used", "passed", "best"}, over every course (a quiz is taken once)
    completed_courses: set  # course ids


def learner_state(*, user, courses) -> LearnerState:
    """Enrolments, progress, completed lessons and quiz results of ``user`` in ``courses`` (five queries)."""
    courses = list(courses)
    ids = [course.pk for course in courses]
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course_id__in=ids)}
    lessons_total = dict(
        Lesson.objects.filter(module__course_id__in=ids).values_list("module__course_id").annotate(n=Count("pk"))
    )
    completed, done_per_course = set(), defaultdict(int)
    for lesson_id, course_id in LessonCompletion.objects.filter(
        user=user, lesson__module__course_id__in=ids
    ).values_list("lesson_id", "lesson__module__course_id"):
        completed.add(lesson_id)
        done_per_course[course_id] += 1
    quizzes = defaultdict(set)
    for course_id, quiz_id in CourseModule.objects.filter(course_id__in=ids, quiz__isnull=False).values_list(
        "course_id", "quiz_id"
    ):
        quizzes[course_id].add(quiz_id)
    for course in courses:
        if course.final_quiz_id:
            quizzes[course.pk].add(course.final_quiz_id)
    # Attempts at a quiz count wherever they were taken: one limit, and a pass counts in every course using it.
    rows = (
        QuizAttempt.objects.filter(user=user, quiz_id__in={q for ids_ in quizzes.values() for q in ids_})
        .values_list("quiz_id")
        .annotate(
            used=Count("pk"),
            passed=Count("pk", filter=Q(passed=True)),
            best=Max("score"),
        )
        .order_by()
    )
    attempts = {quiz_id: {"used": used, "passed": bool(passed), "best": best} for quiz_id, used, passed, best in rows}
    passed_quizzes = {quiz_id for quiz_id, row in attempts.items() if row["passed"]}
    progress = {
        course.pk: Progress(
            lessons_done=done_per_course.get(course.pk, 0),
            lessons_total=lessons_total.get(course.pk, 0),
            quizzes_passed=len(passed_quizzes & quizzes[course.pk]),
            quizzes_total=len(quizzes[course.pk]),
        )
        for course in courses
    }
    completed_courses = set(
        Enrollment.objects.filter(user=user, completed_at__isnull=False).values_list("course_id", flat=True)
    )
    return LearnerState(enrollments, progress, completed, attempts, completed_courses)


def enrollments_for_partner(*, user):
    """``user``'s enrolments in courses they may still see, most recent activity first."""
    return (
        Enrollment.objects.filter(user=user, course__in=Course.objects.visible_to(user))
        .select_related("course", "course__cover_image")
        .order_by("completed_at", "-last_activity_at", "-pk")
    )


def lesson_for_partner(*, user, lesson_id: int) -> Lesson | None:
    """The lesson, if a course ``user`` may see contains it."""
    return (
        Lesson.objects.filter(pk=lesson_id, module__course__in=Course.objects.visible_to(user))
        .select_related("module", "module__course")
        .first()
    )


def quiz_for_partner(*, user, quiz_id: int) -> tuple[Quiz, list[Course]] | None:
    """The quiz and the courses ``user`` may see that use it, or ``None`` when there are none."""
    courses = list(
        Course.objects.visible_to(user).filter(Q(final_quiz_id=quiz_id) | Q(modules__quiz_id=quiz_id)).distinct()
    )
    if not courses:
        return None
    return Quiz.objects.get(pk=quiz_id), courses


def answer_policy_conflicts(*, bank, reveals: bool, exclude_pk=None) -> list[str]:
    """Titles of the quizzes drawing from ``bank`` whose answers policy is the opposite of ``reveals``.

    A bank feeds quizzes that never show answers or quizzes that do, never both: answers shown by
    one would be those of the others (the questions, choices and correct answers are the bank's).
    """
    quizzes = Quiz.objects.filter(bank=bank).exclude(pk=exclude_pk)
    if reveals:
        quizzes = quizzes.filter(answers_shown=Quiz.AnswersShown.NEVER)
    else:
        quizzes = quizzes.exclude(answers_shown=Quiz.AnswersShown.NEVER)
    return list(quizzes.order_by("title").values_list("title", flat=True))


def banks_with_answer_policy_conflicts(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names of the banks feeding both a quiz that never shows answers and one that does (before the refusal)."""
    quizzes = Quiz.objects.using(using)
    never = quizzes.filter(answers_shown=Quiz.AnswersShown.NEVER).values("bank_id")
    revealing = quizzes.exclude(answers_shown=Quiz.AnswersShown.NEVER).values("bank_id")
    banks = QuestionBank.objects.using(using).filter(pk__in=never).filter(pk__in=revealing)
    return list(banks.order_by("name").values_list("name", flat=True))


def quizzes_for_partner(*, user):
    """The quizzes ``user`` may see: those of a course they may see (a module quiz or the final quiz)."""
    visible = Course.objects.visible_to(user)
    return Quiz.objects.filter(
        Q(pk__in=visible.filter(final_quiz__isnull=False).values("final_quiz_id"))
        | Q(pk__in=CourseModule.objects.filter(course__in=visible, quiz__isnull=False).values("quiz_id"))
    )


def attempt_for_partner(*, user, attempt_id: int) -> QuizAttempt | None:
    """``user``'s own attempt, while its quiz is visible to them (in whichever of its courses it was taken)."""
    return (
        QuizAttempt.objects.filter(pk=attempt_id, user=user, quiz__in=quizzes_for_partner(user=user))
        .select_related("quiz")
        .first()
    )


# --- admin reports (``courses.reports``) ---------------------------------------------------------


# The membership of the enrolled user, from an enrolment: partner users belong to exactly one partner.
_PARTNER = "user__partner_membership__partner"

#: What the enrolment report can group by: the report's ``group_by`` choices, and the columns of each.
ENROLLMENT_GROUPINGS = {
    "course_partner": ("course", "partner"),
    "course": ("course",),
    "partner": ("partner",),
    "tier": ("tier",),
}
_GROUP_FIELDS = {
    # (plain fields, named expressions) selected and grouped by, for each part of a grouping.
    "course": (("course_id",), {"course_title": F("course__title")}),
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
    is never undone, even when lessons are added to the course later.

    Five small correlated subqueries per enrolment, each on an index (the enrolment's user and
    course): cheap enough to average over every enrolment a report counts, in the same query.
    """
    course, user = OuterRef("course_id"), OuterRef("user_id")
    module_quizzes = CourseModule.objects.filter(course_id=course, quiz__isnull=False)
    lessons_total = _count(Lesson.objects.filter(module__course_id=course))
    lessons_done = _count(LessonCompletion.objects.filter(user_id=user, lesson__module__course_id=course))
    final_quiz_apart = Q(course__final_quiz__isnull=False) & ~Exists(
        module_quizzes.filter(quiz_id=OuterRef("course__final_quiz_id"))
    )
    quizzes_total = _count(module_quizzes, "quiz_id", distinct=True) + Case(
        When(final_quiz_apart, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    # A required quiz passed in any course counts (a quiz several courses use is taken once).
    required_passed = QuizAttempt.objects.filter(user_id=user, passed=True).filter(
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

    The report filters the enrolments first (course, partner tier and type, enrolment dates),
    then groups them here, in one query: the group's fields (``course_id``, ``course_title``;
    ``partner_id``, ``partner_name``, ``partner_type_name``; ``tier_id``, ``tier_name``,
    ``tier_rank``; all ``None`` for users of no partner), ``enrolled``, ``completed``,
    ``overdue`` (due before ``today`` and not completed), ``completion_rate``
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
        for name in ("course_title", "course_id", "partner_name", "partner_id", "tier_rank", "tier_id")
        if name in fields or name in expressions
    ]
    return (
        queryset.order_by()  # an ordering would join the grouping
        .values(*fields, **expressions)
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
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


def answers_revealed(attempt: QuizAttempt) -> bool:
    """Whether the learner may now see the correct answers of this attempt.

    Never while the bank also feeds a quiz that never shows answers (a bank shared so before
    the admin and the importer refused it): they would be that quiz's answers too. Never for a
    stand-alone exam attempt (no course): proctoring-light shows the score and pass or fail only.
    """
    quiz = attempt.quiz
    if attempt.course_id is None:  # a certification's exam taken on its own: score and pass/fail only, ever
        return False
    if attempt.status == QuizAttempt.Status.IN_PROGRESS or not quiz.reveals_answers:
        return False
    last_allowed = bool(quiz.attempt_limit) and attempt.number >= quiz.attempt_limit
    if not (attempt.passed or last_allowed):
        return False
    return not answer_policy_conflicts(bank=quiz.bank_id, reveals=True, exclude_pk=quiz.pk)
