"""``/learning/``: my courses (progress, due dates, continue) and the catalogue of courses I may take; enrolling,
and retaking a completed course (a new round: ``courses.services.rounds``).

Reads are ``courses.selectors`` (the audience rule of the course), the writes ``course_enroll`` and
``course_retake``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.gating.locking import locked_for, unlock_payloads
from courses.models import Course
from courses.selectors import courses_for_partner, enrollments_for_partner, learner_state
from courses.services.enrollment import course_enroll
from courses.services.errors import CourseError
from courses.services.rounds import course_retake

from ...access import portal_page
from .common import course_error_message, outline_or_404
from .outline import due_state
from .player import course_overview_response

CATALOGUE_PAGE_SIZE = 24
#: At most this many courses locked by a certification are listed under the catalogue.
LOCKED_COURSES = 12


def locked_courses(*, user) -> list[dict]:
    """Courses in my audience that a certification I (or my company) lack would unlock, with what unlocks each."""
    fields = ("pk", "title", "summary", "required_qualification_id", "required_qualification_mode", "required_holders")
    courses = list(locked_for(Course, user).order_by("title", "pk").only(*fields)[:LOCKED_COURSES])
    unlock = unlock_payloads(user=user, items=courses) if courses else []
    return [{"course": course, "unlock": hint} for course, hint in zip(courses, unlock, strict=True)]


@portal_page
def learning(request):
    user = request.user
    enrollments = list(enrollments_for_partner(user=user))
    catalogue = Paginator(courses_for_partner(user=user), CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    courses = {enrollment.course.pk: enrollment.course for enrollment in enrollments}
    courses.update({course.pk: course for course in catalogue})
    state = learner_state(user=user, courses=courses.values())
    mine = [
        {
            "course": enrollment.course,
            "enrollment": enrollment,
            "progress": state.progress[enrollment.course_id],
            "due": due_state(enrollment),
        }
        for enrollment in enrollments
    ]
    return TemplateResponse(
        request,
        "home/learning/catalogue.html",
        {
            "in_progress": [row for row in mine if not row["enrollment"].completed_at],
            "completed": [row for row in mine if row["enrollment"].completed_at],
            "catalogue": catalogue,
            "locked": locked_courses(user=user),
            "catalogue_rows": [
                {"course": c, "enrollment": state.enrollments.get(c.pk), "progress": state.progress[c.pk]}
                for c in catalogue
            ],
        },
    )


@require_POST
@portal_page
def enrol(request, course_id: int):
    """Enrol (idempotent) and open the course where it starts; prerequisites missing: said, nothing changed."""
    outline = outline_or_404(user=request.user, course_id=course_id)
    try:
        _enrollment, created = course_enroll(user=request.user, course=outline.course)
    except CourseError as error:
        return course_overview_response(request, outline, error=course_error_message(error), status=error.status)
    if created:
        messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": outline.course.title})
    return redirect("home:learning_course", course_id=outline.course.pk)


@require_POST
@portal_page
def retake(request, course_id: int):
    """Start the next round of a completed course (earlier rounds kept) and open it where it starts; refused
    (not completed yet, a prerequisite missing): said on the course's page, nothing changed."""
    outline = outline_or_404(user=request.user, course_id=course_id)
    try:
        enrollment = course_retake(user=request.user, course=outline.course)
    except CourseError as error:
        if error.status == 404:
            raise Http404 from error
        return course_overview_response(request, outline, error=course_error_message(error), status=error.status)
    messages.success(
        request,
        _("Round %(round)d of “%(course)s” has started. Your earlier rounds are kept.")
        % {"round": enrollment.round, "course": outline.course.title},
    )
    return redirect("home:learning_course", course_id=outline.course.pk)
