"""Writes of sign-in sessions: tracked per user (allauth's ``usersessions``), ended at once on lock-out."""

from allauth.usersessions.models import UserSession

from .throttling import client_address

#: Stored for a sign-in whose client address is unknown (a test client, a shell).
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 (a placeholder value, never bound)


def session_track(*, request, user) -> UserSession | None:
    """Record the request's session as one of ``user``'s (idempotent); ``None`` without a session."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.session_key:
        session.save()
    user_agent = request.META.get("HTTP_USER_AGENT", "")[: UserSession._meta.get_field("user_agent").max_length]
    tracked, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": client_address(request) or UNKNOWN_ADDRESS, "user_agent": user_agent},
    )
    return tracked


def sessions_end(*, user_ids) -> int:
    """End every session of these users (deleted from the session store); return how many were ended."""
    ended = 0
    for tracked in UserSession.objects.filter(user_id__in=list(user_ids)):
        tracked.end()
        ended += 1
    return ended


def session_forget(*, session_key: str | None) -> None:
    """Stop tracking a session that was signed out."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()
