"""The course player: a course's page (enrol, or resume where I left off), its lessons, marking them done, and
the course's completion (with the certificates it earned).

A course, lesson or quiz of a course the user may not see is 404 (``courses.selectors``); the writes are the
API's services (``lesson_open``, ``lesson_complete``), so resume points and completion are the same in both.
Opening a course's page is recorded as a content view (``cms.services.activity.record_content_view``), whether
it shows the course or sends an enrolled learner on to where they left off, as the API's course detail is.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certifications.selectors import certificates_of
from cms.services.activity import record_content_view
from courses.selectors import lesson_for_partner
from courses.services.enrollment import lesson_complete, lesson_open
from courses.services.errors import CourseError

from ...access import portal_page
from .blocks import lesson_blocks
from .common import course_error_message, outline_or_404


def course_overview_response(request, outline, *, error: str | None = None, status: int = 200):
    return TemplateResponse(request, "home/learning/course.html", {"outline": outline, "error": error}, status=status)


@portal_page
def course(request, course_id: int):
    """Not enrolled: the course's page with "Enrol". Enrolled: straight to where I left off. Done: the overview."""
    outline = outline_or_404(user=request.user, course_id=course_id)
    # A view of the course whether it is shown (200) or the learner is sent on to where they left off (302).
    record_content_view(user=request.user, item=outline.course)
    if outline.enrollment and not outline.completed:
        step = outline.resume_step()
        if step is not None:
            return redirect(step.url)
    return course_overview_response(request, outline)


def _lesson_or_404(request, course_id: int, lesson_id: int):
    lesson = lesson_for_partner(user=request.user, lesson_id=lesson_id)
    if lesson is None or lesson.module.course_id != course_id:
        raise Http404
    return lesson


@portal_page
def lesson(request, course_id: int, lesson_id: int):
    lesson = _lesson_or_404(request, course_id, lesson_id)
    try:
        lesson_open(user=request.user, lesson=lesson)  # where the learner resumes next time
    except CourseError as error:
        messages.info(request, course_error_message(error))
        return redirect("home:learning_course", course_id=course_id)
    outline = outline_or_404(user=request.user, course_id=course_id)
    previous, following = outline.mark_current("lesson", lesson.pk)
    return TemplateResponse(
        request,
        "home/learning/lesson.html",
        {
            "outline": outline,
            "lesson": lesson,
            "done": lesson.pk in {step.pk for step in outline.steps if step.kind == "lesson" and step.done},
            "blocks": lesson_blocks(user=request.user, lesson=lesson),
            "previous": previous,
            "next": following,
        },
    )


@require_POST
@portal_page
def complete_lesson(request, course_id: int, lesson_id: int):
    """Mark the lesson done (idempotent) and go on: to the next step, or to the completion when that was the last."""
    lesson = _lesson_or_404(request, course_id, lesson_id)
    try:
        lesson_complete(user=request.user, lesson=lesson)
    except CourseError as error:
        messages.info(request, course_error_message(error))
        return redirect("home:learning_course", course_id=course_id)
    outline = outline_or_404(user=request.user, course_id=course_id)
    if outline.completed:
        return redirect("home:learning_completed", course_id=course_id)
    _previous, following = outline.mark_current("lesson", lesson.pk)
    messages.success(request, _("“%(lesson)s” is done.") % {"lesson": lesson.title})
    return redirect(following.url if following else outline.resume_step().url)


def certificates_from_course(*, user, course) -> list:
    """``user``'s certificates of certifications that ``course`` counts towards (required or a renewal course)."""
    requiring = Q(certification__required_courses=course) | Q(certification__renewal_courses=course)
    return list(certificates_of(user=user).filter(requiring).distinct())


@portal_page
def completed(request, course_id: int):
    """The course's completion: when, and the certificates it earned; before that, what is left."""
    outline = outline_or_404(user=request.user, course_id=course_id)
    if outline.enrollment is None:
        return redirect("home:learning_course", course_id=course_id)
    certificates = certificates_from_course(user=request.user, course=outline.course) if outline.completed else []
    return TemplateResponse(
        request,
        "home/learning/completed.html",
        {
            "outline": outline,
            "certificates": certificates,
            "remaining": [step for step in outline.steps if not step.done],
        },
    )
