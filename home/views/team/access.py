"""Who may open "My team": the partner admin of an active partner (the API's check), read once per request."""

from functools import wraps

from django.http import Http404

from partners.members import partner_administered_by

from ...access import portal_page

_CACHE_ATTR = "_partnerhub_administered_partner"


def administered_partner(user):
    """The partner ``user`` administers (``None``: not a partner admin); one query, cached on the user object."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return None
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, partner_administered_by(user=user))
    return getattr(user, _CACHE_ATTR)


def shows_team(request) -> bool:
    """Whether the navigation offers "My team" (partner admins only)."""
    return administered_partner(request.user) is not None


def team_page(view):
    """A portal page for partner admins only: ``view(request, partner, ...)``; 404 for everyone else."""

    @portal_page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        partner = administered_partner(request.user)
        if partner is None:
            raise Http404
        return view(request, partner, *args, **kwargs)

    return wrapper
