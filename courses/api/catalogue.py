"""Partner API routes of courses: the catalogue I may take, a course's structure with my progress, enrolment
and retakes (a new round of a completed course; progress is always the current round's).

Reads are ``courses.selectors`` (the audience rule of the course), writes ``courses.services``.
A course the caller may not see is a 404; an enrolment that does not apply now is a 409 saying why. Reading a
course's detail is recorded as a content view (``cms.services.activity.record_content_view``).
"""

from datetime import date, datetime
from typing import Literal

from django.http import Http404

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cms.api import MappedPage
from cms.gating.locking import raise_if_locked
from cms.schemas import LockedOut
from cms.services.activity import record_content_view
from core.api import PageNumberPagination

from .. import selectors
from ..models import Course
from ..package_lessons import package_results_of, result_summary
from ..selectors import Progress, required_quiz_ids
from ..services.enrollment import course_enroll
from ..services.errors import CourseError
from ..services.rounds import course_retake

router = Router()


class ErrorOut(Schema):
    detail: str


class ProgressOut(Schema):
    percent: int = Field(description="Lessons done and required quizzes passed, of all of them.")
    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int


class EnrollmentOut(Schema):
    round: int = Field(description="1 for my first time through the course; each retake is the next round.")
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
    enrollment: EnrollmentOut | None = Field(description="My current round (the latest); null when not enrolled.")
    rounds_completed: int = Field(description="How many of my rounds of this course are completed.")
    progress: ProgressOut = Field(description="In my current round: a retake starts with nothing done.")


class LessonPackageOut(Schema):
    completed: bool
    passed: bool | None
    score: float | None = Field(description="Percent, the package's latest reported score.")
    best_score: float | None
    rule_met: bool
    updated_at: datetime


class LessonRefOut(Schema):
    id: int
    title: str
    estimated_minutes: int
    completed: bool
    package: LessonPackageOut | None = Field(
        None, description="My results in the lesson's learning package (lessons made of one, once launched)."
    )


class QuizRefOut(Schema):
    id: int
    title: str
    pass_mark: int
    attempt_limit: int | None
    time_limit_minutes: int | None
    attempts_used: int = Field(description="In my current round (a retake counts its own attempts).")
    passed: bool = Field(description="Passed in my current round.")
    best_score: float | None


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
        "round": enrollment.round,
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
        "rounds_completed": state.rounds_completed(course.pk),
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


@router.get(
    "/courses",
    operation_id="courses_api_list_courses",
    response=list[CourseSummaryOut],
    summary="Courses I may take, with my progress",
)
@paginate(PageNumberPagination)
def list_courses(request):
    page = WithLearnerState(request.auth)
    return MappedPage(
        selectors.courses_for_partner(user=request.auth),
        lambda course: _course_summary(page.state, course),
        prepare=page,
    )


def _quiz_ref(state, course: Course, quiz) -> dict | None:
    if quiz is None:
        return None
    attempts = state.quiz(course.pk, quiz.pk)  # as my current round counts them
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
    structure = _course_structure(selectors.learner_state(user=user, courses=[course]), course)
    lesson_ids = [lesson["id"] for module in structure["modules"] for lesson in module["lessons"]]
    results = package_results_of(user=user, lesson_ids=lesson_ids)  # one query: my learning packages' results
    for module in structure["modules"]:
        for lesson in module["lessons"]:
            lesson["package"] = result_summary(results.get(lesson["id"], []))
    return structure


def course_preview(request, course: Course) -> dict:
    """A course as an editor previews it (unsaved changes included): its structure, nobody's progress."""
    modules = list(course.modules.all())
    progress = Progress(
        lessons_done=0,
        lessons_total=sum(len(module.lessons.all()) for module in modules),
        quizzes_passed=0,
        quizzes_total=len(required_quiz_ids(course)),
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
                "quiz": _quiz_ref(state, course, module.quiz),
            }
            for module in course.modules.all()
        ],
        "final_quiz": _quiz_ref(state, course, course.final_quiz),
        "prerequisites": [
            {"id": p.pk, "title": p.title, "completed": p.pk in state.completed_courses}
            for p in course.visible_prerequisites
        ],
        "unavailable_prerequisites": course.prerequisites_total - len(course.visible_prerequisites),
    }


@router.get(
    "/courses/{int:course_id}",
    operation_id="courses_api_get_course",
    response={200: CourseOut, 403: LockedOut, 404: ErrorOut},
    summary="A course and my progress",
)
def get_course(request, course_id: int):
    course = selectors.course_for_partner(user=request.auth, course_id=course_id)
    if course is None:
        raise_if_locked(Course, user=request.auth, pk=course_id)  # 403 saying which certification unlocks it
        raise Http404
    payload = _course_detail(request.auth, course)
    record_content_view(user=request.auth, item=course)
    return payload


@router.post(
    "/courses/{int:course_id}/enroll",
    operation_id="courses_api_enroll",
    response={200: CourseOut, 201: CourseOut, 403: LockedOut, 404: ErrorOut, 409: ErrorOut},
    summary="Enrol me",
    description="Idempotent: 201 when enrolled now, 200 when enrolled already; 409 while prerequisites are missing.",
)
def enroll(request, course_id: int):
    course = selectors.course_for_partner(user=request.auth, course_id=course_id)
    if course is None:
        raise_if_locked(Course, user=request.auth, pk=course_id)  # 403 saying which certification unlocks it
        raise Http404
    try:
        _enrollment, created = course_enroll(user=request.auth, course=course)
    except CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return Status(201 if created else 200, _course_detail(request.auth, course))


@router.post(
    "/courses/{int:course_id}/retake",
    operation_id="courses_api_retake",
    response={201: CourseOut, 403: LockedOut, 404: ErrorOut, 409: ErrorOut},
    summary="Retake a course I completed",
    description="201 with the course in my new round (nothing done yet; earlier rounds are kept, "
    "`rounds_completed` counts them). 409 when I am not enrolled, my current round is not completed, or a "
    "prerequisite is missing; 404 for a course I may not see.",
)
def retake(request, course_id: int):
    course = selectors.course_for_partner(user=request.auth, course_id=course_id)
    if course is None:
        raise_if_locked(Course, user=request.auth, pk=course_id)  # 403 saying which certification unlocks it
        raise Http404
    try:
        course_retake(user=request.auth, course=course)
    except CourseError as error:
        if error.status == 404:
            raise Http404 from error
        return Status(error.status, {"detail": str(error)})
    return Status(201, _course_detail(request.auth, course))


@router.get(
    "/enrollments",
    operation_id="courses_api_list_enrollments",
    response=list[CourseSummaryOut],
    summary="The courses I am enrolled in (my current round of each)",
)
@paginate(PageNumberPagination)
def list_enrollments(request):
    page = WithLearnerState(request.auth, course_of=lambda enrollment: enrollment.course)
    return MappedPage(
        selectors.enrollments_for_partner(user=request.auth),
        lambda enrollment: _course_summary(page.state, enrollment.course),
        prepare=page,
    )
