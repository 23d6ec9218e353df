"""Lessons made of learning packages in the portal: the package block with the learner's status and score, the
player launched on "Start" / "Resume" (POST) in a frame of the lesson page, and "Mark as done" refused (409).

The audience rule comes first (``courses.selectors.lesson_for_partner``: 404 for a course the learner may not
see, and nothing launched); the launch is ``courses.services.packages.package_lesson_launch`` like the API's, so
its signed, short-lived player URL works for this learner only. The page frames the player from the hub's own
origin (``frame-src 'self'`` on this response only).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csp.constants import SELF
from csp.decorators import csp_update

from courses.package_lessons import package_refs, package_results_of, result_summary
from courses.selectors import lesson_for_partner
from courses.services.errors import CourseError
from courses.services.packages import PackageUnavailable, package_lesson_launch
from elearning.models import Package

from ...access import portal_page
from . import player
from .common import course_error_message


def package_blocks(*, user, lesson) -> dict[str, dict]:
    """The lesson's package blocks as the template shows them, by block id (none: no query; else two)."""
    refs = package_refs(lesson)
    if not refs:
        return {}
    packages = Package.objects.in_bulk({ref.package_id for ref in refs})
    results = {
        (result.package_id, result.unit): result
        for result in package_results_of(user=user, lesson_ids=[lesson.pk]).get(lesson.pk, [])
    }
    blocks = {}
    for ref in refs:
        package = packages.get(ref.package_id)
        result = results.get(ref.key)
        blocks[ref.block_id] = {
            "type": "package",
            "block_id": ref.block_id,
            "available": package is not None and package.current_version_id is not None,
            "title": package.title if package else "",
            "result": result_summary([result]) if result else None,
            "counts_score": ref.counts_score,
            "launch_url": None,
        }
    return blocks


def _lesson_or_404(request, course_id: int, lesson_id: int):
    lesson = lesson_for_partner(user=request.user, lesson_id=lesson_id)
    if lesson is None or lesson.module.course_id != course_id:
        raise Http404
    return lesson


@require_POST
@csp_update({"frame-src": [SELF]})
@portal_page
def play(request, course_id: int, lesson_id: int):
    """Launch the lesson's package for the learner and show the lesson with the player in place of the block."""
    lesson = _lesson_or_404(request, course_id, lesson_id)
    block_id = request.POST.get("block") or None
    try:
        launched = package_lesson_launch(user=request.user, lesson=lesson, block_id=block_id)
    except PackageUnavailable:
        messages.info(request, _("This learning package cannot be played at the moment."))
        return redirect("home:learning_lesson", course_id=course_id, lesson_id=lesson_id)
    except CourseError as error:
        messages.info(request, course_error_message(error))
        return redirect("home:learning_lesson", course_id=course_id, lesson_id=lesson_id)
    response = player.lesson(request, course_id, lesson_id)
    if isinstance(response, TemplateResponse):
        for block in response.context_data["blocks"]:
            if block["type"] == "package" and block_id in (None, block["block_id"]):
                block["launch_url"] = launched.url
                break
    return response


@require_POST
@portal_page
def complete_lesson(request, course_id: int, lesson_id: int):
    """ "Mark as done": refused (409, on the lesson's page) for a lesson its learning package completes."""
    lesson = _lesson_or_404(request, course_id, lesson_id)
    if not lesson.completed_by_package:
        return player.complete_lesson(request, course_id, lesson_id)
    response = player.lesson(request, course_id, lesson_id)
    if isinstance(response, TemplateResponse):
        response.context_data["error"] = _("This lesson is completed by its learning package: start it below.")
        response.status_code = 409
    return response
