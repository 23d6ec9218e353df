"""What every page of the portal and the sign-in pages knows: the vendor's branding and the navigation."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .access import portal_enabled
from .models import PortalBranding
from .views.team.access import shows_team


def navigation(request) -> list[dict]:
    """The portal's main navigation for a signed-in user, with the current section marked."""
    items = [
        {"label": _("Home"), "url": "/"},
        {"label": _("Library"), "url": reverse("home:library")},
        {"label": _("Programs"), "url": reverse("home:programs")},
        {"label": _("Bulletins"), "url": reverse("home:bulletins")},
        {"label": _("Learning"), "url": reverse("home:learning")},
        {"label": _("Certifications"), "url": reverse("home:certifications")},
        *([{"label": _("My team"), "url": reverse("home:team")}] if shows_team(request) else []),
        {"label": _("Links"), "url": reverse("home:links")},
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
