"""What every page of the portal and the sign-in pages knows: the vendor's branding and the navigation."""

from django.urls import reverse

from .access import portal_enabled
from .models import PortalBranding


def navigation(request) -> list[dict]:
    """The portal's main navigation for a signed-in user, with the current section marked."""
    items = [
        {"label": "Home", "url": "/"},
        {"label": "Links", "url": reverse("home:links")},
    ]
    path = request.path
    for item in items:
        item["current"] = path == item["url"] if item["url"] == "/" else path.startswith(item["url"])
    return items


def portal(request) -> dict:
    branding = PortalBranding.load(request_or_site=request)
    enabled = portal_enabled()
    return {
        "branding": branding,
        "portal_enabled": enabled,
        "portal_navigation": navigation(request) if enabled and request.user.is_authenticated else [],
    }
