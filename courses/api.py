"""Partner API routes of courses: catalogue, structure with my progress, lessons, enrolment, quiz attempts.

Thin: reads are ``courses.selectors`` (the audience rule of the course), writes are
``courses.services``. A course, lesson, quiz or attempt the caller may not see is a
404; an action that does not apply now is a 409 saying why. Correct answers never
leave the server before the quiz allows it (a pass or the last allowed attempt).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.urls import reverse

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cms.api import MappedPage, asset_summary
from cms.models import Asset
from cms.rich_text import rich_text_html
from cms.selectors import attach_summary_relations
from core.api import PageNumberPagination

from . import selectors, services
from .models import Course, Enrollment, QuizAttempt

router = Router(tags=["courses"])


class ErrorOut(Schema):
    detail: str


class ProgressOut(Schema):
    percent: int = Field(description="Lessons done and required quizzes passed, of all of them.")
    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int


class EnrollmentOut(Schema):
    enrolled_at: datetime
    completed_at: datetime | None
    due_date: date | None
    source: Literal["self", "assigned"]
    resume_lesson_id: int | None


class CourseSummaryOut(Schema):
    id: int
    title: str
    summary: str
    level: str
    estimated_minutes: int
    cover_image_url: str | None
    enrollment: EnrollmentOut | None
    progress: ProgressOut


class LessonRefOut(Schema):
    id: int
    title: str
    estimated_minutes: int
    completed: bool


class QuizRefOut(Schema):
    id: int
    title: str
    pass_mark: int
    attempt_limit: int | None
    time_limit_minutes: int | None
    attempts_used: int
    passed: bool
    best_score: Decimal | None


class ModuleOut(Schema):
    id: int
    title: str
    summary: str
    lessons: list[LessonRefOut]
    quiz: QuizRefOut | None


class PrerequisiteOut(Schema):
    id: int
    title: str
    completed: bool


class CourseOut(CourseSummaryOut):
    modules: list[ModuleOut]
    final_quiz: QuizRefOut | None
    prerequisites: list[PrerequisiteOut]
    unavailable_prerequisites: int = Field(description="Prerequisites outside what I may see (I cannot enrol).")


def _enrollment(enrollment) -> dict | None:
    if enrollment is None:
        return None
    return {
        "enrolled_at": enrollment.enrolled_at,
        "completed_at": enrollment.completed_at,
        "due_date": enrollment.due_date,
        "source": enrollment.source,
        "resume_lesson_id": enrollment.last_lesson_id,
    }


def _progress(progress) -> dict:
    return {
        "percent": progress.percent,
        "lessons_done": progress.lessons_done,
        "lessons_total": progress.lessons_total,
        "quizzes_passed": progress.quizzes_passed,
        "quizzes_total": progress.quizzes_total,
    }


def _course_summary(state, course: Course) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "level": course.level,
        "estimated_minutes": course.estimated_minutes,
        "cover_image_url": course.cover_image.file.url if course.cover_image else None,
        "enrollment": _enrollment(state.enrollments.get(course.pk)),
        "progress": _progress(state.progress[course.pk]),
    }


class WithLearnerState:
    """Loads the learner's state for one page of rows (courses, or enrolments) before they are mapped."""

    def __init__(self, user, course_of=lambda row: row):
        self.user, self.course_of, self.state = user, course_of, None

    def __call__(self, rows):
        rows = list(rows)
        self.state = selectors.learner_state(user=self.user, courses=[self.course_of(row) for row in rows])
        return rows


@router.get("/courses", response=list[CourseSummaryOut], summary="Courses I may take, with my progress")
@paginate(PageNumberPagination)
def list_courses(request):
    page = WithLearnerState(request.auth)
    return MappedPage(
        selectors.courses_for_partner(user=request.auth),
        lambda course: _course_summary(page.state, course),
        prepare=page,
    )


