"""The fetch URL (cmi5 §8.2): one POST per launch gets the AU its LRS credential, as ``{"auth-token": …}``.

The credential is made at that moment (so its secret is never stored, only its HMAC): it acts for the
learner, bound to their agent, the registration and the AU's activity id, may write statements, read its own,
use the state resource and its learner's agent profile, and expires when the launch would at the latest. Every
other call answers cmi5's error JSON (HTTP 200, as §8.2.1 asks): ``"1"`` when the token was handed out already
or the launch is over (expired, revoked by a later launch, abandoned, terminated), ``"2"`` for an unknown token or a
learner who lost access, ``"3"`` for a launch that is not cmi5's.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lrs.agents import agent_for_user
from lrs.hashing import basic_token
from lrs.models import Credential
from lrs.services import credential_issue

from ..models import Cmi5Session, PackageLaunch
from ..runtime.selectors import learner_has_access, token_hash
from .statements import SESSION_CONTEXT

SCOPES = [
    Credential.Scope.STATEMENTS_WRITE,
    Credential.Scope.STATEMENTS_READ_MINE,
    Credential.Scope.STATE,
    Credential.Scope.PROFILE,  # its learner's agent profile (cmi5LearnerPreferences, cmi5 §11)
]
ERRORS = {
    "1": "The authorization token has already been returned, or this launch has ended: launch the AU again.",
    "2": "This launch is not valid.",
    "3": "This launch cannot hand out a token.",
}


def fetch_error(code: str) -> dict:
    return {"error-code": code, "error-text": ERRORS[code]}


def credential_expiry(launch: PackageLaunch):
    """The credential lives as long as the launch could: its hard cap after it was made."""
    return launch.created_at + timedelta(seconds=settings.PARTNERHUB_LAUNCH_MAX_SECONDS)


def cmi5_fetch(*, token: str, user=None, now=None) -> dict:
    """The fetch URL's answer for launch ``token``: ``{"auth-token": …}`` once, cmi5's error JSON after that.

    ``user``: who is signed in on the request, if anyone; another learner's session gets ``"2"``.
    """
    now = now or timezone.now()
    if not token or len(token) > 100:
        return fetch_error("2")
    with transaction.atomic():
        session = (
            Cmi5Session.objects.select_for_update()
            .select_related("launch__user", "registration")
            .filter(launch__token_hash=token_hash(token))
            .first()
        )
        if session is None:
            exists = PackageLaunch.objects.filter(token_hash=token_hash(token)).exists()
            return fetch_error("3" if exists else "2")
        launch = session.launch
        if user is not None and user.is_authenticated and user.pk != launch.user_id:
            return fetch_error("2")
        if not learner_has_access(launch.user, now=now):
            return fetch_error("2")
        if launch.revoked_at is not None or launch.expires_at <= now or not session.is_open:
            return fetch_error("1")
        if session.fetched_at is not None or session.credential_id is not None:
            return fetch_error("1")
        credential, secret = credential_issue(
            user=launch.user,
            agent=agent_for_user(launch.user),
            expires_at=credential_expiry(launch),
            scopes=SCOPES,
            registration=session.registration.registration,
            activity_id=session.activity_id,
            context=f"{SESSION_CONTEXT}{session.session_id}",
            name="cmi5 launch",
        )
        session.credential = credential
        session.fetched_at = now
        session.save(update_fields=["credential", "fetched_at"])
    return {"auth-token": basic_token(credential.key, secret)}
