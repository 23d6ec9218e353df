"""Who may use the portal's pages: partner users with access today. Everyone else is told where to go.

``portal_page`` wraps a portal view: the portal switched off (``PARTNERHUB_PORTAL_ENABLED``) is 404; signed out
goes to the sign-in page and back; signed in without partner access (staff, or access ended) gets a page
saying so (403), never partner content. An item locked by a certification (``cms.gating.locking``) gets a
page saying what unlocks it (403), never its content.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from cms.gating.locking import ItemLocked
from partners.audience import viewer_for


def portal_enabled() -> bool:
    return settings.PARTNERHUB_PORTAL_ENABLED


def not_a_partner_response(request):
    return render(request, "home/not_a_partner.html", status=403)


def portal_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not portal_enabled():
            raise Http404("The partner portal is switched off.")
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if viewer_for(request.user) is None:
            return not_a_partner_response(request)
        try:
            return view(request, *args, **kwargs)
        except ItemLocked as locked:
            return locked_response(request, locked)

    return wrapper


def locked_response(request, locked: ItemLocked):
    """403: the item exists for this user (they are in its audience) but needs a certification; what unlocks it."""
    return render(request, "home/locked.html", {"item": locked.item, "unlock": locked.unlock}, status=403)
