"""Reads of courses for partners: every one goes through the audience rule of the course.

Lessons and quizzes have no audience of their own: they are visible exactly when a
course that contains them is. Progress is loaded for a whole list at once, in a fixed
number of queries whatever the number of courses, modules or lessons.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Prefetch, Q

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


#: A quiz's results for a learner who has not attempted it (in the round that counts).
NO_ATTEMPTS = {"used": 0, "passed": False, "best": None}


@dataclass
class LearnerState:
    """What one learner has done in a set of courses, in each course's current round."""

    enrollments: dict  # course id -> the current round (Enrollment)
    progress: dict  # course id -> Progress, in the current round
    completed_lessons: set  # lesson ids done in the current rounds
    attempts: dict  # (course id, quiz id) -> {"used", "passed", "best"}, counted as the current round counts them
    completed_courses: set  # course ids completed in any round (what prerequisites ask)
    rounds: dict = field(default_factory=dict)  # course id -> every round (Enrollment), the first first

    def quiz(self, course_id: int, quiz_id: int) -> dict:
        """``quiz_id``'s results as ``course_id``'s current round counts them."""
        return self.attempts.get((course_id, quiz_id), NO_ATTEMPTS)

    def rounds_completed(self, course_id: int) -> int:
        return sum(1 for enrollment in self.rounds.get(course_id, ()) if enrollment.completed_at)


def attempts_in_round(rows, since) -> dict:
    """``used``, ``passed`` and ``best`` of attempt rows ``(started_at, passed, score)`` started at or after
    ``since`` (every row when ``None``: round 1)."""
    rows = [row for row in rows if since is None or row[0] >= since]
    scores = [score for _started, _passed, score in rows if score is not None]
    return {"used": len(rows), "passed": any(passed for _s, passed, _sc in rows), "best": max(scores, default=None)}


def learner_state(*, user, courses) -> LearnerState:
    """Rounds, progress, lessons done and quiz results of ``user`` in ``courses`` (six queries).

    Progress is the current round's: a retake starts with no lesson done, and counts only the quiz
    attempts started during it (round 1 counts every attempt at the quiz, wherever taken).
    """
    courses = list(courses)
    ids = [course.pk for course in courses]
    rounds = defaultdict(list)
    for enrollment in Enrollment.objects.filter(user=user, course_id__in=ids).order_by("round"):
        rounds[enrollment.course_id].append(enrollment)
    enrollments = {course_id: every[-1] for course_id, every in rounds.items()}
    lessons_total = dict(
        Lesson.objects.filter(module__course_id__in=ids).values_list("module__course_id").annotate(n=Count("pk"))
    )
    completed, done_per_course = set(), defaultdict(int)
    for lesson_id, course_id in LessonCompletion.objects.filter(
        enrollment__in=[e.pk for e in enrollments.values()], lesson__module__course_id__in=ids
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
    # Attempts at a quiz count wherever they were taken (one limit, a pass counts in every course using it),
    # from the start of the course's current round when it is a retake.
    rows = defaultdict(list)
    for quiz_id, started_at, passed, score in QuizAttempt.objects.filter(
        user=user, quiz_id__in={q for ids_ in quizzes.values() for q in ids_}
    ).values_list("quiz_id", "started_at", "passed", "score"):
        rows[quiz_id].append((started_at, passed, score))
    attempts = {}
    for course in courses:
        enrollment = enrollments.get(course.pk)
        since = enrollment.attempts_since if enrollment else None
        for quiz_id in quizzes[course.pk]:
            if quiz_id in rows:
                attempts[(course.pk, quiz_id)] = attempts_in_round(rows[quiz_id], since)
    progress = {
        course.pk: Progress(
            lessons_done=done_per_course.get(course.pk, 0),
            lessons_total=lessons_total.get(course.pk, 0),
            quizzes_passed=sum(attempts.get((course.pk, q), NO_ATTEMPTS)["passed"] for q in quizzes[course.pk]),
            quizzes_total=len(quizzes[course.pk]),
        )
        for course in courses
    }
    completed_courses = set(Enrollment.objects.filter(user=user).completed().values_list("course_id", flat=True))
    return LearnerState(enrollments, progress, completed, attempts, completed_courses, dict(rounds))


def enrollments_for_partner(*, user):
    """``user``'s current rounds of courses they may still see, most recent activity first."""
    return (
        Enrollment.objects.current()
        .filter(user=user, course__in=Course.objects.visible_to(user))
        .select_related("course", "course__cover_image")
        .order_by("completed_at", "-last_activity_at", "-pk")
    )


def rounds_for_partner(*, user, course_id: int) -> list[Enrollment]:
    """Every round of ``user`` in the course, the first first, while they may see it (else none)."""
    return list(
        Enrollment.objects.filter(user=user, course_id=course_id, course__in=Course.objects.visible_to(user)).order_by(
            "round"
        )
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


def course_progress(*, user, course: Course, enrollment: Enrollment | None = None) -> Progress:
    """``user``'s progress in ``enrollment`` (a round of ``course``; by default the current one)."""
    if enrollment is None:
        enrollment = Enrollment.objects.current().filter(user=user, course=course).first()
    lessons = Lesson.objects.filter(module__course=course)
    quizzes = required_quiz_ids(course)
    # A quiz passed in another course that uses it is passed here too (it is taken once), from the start
    # of the round when it is a retake.
    passes = QuizAttempt.objects.filter(user=user, quiz_id__in=quizzes, passed=True)
    if enrollment is not None and enrollment.attempts_since:
        passes = passes.filter(started_at__gte=enrollment.attempts_since)
    done = LessonCompletion.objects.filter(enrollment=enrollment, lesson__in=lessons).count() if enrollment else 0
    return Progress(
        lessons_done=done,
        lessons_total=lessons.count(),
        quizzes_passed=len(set(passes.values_list("quiz_id", flat=True))),
        quizzes_total=len(quizzes),
    )


def round_attempts(*, user, quiz, course_id: int):
    """``user``'s attempts at ``quiz`` that count in their current round of the course: every one in round 1
    (wherever taken), those started during the round in a retake (``courses.services.rounds``)."""
    attempts = QuizAttempt.objects.filter(user=user, quiz=quiz)
    enrollment = Enrollment.objects.current().filter(user=user, course_id=course_id).first()
    if enrollment is not None and enrollment.attempts_since:
        attempts = attempts.filter(started_at__gte=enrollment.attempts_since)
    return attempts


def attempt_number_in_round(attempt: QuizAttempt) -> int:
    """The attempt's number in the round of its course during which it started (its ``number`` in round 1).

    Attempt numbers are unique per learner and quiz across rounds; a retake's attempt limit counts from 1.
    """
    course_id = getattr(attempt, "course_id", None)
    if course_id is None:
        return attempt.number
    enrollment = (
        Enrollment.objects.filter(user_id=attempt.user_id, course_id=course_id, enrolled_at__lte=attempt.started_at)
        .order_by("-round")
        .first()
    )
    if enrollment is None or not enrollment.attempts_since:
        return attempt.number
    return QuizAttempt.objects.filter(
        user_id=attempt.user_id,
        quiz_id=attempt.quiz_id,
        started_at__gte=enrollment.attempts_since,
        number__lte=attempt.number,
    ).count()


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
    if not attempt.passed and not (quiz.attempt_limit and attempt_number_in_round(attempt) >= quiz.attempt_limit):
        return False  # neither passed nor the last attempt the round allows
    return not answer_policy_conflicts(bank=quiz.bank_id, reveals=True, exclude_pk=quiz.pk)
