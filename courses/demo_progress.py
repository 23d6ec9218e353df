"""Demo learners' progress in the demo courses, made through ``courses.services`` (see ``core.demo``).

The courses, question banks and quizzes are data, in ``fixtures/demo/courses.json``.
What is computed here is the simulated progress: ``demo_course_progress`` enrols some
demo partner users in courses they may see, completes lessons and takes quizzes
(passing, failing, sometimes failing then passing) through the services, so enrolments,
completions and grades are what the API would have made. It only touches courses a user
is not enrolled in yet, so re-running changes nothing.
"""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from core.demo import DemoRun
from partners.demo import DEMO_PARTNER_USER

from .models import Course, CourseModule, Enrollment, Lesson, LessonCompletion, QuizAttempt
from .services.attempts import quiz_attempt_start, quiz_attempt_submit
from .services.enrollment import course_enroll, lesson_complete, lesson_open
from .services.errors import CourseError

#: How far a demo learner gets in a course they enrol in, with weights; courses others require are finished more.
PLANS = {"complete": 3, "partial": 5, "started": 2}
PLANS_OF_PREREQUISITES = {"complete": 6, "partial": 3, "started": 1}
#: The demo user whose token ``make demo`` prints shows a bit of everything.
DEMO_USER_PLANS = {
    "demo-course-product-fundamentals": "complete",
    "demo-course-deal-registration": "complete",
    "demo-course-sdwan-selling": "partial",
    "demo-course-security-positioning": "started",
    "demo-course-mdf-usage": "partial",
    "demo-course-renewals": "partial",
}


class Clock:
    """Moments in the past, moving forward a little with each learner action."""

    def __init__(self, start: datetime):
        self.now = start

    def tick(self, rng: random.Random, low: int = 5, high: int = 90) -> datetime:
        self.now += timedelta(minutes=rng.randint(low, high))
        return self.now


def _answers(attempt, *, right: bool, rng: random.Random) -> dict:
    """Answers to every question of an attempt: the correct choices, or (mostly) wrong ones."""
    answers = {}
    for question in attempt.questions:
        correct = [c["id"] for c in question["choices"] if c["correct"]]
        wrong = [c["id"] for c in question["choices"] if not c["correct"]]
        answers[str(question["id"])] = correct if right or not wrong or rng.random() < 0.3 else [rng.choice(wrong)]
    return answers


def _take_quiz(user, quiz, course, clock: Clock, rng: random.Random, *, fail_first: bool, give_up: bool) -> bool:
    """One attempt at ``quiz``, or a failed one then a passed one; whether it was passed."""
    for right in [False, True] if fail_first else [not give_up]:
        try:
            attempt, _created = quiz_attempt_start(user=user, quiz=quiz, course=course, now=clock.tick(rng), rng=rng)
        except CourseError:  # no attempts left
            return False
        answers = _answers(attempt, right=right, rng=rng)
        attempt, _graded = quiz_attempt_submit(
            user=user, attempt_id=attempt.pk, answers=answers, now=clock.tick(rng, 3, 12)
        )
        if attempt.passed:
            return True
    return False


def take_course(user, course, plan: str, clock: Clock, rng: random.Random) -> None:
    """Lessons in order, each module's quiz after its lessons, the final quiz last; ``plan`` says how far."""
    modules = list(CourseModule.objects.filter(course=course).select_related("quiz").order_by("sort_order", "pk"))
    lessons = list(
        Lesson.objects.filter(module__course=course)
        .select_related("module__course")
        .order_by("module__sort_order", "module_id", "sort_order", "pk")
    )
    if plan == "started":
        lesson_open(user=user, lesson=lessons[0], now=clock.tick(rng))
        return
    stop_after = len(lessons) if plan == "complete" else rng.randint(1, len(lessons) - 1)
    done = 0
    for module in modules:
        for lesson in [lesson for lesson in lessons if lesson.module_id == module.pk]:
            if done == stop_after:
                return
            lesson_complete(user=user, lesson=lesson, now=clock.tick(rng))
            done += 1
        if module.quiz and not _take_quiz(
            user,
            module.quiz,
            course,
            clock,
            rng,
            fail_first=rng.random() < 0.3,
            give_up=plan == "partial" and rng.random() < 0.4,
        ):
            return
    if course.final_quiz:
        _take_quiz(user, course.final_quiz, course, clock, rng, fail_first=rng.random() < 0.35, give_up=False)


