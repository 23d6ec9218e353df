"""Partner API routes of lessons made of learning packages: launching the lesson's package, and its blocks' JSON.

``POST /lessons/{id}/launch`` answers a signed, short-lived player URL for the caller (its token is its only
credential; no other user, signed in or not, can use it), which any front end can embed in a frame. A lesson
of a course the caller may not see is a 404 and launches nothing; not enrolled, or no package to play, a 409.
"""

from datetime import datetime

from django.http import Http404

from ninja import Field, Router, Schema, Status

from elearning.models import Package

from .. import selectors
from ..package_lessons import package_refs, package_results_of, result_summary
from ..services.errors import CourseError
from ..services.packages import package_lesson_launch
from .catalogue import ErrorOut

router = Router()


class PackageAttemptOut(Schema):
    id: int
    number: int
    version: int = Field(description="The package version the attempt plays (kept until it is done).")
    status: str
    completion_status: str
    success_status: str
    score: float | None = Field(description="Percent, as the package reports it.")
    started_at: datetime
    last_activity_at: datetime


class LaunchOut(Schema):
    launch_url: str = Field(description="The player's address (signed, short-lived, for this learner only).")
    expires_at: datetime
    standard: str
    lesson_id: int
    attempt: PackageAttemptOut


class LaunchIn(Schema):
    block_id: str | None = Field(None, description="Which package block of the lesson (default: the first).")


class PackageResultOut(Schema):
    completed: bool
    passed: bool | None
    score: float | None
    best_score: float | None
    rule_met: bool = Field(description="The block's completion rule is met (the lesson is done).")
    updated_at: datetime


def attempt_out(attempt) -> dict:
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "version": attempt.version.number,
        "status": attempt.status,
        "completion_status": attempt.completion_status,
        "success_status": attempt.success_status,
        "score": attempt.score_percent,
        "started_at": attempt.started_at,
        "last_activity_at": attempt.last_activity_at,
    }


@router.post(
    "/lessons/{int:lesson_id}/launch",
    operation_id="courses_api_launch_lesson_package",
    response={200: LaunchOut, 404: ErrorOut, 409: ErrorOut},
    summary="Launch the lesson's learning package",
    description="Resumes my attempt (or starts one) and answers the player's URL, signed and short-lived: embed it "
    "in a frame or open it. The lesson completes when the package's results meet the lesson's rule.",
)
def launch_lesson_package(request, lesson_id: int, payload: LaunchIn | None = None):
    lesson = selectors.lesson_for_partner(user=request.auth, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        launched = package_lesson_launch(
            user=request.auth, lesson=lesson, block_id=payload.block_id if payload else None
        )
    except CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return {
        "launch_url": request.build_absolute_uri(launched.url),
        "expires_at": launched.expires_at,
        "standard": launched.standard,
        "lesson_id": lesson.pk,
        "attempt": attempt_out(launched.attempt),
    }


def package_blocks_out(*, user, lesson) -> dict[str, dict]:
    """The JSON of the lesson's package blocks, by block id (two queries: the packages, the learner's results)."""
    refs = package_refs(lesson)
    if not refs:
        return {}
    packages = Package.objects.in_bulk({ref.package_id for ref in refs})
    mine = package_results_of(user=user, lesson_ids=[lesson.pk]).get(lesson.pk, [])
    results = {(result.package_id, result.unit): result for result in mine}
    blocks = {}
    for ref in refs:
        package = packages.get(ref.package_id)
        result = results.get(ref.key)
        blocks[ref.block_id] = {
            "type": "package",
            "block_id": ref.block_id,
            "available": package is not None,
            "package": {"id": package.pk, "title": package.title, "standard": package.standard} if package else None,
            "unit": ref.unit or None,
            "completion_rule": ref.completion_rule,
            "counts_score": ref.counts_score,
            "pass_mark": ref.pass_mark,
            "result": result_summary([result]) if result else None,
            "launch": f"/api/v1/lessons/{lesson.pk}/launch",
        }
    return blocks
