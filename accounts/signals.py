"""Receivers of accounts: sessions tracked at sign-in and ended when access is revoked."""

from .addresses import known_address_adopt
from .sessions import session_track, sessions_end


def track_session(sender, request, user, **kwargs):
    """Django's ``user_logged_in``: every sign-in (the admin's, /accounts/'s, a test client's) is tracked,
    and the address an operator gave the user is taken as theirs."""
    if request is not None:
        session_track(request=request, user=user)
    known_address_adopt(user=user)


def end_sessions_of_revoked_users(sender, user_ids, **kwargs):
    """``core.signals.access_revoked``: the users' sessions end now, not at their next request."""
    sessions_end(user_ids=user_ids)
