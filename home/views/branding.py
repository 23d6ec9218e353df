"""``/portal/brand.css``: the vendor's colours as CSS custom properties (no inline style under the CSP)."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..models import PortalBranding

BRAND_CSS = ":root {{ --accent: {primary}; --accent-dark: {primary}; --accent-2: {accent}; }}\n"


@require_GET
def brand_css(request):
    branding = PortalBranding.load(request_or_site=request)
    response = HttpResponse(
        BRAND_CSS.format(primary=branding.primary_colour, accent=branding.accent_colour), content_type="text/css"
    )
    patch_cache_control(response, public=True, max_age=300)
    return response
