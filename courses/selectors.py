"""Reads of courses for partners: every one goes through the audience rule of the course.

Lessons and quizzes have no audience of their own: they are visible exactly when a
course that contains them is. Progress is loaded for a whole list at once, in a fixed
number of queries whatever the number of courses, modules or lessons.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q

from .models import Course, CourseModule, Enrollment, Lesson, LessonCompletion, Quiz, QuizAttempt
from .services import Progress


def courses_for_partner(*, user):
    return Course.objects.visible_to(user).select_related("cover_image").order_by("title", "pk")


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
    attempts: dict  # quiz id -> {"used", "passed", "best"}
    completed_courses: set  # course ids


def learner_state(*, user, courses) -> LearnerState:
    """Enrolments, progress, completed lessons and quiz results of ``user`` in ``courses`` (six queries)."""
    courses = list(courses)
    ids = [course.pk for course in courses]
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course_id__in=ids)}
    lessons_total = dict(
        Lesson.objects.filter(module__course_id__in=ids).values_list("module__course_id").annotate(n=Count("pk"))
    )
    completed = set(
        LessonCompletion.objects.filter(user=user, lesson__module__course_id__in=ids).values_list(
            "lesson_id", flat=True
        )
    )
    done_per_course = dict(
        LessonCompletion.objects.filter(user=user, lesson__module__course_id__in=ids)
        .values_list("lesson__module__course_id")
        .annotate(n=Count("pk"))
    )
    quizzes = defaultdict(set)
    for course_id, quiz_id in CourseModule.objects.filter(course_id__in=ids, quiz__isnull=False).values_list(
        "course_id", "quiz_id"
    ):
        quizzes[course_id].add(quiz_id)
    for course in courses:
        if course.final_quiz_id:
            quizzes[course.pk].add(course.final_quiz_id)
    attempts = {}
    passed_per_course = defaultdict(set)
    rows = (
        QuizAttempt.objects.filter(user=user, course_id__in=ids)
        .values_list("course_id", "quiz_id")
        .annotate(
            used=Count("pk"),
            passed=Count("pk", filter=Q(passed=True)),
            best=Max("score"),
        )
    )
    for course_id, quiz_id, used, passed, best in rows:
        attempts[quiz_id] = {"used": used, "passed": bool(passed), "best": best}
        if passed:
            passed_per_course[course_id].add(quiz_id)
    progress = {
        course.pk: Progress(
            lessons_done=done_per_course.get(course.pk, 0),
            lessons_total=lessons_total.get(course.pk, 0),
            quizzes_passed=len(passed_per_course[course.pk] & quizzes[course.pk]),
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


def attempt_for_partner(*, user, attempt_id: int) -> QuizAttempt | None:
    """``user``'s own attempt, while its course is visible to them."""
    return (
        QuizAttempt.objects.filter(pk=attempt_id, user=user, course__in=Course.objects.visible_to(user))
        .select_related("quiz")
        .first()
    )
