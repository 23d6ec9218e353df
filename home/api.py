"""Partner API routes of the portal: the links hub (``GET /api/v1/links``), for front ends that bring their own."""

from ninja import Router, Schema

from .models import PortalLink

router = Router(tags=["portal"])


class PortalLinkOut(Schema):
    id: int
    title: str
    description: str
    url: str
    icon: str


@router.get(
    "/links",
    response=list[PortalLinkOut],
    summary="Links to my other partner systems",
    description="The links hub: deal registration, MDF claims, ordering, support… in the editors' order, only those "
    "meant for me (tier, partner type, region, role).",
)
def links(request):
    return list(PortalLink.objects.for_hub(user=request.auth))