def prerequisites_first(courses: list) -> list:
    """The courses ordered so that each comes after those it requires (there are no cycles: the importer checks)."""
    ordered, placed = [], set()
    requires = {course.pk: {p.pk for p in course.prerequisites.all()} & {c.pk for c in courses} for course in courses}
    while len(ordered) < len(courses):
        ready = [c for c in courses if c.pk not in placed and requires[c.pk] <= placed]
        ordered += ready
        placed |= {c.pk for c in ready}
    return ordered


def demo_learners(*, demo_user: str, seed: int = 2026, learners: int = 40, rng=None) -> list:
    """The partner users ``demo_course_progress`` moves through courses: ``demo_user`` and a fixed sample."""
    rng = rng or random.Random(seed)
    users = list(
        get_user_model()
        .objects.filter(is_active=True, partner_membership__partner__is_active=True)
        .order_by("username")
    )
    others = [user for user in users if user.username != demo_user]
    return [user for user in users if user.username == demo_user] + rng.sample(others, min(learners - 1, len(others)))


@transaction.atomic
def demo_course_progress(*, demo_user: str, seed: int = 2026, learners: int = 40) -> dict:
    """Enrol ``learners`` demo partner users (``demo_user`` first) in demo courses they may see, and progress.

    Everything goes through ``courses.services``. Only courses a learner is not enrolled in yet are
    touched, and each (learner, course) has its own random stream, so a re-run adds nothing.
    Answers counts of what was made.
    """
    rng = random.Random(seed)
    chosen = demo_learners(demo_user=demo_user, seed=seed, learners=learners, rng=rng)
    courses = prerequisites_first(
        list(Course.objects.filter(key__startswith="demo-course-").prefetch_related("prerequisites").order_by("key"))
    )
    required = {p.pk for course in courses for p in course.prerequisites.all()}
    follow_ups = {course.pk for course in courses if course.prerequisites.all()}
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    before = (Enrollment.objects.count(), LessonCompletion.objects.count(), QuizAttempt.objects.count())
    for user in chosen:
        visible = set(Course.objects.visible_to(user).values_list("pk", flat=True))
        enrolled = set(Enrollment.objects.filter(user=user).values_list("course_id", flat=True))
        user_rng = random.Random(f"{seed}:{user.username}")
        # 8 courses of at most a week each: the last action is still days before today.
        clock = Clock(today - timedelta(days=user_rng.randint(70, 120)))
        eagerness = user_rng.choice([0.3, 0.5, 0.7])
        for course in courses:
            # Each (learner, course) has its own random stream: the same on every run, whatever ran before.
            course_rng = random.Random(f"{seed}:{user.username}:{course.key}")
            clock.now += timedelta(days=course_rng.randint(0, 5), hours=course_rng.randint(0, 8))
            if user.username == demo_user:
                plan = DEMO_USER_PLANS.get(course.key)
            elif course_rng.random() < (0.8 if course.pk in follow_ups else eagerness):  # learners follow tracks
                plans = PLANS_OF_PREREQUISITES if course.pk in required else PLANS
                plan = course_rng.choices(list(plans), weights=list(plans.values()))[0]
            else:
                plan = None
            if plan is None or course.pk not in visible or course.pk in enrolled:
                continue
            try:
                course_enroll(user=user, course=course, now=clock.tick(course_rng))
            except CourseError:  # its prerequisites are not completed
                continue
            take_course(user, course, plan, clock, course_rng)
    after = (Enrollment.objects.count(), LessonCompletion.objects.count(), QuizAttempt.objects.count())
    return {
        "enrolments": after[0] - before[0],
        "lesson completions": after[1] - before[1],
        "quiz attempts": after[2] - before[2],
    }


def demo_progress(run: DemoRun) -> None:
    """``load_demo``'s step of this app (see ``core.demo``)."""
    made = demo_course_progress(demo_user=DEMO_PARTNER_USER)
    run.summary.append("course progress: " + ", ".join(f"{count} {what}" for what, count in made.items()) + " added")