def _quiz_ref(state, quiz) -> dict | None:
    if quiz is None:
        return None
    attempts = state.attempts.get(quiz.pk, {"used": 0, "passed": False, "best": None})
    return {
        "id": quiz.pk,
        "title": quiz.title,
        "pass_mark": quiz.pass_mark,
        "attempt_limit": quiz.attempt_limit,
        "time_limit_minutes": quiz.time_limit_minutes,
        "attempts_used": attempts["used"],
        "passed": attempts["passed"],
        "best_score": attempts["best"],
    }


def _course_detail(user, course: Course) -> dict:
    return _course_structure(selectors.learner_state(user=user, courses=[course]), course)


def course_preview(request, course: Course) -> dict:
    """A course as an editor previews it (unsaved changes included): its structure, nobody's progress."""
    modules = list(course.modules.all())
    progress = services.Progress(
        lessons_done=0,
        lessons_total=sum(len(module.lessons.all()) for module in modules),
        quizzes_passed=0,
        quizzes_total=len(services.required_quiz_ids(course)),
    )
    state = selectors.LearnerState({}, {course.pk: progress}, set(), {}, set())
    course.visible_prerequisites = list(course.prerequisites.all())
    course.prerequisites_total = len(course.visible_prerequisites)
    return _course_structure(state, course)


def _course_structure(state, course: Course) -> dict:
    return {
        **_course_summary(state, course),
        "modules": [
            {
                "id": module.pk,
                "title": module.title,
                "summary": module.summary,
                "lessons": [
                    {
                        "id": lesson.pk,
                        "title": lesson.title,
                        "estimated_minutes": lesson.estimated_minutes,
                        "completed": lesson.pk in state.completed_lessons,
                    }
                    for lesson in module.lessons.all()
                ],
                "quiz": _quiz_ref(state, module.quiz),
            }
            for module in course.modules.all()
        ],
        "final_quiz": _quiz_ref(state, course.final_quiz),
        "prerequisites": [
            {"id": p.pk, "title": p.title, "completed": p.pk in state.completed_courses}
            for p in course.visible_prerequisites
        ],
        "unavailable_prerequisites": course.prerequisites_total - len(course.visible_prerequisites),
    }


@router.get("/courses/{int:course_id}", response={200: CourseOut, 404: ErrorOut}, summary="A course and my progress")
def get_course(request, course_id: int):
    course = selectors.course_for_partner(user=request.auth, course_id=course_id)
    if course is None:
        raise Http404
    return _course_detail(request.auth, course)


@router.post(
    "/courses/{int:course_id}/enroll",
    response={200: CourseOut, 201: CourseOut, 404: ErrorOut, 409: ErrorOut},
    summary="Enrol me",
    description="Idempotent: 201 when enrolled now, 200 when enrolled already; 409 while prerequisites are missing.",
)
def enroll(request, course_id: int):
    course = selectors.course_for_partner(user=request.auth, course_id=course_id)
    if course is None:
        raise Http404
    try:
        _enrollment, created = services.course_enroll(user=request.auth, course=course)
    except services.CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return Status(201 if created else 200, _course_detail(request.auth, course))


@router.get("/enrollments", response=list[CourseSummaryOut], summary="The courses I am enrolled in")
@paginate(PageNumberPagination)
def list_enrollments(request):
    page = WithLearnerState(request.auth, course_of=lambda enrollment: enrollment.course)
    return MappedPage(
        selectors.enrollments_for_partner(user=request.auth),
        lambda enrollment: _course_summary(page.state, enrollment.course),
        prepare=page,
    )


# --- lessons -------------------------------------------------------------------------------------------


class LessonOut(Schema):
    id: int
    title: str
    estimated_minutes: int
    course_id: int
    module_id: int
    module_title: str
    completed: bool
    previous_lesson_id: int | None
    next_lesson_id: int | None
    blocks: list[dict] = Field(
        description="The body in order: `text` (html), `video` (url), `image` (url, alt), `callout` (kind, html), "
        "`asset` (the library asset's current live version, or `available: false`)."
    )


