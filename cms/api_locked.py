"""``GET /api/v1/locked``: the items a certification would unlock for me (``cms.gating.locking``).

Every kind of gated content, live and in my audience apart from a certification that I (or my company)
lack, with what unlocks each. A fixed number of queries: one per kind, then the unlock hints.
"""

from ninja import Router
from ninja.pagination import paginate

from core.api import PageNumberPagination

from .gating.locking import locked_for, unlock_payloads
from .gating.models import gated_content_models
from .schemas import LockedItemOut

router = Router(tags=["content"])

#: At most this many locked items of each kind are listed (the newest first).
LOCKED_PER_KIND = 200


@router.get(
    "/locked",
    response=list[LockedItemOut],
    summary="What a certification would unlock for me",
    description="Items I may know exist (I am in their audience) that require a certification I or my company "
    "lack, newest first per kind, each with the certification and the courses that earn it.",
)
@paginate(PageNumberPagination)
def list_locked(request):
    items = []
    for model in gated_content_models():
        locked = locked_for(model, request.auth).order_by("-last_published_at", "-pk")
        fields = ("pk", "title", "required_qualification_id", "required_qualification_mode", "required_holders")
        items += [(model._meta.model_name, item) for item in locked.only(*fields)[:LOCKED_PER_KIND]]
    unlock = unlock_payloads(user=request.auth, items=[item for _kind, item in items]) if items else []
    return [
        {"kind": kind, "id": item.pk, "title": item.title, "unlock": hint}
        for (kind, item), hint in zip(items, unlock, strict=True)
    ]
