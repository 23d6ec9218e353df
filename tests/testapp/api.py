"""A paginated, audience-filtered list of the test-only gated model, built with the shared API helpers."""

from ninja import Router, Schema
from ninja.pagination import paginate

from cms.apiv1.root import build_api
from core.api import PageNumberPagination
from tests.testapp.models import GatedItem

router = Router()


class ItemOut(Schema):
    id: int
    title: str


@router.get("/items", response=list[ItemOut])
@paginate(PageNumberPagination)
def list_items(request):
    return GatedItem.objects.visible_to(request.auth).order_by("pk")


@router.get("/items/{int:item_id}", response=ItemOut)
def get_item(request, item_id: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(GatedItem.objects.visible_to(request.auth), pk=item_id)


api = build_api(urls_namespace="api-test", title="Test API")
api.add_router("", router)
