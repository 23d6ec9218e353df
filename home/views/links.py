"""The links hub: the partner's other systems (deal registration, MDF claims, ordering, support)."""

from django.template.response import TemplateResponse

from ..access import portal_page
from ..models import PortalLink


@portal_page
def links(request):
    return TemplateResponse(request, "home/links.html", {"links": list(PortalLink.objects.for_hub(user=request.user))})