def _lesson_blocks(request, lesson) -> list[dict]:
    # Asset ids as stored, by block id: the audience rule is applied to them, not to the chooser's objects.
    asset_ids = {
        block["id"]: block["value"].get("asset") for block in lesson.body.raw_data if block["type"] == "asset"
    }
    assets = {}
    if asset_ids:
        visible = Asset.objects.visible_to(request.auth).filter(pk__in=asset_ids.values()).select_related("locale")
        assets = {asset.pk: asset for asset in attach_summary_relations(visible)}
    blocks = []
    for block in lesson.body:
        kind, value = block.block_type, block.value
        if kind == "text":
            blocks.append({"type": "text", "html": rich_text_html(value.source)})
        elif kind == "video":
            blocks.append({"type": "video", "url": getattr(value, "url", None) or str(value)})
        elif kind == "image":
            blocks.append({"type": "image", "url": value.get_rendition("max-1600x1600").url, "alt": value.title})
        elif kind == "callout":
            blocks.append({"type": "callout", "kind": value["kind"], "html": rich_text_html(value["text"].source)})
        elif kind == "asset":
            asset = assets.get(asset_ids.get(block.id))
            blocks.append(
                {"type": "asset", "available": True, "note": value["note"], "asset": asset_summary(request, asset)}
                if asset
                else {"type": "asset", "available": False}
            )
    return blocks


@router.get("/lessons/{int:lesson_id}", response={200: LessonOut, 404: ErrorOut, 409: ErrorOut}, summary="A lesson")
def get_lesson(request, lesson_id: int):
    lesson = selectors.lesson_for_partner(user=request.auth, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        services.lesson_open(user=request.auth, lesson=lesson)
    except services.CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return _lesson(request, lesson)


def _lesson(request, lesson) -> dict:
    order = list(
        type(lesson)
        .objects.filter(module__course=lesson.module.course)
        .order_by("module__sort_order", "module__pk", "sort_order", "pk")
        .values_list("pk", flat=True)
    )
    position = order.index(lesson.pk)
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "estimated_minutes": lesson.estimated_minutes,
        "course_id": lesson.module.course_id,
        "module_id": lesson.module_id,
        "module_title": lesson.module.title,
        "completed": lesson.completions.filter(user=request.auth).exists(),
        "previous_lesson_id": order[position - 1] if position > 0 else None,
        "next_lesson_id": order[position + 1] if position + 1 < len(order) else None,
        "blocks": _lesson_blocks(request, lesson),
    }


