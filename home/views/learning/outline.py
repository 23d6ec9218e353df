"""A course as the player walks it: its steps in order (each module's lessons, then its quiz; the final quiz last).

Built in memory from ``courses.selectors.course_for_partner`` (the structure) and ``learner_state`` (what the
learner has done): no query of its own, so every player page costs the same whatever the course's size.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone


@dataclass
class Step:
    kind: str  # "lesson" or "quiz"
    pk: int
    title: str
    url: str
    done: bool
    minutes: int | None = None
    attempts_used: int = 0
    attempt_limit: int | None = None
    current: bool = False


@dataclass
class Section:
    title: str
    steps: list[Step] = field(default_factory=list)


@dataclass
class Outline:
    course: object
    sections: list[Section]
    steps: list[Step]
    enrollment: object | None
    progress: object
    completed_courses: set = field(default_factory=set)
    rounds: list = field(default_factory=list)  # every round of the learner (Enrollment), the first first

    def index_of(self, kind: str, pk: int) -> int | None:
        return next((i for i, step in enumerate(self.steps) if step.kind == kind and step.pk == pk), None)

    def mark_current(self, kind: str, pk: int) -> tuple[Step | None, Step | None]:
        """Mark the step shown as current; answer the steps before and after it."""
        index = self.index_of(kind, pk)
        if index is None:
            return None, None
        self.steps[index].current = True
        previous = self.steps[index - 1] if index > 0 else None
        following = self.steps[index + 1] if index + 1 < len(self.steps) else None
        return previous, following

    def resume_step(self) -> Step | None:
        """Where the learner left off: the last lesson opened while it is not done, else the next step not done
        after it (else the first one not done anywhere); the first step for a new learner."""
        if not self.steps:
            return None
        last = self.enrollment.last_lesson_id if self.enrollment else None
        index = self.index_of("lesson", last) if last else None
        if index is None:
            return next((step for step in self.steps if not step.done), self.steps[0])
        if not self.steps[index].done:
            return self.steps[index]
        after = [step for step in self.steps[index + 1 :] if not step.done]
        before = [step for step in self.steps[:index] if not step.done]
        return (after or before or [self.steps[index]])[0]

    @property
    def completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def retaking(self) -> bool:
        """In a retake (round 2 or later), completed or not."""
        return bool(self.enrollment and self.enrollment.round > 1)

    @property
    def due(self) -> str | None:
        return due_state(self.enrollment)

    @property
    def prerequisites(self) -> list[tuple]:
        """The prerequisites the learner may see, each with whether they completed it."""
        return [(course, course.pk in self.completed_courses) for course in self.course.visible_prerequisites]

    @property
    def hidden_prerequisites(self) -> int:
        """Prerequisites outside what the learner may see: counted, never named."""
        return self.course.prerequisites_total - len(self.course.visible_prerequisites)


def due_state(enrollment, today=None) -> str | None:
    """``"overdue"``, ``"due"`` or ``None`` (no due date, or completed) for an enrolment."""
    if enrollment is None or enrollment.due_date is None or enrollment.completed_at:
        return None
    return "overdue" if enrollment.due_date < (today or timezone.localdate()) else "due"


def lesson_url(course_id: int, lesson_id: int) -> str:
    return reverse("home:learning_lesson", args=[course_id, lesson_id])


def quiz_url(course_id: int, quiz_id: int) -> str:
    return reverse("home:learning_quiz", args=[course_id, quiz_id])


def _quiz_step(course, quiz, state) -> Step:
    attempts = state.quiz(course.pk, quiz.pk)  # as the current round counts them
    return Step(
        kind="quiz",
        pk=quiz.pk,
        title=quiz.title,
        url=quiz_url(course.pk, quiz.pk),
        done=attempts["passed"],
        attempts_used=attempts["used"],
        attempt_limit=quiz.attempt_limit,
    )


def course_outline(course, state) -> Outline:
    """The outline of ``course`` (from ``course_for_partner``) with the learner's ``state`` (``learner_state``)."""
    sections, steps, quizzes_seen = [], [], set()
    for module in course.modules.all():
        section = Section(title=module.title)
        for lesson in module.lessons.all():
            section.steps.append(
                Step(
                    kind="lesson",
                    pk=lesson.pk,
                    title=lesson.title,
                    url=lesson_url(course.pk, lesson.pk),
                    done=lesson.pk in state.completed_lessons,
                    minutes=lesson.estimated_minutes,
                )
            )
        if module.quiz and module.quiz.pk not in quizzes_seen:
            quizzes_seen.add(module.quiz.pk)
            section.steps.append(_quiz_step(course, module.quiz, state))
        sections.append(section)
        steps.extend(section.steps)
    if course.final_quiz and course.final_quiz.pk not in quizzes_seen:
        final = Section(title="", steps=[_quiz_step(course, course.final_quiz, state)])
        sections.append(final)
        steps.extend(final.steps)
    return Outline(
        course=course,
        sections=sections,
        steps=steps,
        enrollment=state.enrollments.get(course.pk),
        progress=state.progress[course.pk],
        completed_courses=state.completed_courses,
        rounds=state.rounds.get(course.pk, []),
    )
