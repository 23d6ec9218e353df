"""Who may use a launch: its token, nothing else; a signed-in session of another user is refused too (404)."""

from django.http import Http404

from ..runtime.selectors import live_launch
from ..services.runtime import launch_touch


def launch_or_404(request, token: str):
    """The live launch of ``token``, its expiry slid forward; 404 when unknown, expired, revoked or someone else's."""
    launch = live_launch(token)
    if launch is None:
        raise Http404
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.pk != launch.user_id:
        raise Http404
    return launch_touch(launch=launch)