@router.post(
    "/lessons/{int:lesson_id}/complete",
    response={200: LessonOut, 404: ErrorOut, 409: ErrorOut},
    summary="Mark a lesson done",
    description="Idempotent. Completing the last lesson (with every required quiz passed) completes the course.",
)
def complete_lesson(request, lesson_id: int):
    lesson = selectors.lesson_for_partner(user=request.auth, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        services.lesson_complete(user=request.auth, lesson=lesson)
    except services.CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return _lesson(request, lesson)


# --- quizzes -------------------------------------------------------------------------------------------


class ChoiceOut(Schema):
    id: int = Field(description="This attempt's own id of the choice: random, meaningless in any other attempt.")
    text: str


class QuestionOut(Schema):
    id: int
    kind: Literal["single", "multiple", "true_false"]
    text: str
    choices: list[ChoiceOut]


class ReviewOut(Schema):
    question_id: int
    credit: Decimal = Field(description="0 to 1 (partial for multiple choice).")
    your_choice_ids: list[int]
    correct_choice_ids: list[int]
    explanation: str


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    course_id: int
    number: int
    attempts_left: int | None = Field(description="After this one; null when unlimited.")
    status: Literal["in_progress", "graded", "timed_out"]
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    questions: list[QuestionOut]
    answers: dict[str, list[int]]
    score: Decimal | None
    pass_mark: int
    passed: bool | None
    late: bool
    review: list[ReviewOut] | None = Field(
        description="Correct answers, only after a pass or the last allowed attempt (as the quiz is configured)."
    )
    submit_url: str | None


def _attempt(request, attempt: QuizAttempt) -> dict:
    quiz = attempt.quiz
    revealed = services.answers_revealed(attempt)
    review = None
    if revealed:
        results = {r.question_id: r.credit for r in attempt.results.all()}
        review = [
            {
                "question_id": q["id"],
                "credit": results.get(q["id"], Decimal(0)),
                "your_choice_ids": attempt.answers.get(str(q["id"]), []),
                "correct_choice_ids": [c["id"] for c in q["choices"] if c["correct"]],
                "explanation": q["explanation"],
            }
            for q in attempt.questions
        ]
    in_progress = attempt.status == QuizAttempt.Status.IN_PROGRESS
    return {
        "id": attempt.pk,
        "quiz_id": quiz.pk,
        "quiz_title": quiz.title,
        "course_id": attempt.course_id,
        "number": attempt.number,
        "attempts_left": max(0, quiz.attempt_limit - attempt.number) if quiz.attempt_limit else None,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        # Only ids and texts: the snapshot's "correct" flags and explanations stay here.
        "questions": [
            {
                "id": q["id"],
                "kind": q["kind"],
                "text": q["text"],
                "choices": [{"id": c["id"], "text": c["text"]} for c in q["choices"]],
            }
            for q in attempt.questions
        ],
        "answers": attempt.answers,
        "score": attempt.score,
        "pass_mark": quiz.pass_mark,
        "passed": attempt.passed,
        "late": attempt.late,
        "review": review,
        "submit_url": request.build_absolute_uri(reverse("api-v1:submit_attempt", args=[attempt.pk]))
        if in_progress
        else None,
    }


@router.post(
    "/quizzes/{int:quiz_id}/attempts",
    response={200: AttemptOut, 201: AttemptOut, 404: ErrorOut, 409: ErrorOut},
    summary="Start a quiz attempt",
    description="201 with the drawn questions (never their answers), or 200 with the attempt already in progress. "
    "409 when I am not enrolled, passed already, or have no attempts left. A quiz used by several of my courses is "
    "taken in the one given by `?course_id=` (by default the first I am enrolled in); its attempts count over all of "
    "them (one attempt limit), and a pass counts in each. Choice ids are the attempt's own: ids from another attempt "
    "are refused.",
)
def start_attempt(request, quiz_id: int, course_id: int | None = None):
    found = selectors.quiz_for_partner(user=request.auth, quiz_id=quiz_id)
    if found is None:
        raise Http404
    quiz, courses = found
    if course_id is not None:
        courses = [c for c in courses if c.pk == course_id]
        if not courses:
            raise Http404
    enrolled = set(
        Enrollment.objects.filter(user=request.auth, course__in=courses).values_list("course_id", flat=True)
    )
    course = next((c for c in courses if c.pk in enrolled), courses[0])
    try:
        attempt, created = services.quiz_attempt_start(user=request.auth, quiz=quiz, course=course)
    except services.CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return Status(201 if created else 200, _attempt(request, attempt))


@router.get("/attempts/{int:attempt_id}", response={200: AttemptOut, 404: ErrorOut}, summary="One of my attempts")
def get_attempt(request, attempt_id: int):
    attempt = selectors.attempt_for_partner(user=request.auth, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return _attempt(request, attempt)


class SubmitIn(Schema):
    answers: dict[int, list[int]] = Field(
        description="Question id → the chosen choice ids of this attempt (one for single choice and true/false); "
        "an id this attempt did not give is a 422.",
        max_length=500,
    )


@router.post(
    "/attempts/{int:attempt_id}/submit",
    response={200: AttemptOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit my answers",
    description="Grades on the server, once: a second submit answers the first grade. Unanswered questions score 0.",
)
def submit_attempt(request, attempt_id: int, payload: SubmitIn):
    attempt = selectors.attempt_for_partner(user=request.auth, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    try:
        attempt, _graded = services.quiz_attempt_submit(
            user=request.auth, attempt_id=attempt.pk, answers=payload.answers
        )
    except services.CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return _attempt(request, attempt)
