"""A learner's progress in a course (lessons done, required quizzes passed) and the course's completion."""

from dataclasses import dataclass

from django.utils import timezone

from core.signals import course_completed

from ..models import Course, Enrollment, Lesson, LessonCompletion, QuizAttempt


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
