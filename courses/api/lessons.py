"""Partner API routes of lessons: a lesson's blocks (library assets through the audience rule), marked done
(a lesson made of a learning package is done only through the package: "complete" answers 409 for it).

A lesson of a course the caller may not see is a 404; one of a course they are not enrolled in, a 409.
"""

from django.http import Http404

from ninja import Field, Router, Schema, Status

from cms.api import asset_summary
from cms.models import Asset
from cms.rich_text import rich_text_html
from cms.selectors import attach_summary_relations

from .. import selectors
from ..services.enrollment import lesson_open
from ..services.errors import CourseError
from ..services.packages import lesson_mark_done
from .catalogue import ErrorOut
from .packages import package_blocks_out

router = Router()


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
        "`asset` (the library asset's current live version, or `available: false`), `package` (a learning "
        "package: launch it with `POST lessons/{id}/launch`; my results; the lesson completes through it)."
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
    packages = package_blocks_out(user=request.auth, lesson=lesson)
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
        elif kind == "package" and block.id in packages:
            blocks.append(packages[block.id])
    return blocks


@router.get(
    "/lessons/{int:lesson_id}",
    operation_id="courses_api_get_lesson",
    response={200: LessonOut, 404: ErrorOut, 409: ErrorOut},
    summary="A lesson",
)
def get_lesson(request, lesson_id: int):
    lesson = selectors.lesson_for_partner(user=request.auth, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        lesson_open(user=request.auth, lesson=lesson)
    except CourseError as error:
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
    operation_id="courses_api_complete_lesson",
    response={200: LessonOut, 404: ErrorOut, 409: ErrorOut},
    summary="Mark a lesson done",
    description="Idempotent. Completing the last lesson (with every required quiz passed) completes the course. "
    "409 for a lesson made of a learning package: it completes through the package.",
)
def complete_lesson(request, lesson_id: int):
    lesson = selectors.lesson_for_partner(user=request.auth, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        lesson_mark_done(user=request.auth, lesson=lesson)
    except CourseError as error:
        return Status(error.status, {"detail": str(error)})
    return _lesson(request, lesson)
