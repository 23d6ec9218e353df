"""A user's own preferences (``UserPreferences``): their language and which e-mails they get. Reads and writes.

Language: the portal's pages and the content variant shown first follow it (``UserLanguageMiddleware``); empty
means the browser's (``Accept-Language``). It is copied into the session at sign-in and whenever it changes (to
every session of the user that is tracked), so that a request reads it without a query.

E-mails: ``EMAIL_PREFERENCES`` are the kinds a user may turn off. The code that sends each kind filters its
recipients with ``wants_email`` (a ``Q`` on the users) or ``email_wanted`` (one loaded user): someone who
turned a kind off gets none of it. A user without a row gets everything.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from allauth.usersessions.models import UserSession

from core.models import model_update

from .models import UserPreferences

#: Where a session keeps its user's language ("" for the browser's); absent: not read yet.
LANGUAGE_SESSION_KEY = "partnerhub_language"


@dataclass(frozen=True)
class EmailPreference:
    kind: str  # what the senders name it by
    field: str  # the ``UserPreferences`` field
    label: str
    help_text: str


ASSET_UPDATES = "asset_updates"
COURSE_REMINDERS = "course_reminders"
CERTIFICATE_REMINDERS = "certificate_reminders"

EMAIL_PREFERENCES = (
    EmailPreference(
        ASSET_UPDATES,
        "email_asset_updates",
        _("Updated assets"),
        _("A digest when an asset I downloaded has a new version."),
    ),
    EmailPreference(
        COURSE_REMINDERS,
        "email_course_reminders",
        _("Course due dates"),
        _("Reminders before a course assigned to me is due."),
    ),
    EmailPreference(
        CERTIFICATE_REMINDERS,
        "email_certificate_reminders",
        _("Certificate expiry"),
        _("Before a certificate expires and when it has: mine, and my colleagues' if I am a partner admin."),
    ),
)
_FIELDS = {preference.kind: preference.field for preference in EMAIL_PREFERENCES}


# --- selectors -------------------------------------------------------------------------------


def preferences_of(user) -> UserPreferences:
    """``user``'s preferences: their row, or unsaved defaults (one query)."""
    return UserPreferences.objects.filter(user_id=user.pk).first() or UserPreferences(user_id=user.pk)


def wants_email(kind: str, *, user_path: str = "") -> Q:
    """Users (reached through ``user_path``, e.g. ``"user__"``) who did not turn off e-mails of ``kind``."""
    return ~Q(**{f"{user_path}preferences__{_FIELDS[kind]}": False})


def email_wanted(user, kind: str) -> bool:
    """Does ``user`` get e-mails of ``kind``? (Load ``preferences`` with the user to save the query.)"""
    try:
        return getattr(user.preferences, _FIELDS[kind])
    except ObjectDoesNotExist:
        return True


def language_of(user) -> str:
    """``user``'s language code, or "" for the browser's (one query)."""
    return UserPreferences.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""


def session_language(request) -> str:
    """The signed-in user's language for this request ("" for the browser's), read once per session."""
    session = request.session
    language = session.get(LANGUAGE_SESSION_KEY)
    if language is None:
        language = session[LANGUAGE_SESSION_KEY] = language_of(request.user)
    return language


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user, request=None, **changes) -> UserPreferences:
    """Change some of ``user``'s preferences (``language``, ``email_*``): validated, then saved.

    A changed language is copied into every tracked session of the user (and the request's), so each
    of them shows it from its next page on.
    """
    allowed = {"language", *_FIELDS.values()}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Not a preference: {', '.join(sorted(unknown))}")
    preferences = preferences_of(user)
    old_language = preferences.language
    if preferences._state.adding:
        for name, value in changes.items():
            setattr(preferences, name, value)
        preferences.full_clean()
        preferences.save()
    else:
        preferences, _changed = model_update(instance=preferences, fields=list(changes), data=changes)
    if preferences.language != old_language:
        sessions_language_set(user=user, language=preferences.language, request=request)
    return preferences


def sessions_language_set(*, user, language: str, request=None) -> None:
    """Write ``language`` into the request's session and every other tracked session of ``user``."""
    current_key = None
    if request is not None and getattr(request, "session", None) is not None:
        request.session[LANGUAGE_SESSION_KEY] = language
        current_key = request.session.session_key
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for session_key in UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True):
        if session_key == current_key:
            continue
        session: SessionBase = store(session_key=session_key)
        if session.exists(session_key):
            session[LANGUAGE_SESSION_KEY] = language
            session.save(must_create=False)


@receiver(user_logged_in, dispatch_uid="partnerhub-language-at-sign-in")
def remember_language_at_sign_in(sender, request, user, **kwargs) -> None:
    """A new session starts with its user's language (no query for it on the requests that follow)."""
    if request is not None and getattr(request, "session", None) is not None:
        request.session[LANGUAGE_SESSION_KEY] = language_of(user)
