"""What every page of the portal and the sign-in pages knows: the vendor's branding and the navigation."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .access import portal_enabled
from .models import PortalBranding


def navigation(request) -> list[dict]:
    """The portal's main navigation for a signed-in user, with the current section marked."""
    items = [
        {"label": "Home", "url": "/"},
        {"label": "Links", "url": reverse("home:links")},
        {"label": "Programs", "url": reverse("home:programs")},
        {"label": "Bulletins", "url": reverse("home:bulletins")},
    ]
    path = request.path
    for item in items:
        item["current"] = path == item["url"] if item["url"] == "/" else path.startswith(item["url"])
    return items


def portal(request) -> dict:
    enabled = portal_enabled()
    return {
        # Lazy: read (one query) only by the templates that show it, never by the admin's.
        "branding": SimpleLazyObject(lambda: PortalBranding.load(request_or_site=request)),
        "portal_enabled": enabled,
        "portal_navigation": navigation(request) if enabled and request.user.is_authenticated else [],
    }
