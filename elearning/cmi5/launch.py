"""Launching a cmi5 AU (cmi5 §8, §10): attempt and registration, a session, LMS.LaunchData, "launched".

``cmi5_launch_start`` resumes the learner's attempt for (user, package, context) — its registration UUID
stays, so a launch on another device continues it — or starts attempt n+1 (no attempt yet, or
``new_attempt``). Each launch is a new ``PackageLaunch`` (the token the player, the AU's files and the
fetch URL answer to; earlier launches of the attempt are revoked) and a new ``Cmi5Session``; an earlier
session of the registration still open is abandoned first ("abandoned", §9.3.6). Before the AU can load,
the ``LMS.LaunchData`` state document is written (and the learner's ``cmi5LearnerPreferences`` agent profile
when they have none, §11) and the "launched" statement recorded. The LRS credential
itself is made when the AU calls the fetch URL (``elearning.cmi5.fetch``), so no secret is ever stored.
"""

import json
import secrets
import uuid
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from lrs.agents import agent_for_user
from lrs.services import credential_revoke, state_put

from ..models import Cmi5Registration, Cmi5Session, CompletionStatus, PackageAttempt, PackageLaunch, ScoRuntime
from ..runtime.selectors import token_hash
from . import vocabulary as v
from .preferences import learner_preferences_ensure
from .progress import attempt_evaluate, au_rows, aus_of
from .statements import iso_duration, lms_record, lms_statement

LAUNCH_DATA = "LMS.LaunchData"

__all__ = ["cmi5_launch_start", "cmi5_launch_url", "cmi5_player_url", "cmi5_waive"]


def _absolute(path: str, base: str | None = None) -> str:
    return (base or settings.PARTNERHUB_PUBLIC_URL).rstrip("/") + path


def _content_path(token: str, href: str) -> tuple[str, str]:
    path, _, query = href.partition("?")
    prefix = reverse("elearning:content", kwargs={"token": token, "path": "x"})[:-1]
    return prefix + quote(path, safe="/"), query


def cmi5_player_url(token: str) -> str:
    """The cmi5 player's address for a launch token (relative; the token is its only credential)."""
    return reverse("elearning:cmi5:player", kwargs={"token": token})


def cmi5_launch_url(session: Cmi5Session, token: str, *, base: str | None = None) -> str:
    """The AU's launch URL (cmi5 §8.1): its file on the hub's origin with endpoint, fetch, actor, registration
    and activityId; ``base`` is the origin (``https://hub.example``), the public URL when not given."""
    unit = next(unit for unit in aus_of(session.launch.attempt.version) if unit["identifier"] == session.unit)
    path, query = _content_path(token, unit["href"])
    parameters = urlencode(
        {
            "endpoint": _absolute(reverse("lrs:about").rsplit("about", 1)[0], base),
            "fetch": _absolute(reverse("elearning:cmi5:fetch", kwargs={"token": token}), base),
            "actor": json.dumps(agent_for_user(session.launch.user), separators=(",", ":")),
            "registration": str(session.registration.registration),
            "activityId": session.activity_id,
        },
        quote_via=quote,
    )
    return _absolute(path, base) + "?" + (f"{query}&" if query else "") + parameters


def _expiry(now):
    return now + timedelta(seconds=settings.PARTNERHUB_LAUNCH_SECONDS)


def _attempt(*, user, package, context, new_attempt, now) -> PackageAttempt:
    attempts = PackageAttempt.objects.of(user=user, package=package, context=context)
    attempt = None if new_attempt else attempts.select_related("version").order_by("-number").first()
    if attempt is not None:
        return attempt
    attempt = PackageAttempt(
        user=user,
        package=package,
        context=context,
        number=(attempts.aggregate(last=Max("number"))["last"] or 0) + 1,
        version=package.current_version,
        started_at=now,
        last_activity_at=now,
    )
    attempt.full_clean()
    attempt.save()
    return attempt


def _resume_unit(attempt, units: list[dict], rows: dict) -> str:
    """Where a learner picks up: the AU they launched last unless it is done, else the first not done."""
    identifiers = [unit["identifier"] for unit in units]
    for unit in units:
        row = rows.get(unit["identifier"])
        if unit["identifier"] == attempt.current_unit and not (row and row.completion_status == "completed"):
            return unit["identifier"]
    for unit in units:
        row = rows.get(unit["identifier"])
        if row is None or row.completion_status != CompletionStatus.COMPLETED:
            return unit["identifier"]
    return identifiers[0]


def _launch_mode(unit: dict, row, registration) -> str:
    """Normal; Review once the AU is completed and its moveOn met (it records nothing more then)."""
    completed = row is not None and row.completion_status == CompletionStatus.COMPLETED
    passed = row is not None and row.success_status == "passed"
    waived = unit["identifier"] in registration.waived
    if completed and v.move_on_met(unit.get("move_on"), completed=completed, passed=passed, waived=waived):
        return Cmi5Session.LaunchMode.REVIEW
    return Cmi5Session.LaunchMode.NORMAL


def _mastery(unit: dict) -> Decimal | None:
    score = unit.get("mastery_score")
    return None if score is None else (Decimal(str(score)) / 100).quantize(Decimal("0.0001"))


def _abandon(session: Cmi5Session, *, agent, now) -> None:
    """End an open session the learner left without "terminated" (cmi5 §9.3.6, duration §9.5.4.2)."""
    end = session.last_statement_at or session.launched_at
    lms_record(
        [
            lms_statement(
                agent=agent,
                verb=v.ABANDONED,
                object_id=session.activity_id,
                registration=session.registration.registration,
                session_id=session.session_id,
                grouping=session.unit,
                result={"duration": iso_duration((end - session.launched_at).total_seconds())},
                now=now,
            )
        ]
    )
    session.abandoned_at = now
    session.save(update_fields=["abandoned_at"])
    if session.credential is not None:
        credential_revoke(credential=session.credential)
    ScoRuntime.objects.filter(attempt=session.registration.attempt_id, unit=session.unit).update(in_session=False)


def _launch_data(session: Cmi5Session, unit: dict, *, return_url: str) -> dict:
    data = {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": unit["identifier"]}]},
            "extensions": {v.EXT_SESSION: str(session.session_id)},
        },
        "launchMode": session.launch_mode,
        "moveOn": session.move_on,
        "returnURL": return_url,
    }
    if unit.get("parameters"):
        data["launchParameters"] = unit["parameters"]
    if session.mastery_score is not None:
        data["masteryScore"] = float(session.mastery_score)
    if unit.get("entitlement_key"):
        data["entitlementKey"] = {"courseStructure": unit["entitlement_key"]}
    return data


def _launched(session: Cmi5Session, unit: dict, *, agent, token, now) -> None:
    path, _query = _content_path(token, unit["href"])
    masked = path.replace(f"/{token}/", "/_/", 1)  # no launch token in the LRS's records
    extensions = {
        v.EXT_LAUNCH_MODE: session.launch_mode,
        v.EXT_LAUNCH_URL: _absolute(masked),
        v.EXT_MOVE_ON: session.move_on,
    }
    if unit.get("parameters"):
        extensions[v.EXT_LAUNCH_PARAMETERS] = unit["parameters"]
    if session.mastery_score is not None:
        extensions[v.EXT_MASTERY] = float(session.mastery_score)
    lms_record(
        [
            lms_statement(
                agent=agent,
                verb=v.LAUNCHED,
                object_id=session.activity_id,
                registration=session.registration.registration,
                session_id=session.session_id,
                grouping=unit["identifier"],
                extensions=extensions,
                definition={"name": {"und": unit.get("title") or unit["identifier"]}},
                now=now,
            )
        ]
    )


def cmi5_launch_start(
    *,
    user,
    package,
    context: str,
    unit: str | None = None,
    launch_mode: str | None = None,
    return_url: str = "",
    new_attempt: bool = False,
    chained_from=None,
    now=None,
) -> tuple[Cmi5Session, str]:
    """Launch AU ``unit`` (default: where the learner left off) of cmi5 ``package``; answer ``(session, token)``.

    The caller has checked the audience rule. ``launch_mode`` ("Normal", "Browse", "Review") overrides the
    default (Normal; Review once the AU is completed and its moveOn met). ``return_url`` is where the AU sends
    the learner when it ends (LMS.LaunchData ``returnURL``); when empty, the player's done page (root-relative: on
    the AU's own origin). The player is at
    ``cmi5_player_url(token)``. ``ValidationError`` for a package that is not cmi5, without a version, or an AU
    it does not have; nothing is written then.

    ``chained_from``: the launch this one replaces from inside the player (another AU, "Start again"). The new
    launch keeps its start, so the chain ends at the cap (``PARTNERHUB_LAUNCH_MAX_SECONDS``) after the launch the
    caller authorised; after that, only a launch through the audience rule goes on.
    """
    now = now or timezone.now()
    started_at = chained_from.created_at if chained_from is not None else now
    if package.standard != "cmi5":
        raise ValidationError({"package": "Only cmi5 packages launch as cmi5."})
    if package.current_version_id is None:
        raise ValidationError({"package": "The package has no version to play yet."})
    if launch_mode is not None and launch_mode not in Cmi5Session.LaunchMode.values:
        raise ValidationError({"launch_mode": "Normal, Browse or Review."})
    agent = agent_for_user(user)
    with transaction.atomic():
        attempt = _attempt(user=user, package=package, context=context or "", new_attempt=new_attempt, now=now)
        registration, created = Cmi5Registration.objects.get_or_create(attempt=attempt, defaults={"created_at": now})
        units = aus_of(attempt.version)
        rows = au_rows(attempt)
        identifier = unit or _resume_unit(attempt, units, rows)
        unit_data = next((item for item in units if item["identifier"] == identifier), None)
        if unit_data is None:
            raise ValidationError({"unit": "This package has no such AU."})
        for previous in registration.sessions.filter(
            terminated_at__isnull=True, abandoned_at__isnull=True
        ).select_related("credential", "registration"):
            _abandon(previous, agent=agent, now=now)
        PackageLaunch.objects.filter(attempt=attempt, revoked_at__isnull=True).update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        launch = PackageLaunch(
            token_hash=token_hash(token),
            user=user,
            attempt=attempt,
            unit=identifier,
            created_at=started_at,
            expires_at=min(_expiry(now), started_at + timedelta(seconds=settings.PARTNERHUB_LAUNCH_MAX_SECONDS)),
        )
        launch.full_clean()
        launch.save()
        row = rows.get(identifier) or ScoRuntime(attempt=attempt, unit=identifier)
        session = Cmi5Session(
            launch=launch,
            registration=registration,
            unit=identifier,
            activity_id=v.au_activity_id(package, identifier),
            launch_mode=launch_mode or _launch_mode(unit_data, rows.get(identifier), registration),
            mastery_score=_mastery(unit_data),
            move_on=unit_data.get("move_on") or "NotApplicable",
            return_url=return_url,
            launched_at=now,
        )
        session.full_clean()
        session.save()
        # Root-relative: the AU runs on the hub's origin, whichever name the learner reached it by.
        done_url = reverse("elearning:cmi5:done", kwargs={"token": token})
        state_put(
            activity_id=session.activity_id,
            agent=agent,
            registration=registration.registration,
            state_id=LAUNCH_DATA,
            content=json.dumps(_launch_data(session, unit_data, return_url=return_url or done_url)).encode(),
            content_type="application/json",
        )
        learner_preferences_ensure(user=user, agent=agent)  # cmi5 §11, read by the AU at startup
        _launched(session, unit_data, agent=agent, token=token, now=now)
        if created:  # moveOn is evaluated when the registration is made (§9.6.1): NotApplicable AUs are met
            attempt_evaluate(registration=registration, session=session, always_announce=False, now=now)
        row.session_count += 1
        row.in_session = True
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
        attempt.current_unit = identifier
        attempt.last_activity_at = now
        attempt.save(update_fields=["current_unit", "last_activity_at"])
    return session, token


def cmi5_waive(*, attempt: PackageAttempt, unit: str, reason: str = "Administrative", now=None) -> PackageAttempt:
    """Waive AU ``unit`` of ``attempt`` (cmi5 §9.3.7): its moveOn counts as met; recorded once per registration.

    ``reason`` is one of cmi5's: "Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative".
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration, _created = Cmi5Registration.objects.select_for_update().get_or_create(attempt=attempt)
        if unit not in [item["identifier"] for item in aus_of(attempt.version)]:
            raise ValidationError({"unit": "This package has no such AU."})
        if unit in registration.waived:
            raise ValidationError({"unit": "This AU is waived already."})
        waiver_session = uuid.uuid4()  # a session id of its own (§9.3.7)
        lms_record(
            [
                lms_statement(
                    agent=agent_for_user(attempt.user),
                    verb=v.WAIVED,
                    object_id=v.au_activity_id(attempt.package, unit),
                    registration=registration.registration,
                    session_id=waiver_session,
                    grouping=unit,
                    result={"success": True, "completion": True, "extensions": {v.EXT_REASON: reason}},
                    now=now,
                )
            ]
        )
        registration.waived = [*registration.waived, unit]
        registration.save(update_fields=["waived"])
        attempt_evaluate(registration=registration, session_id=waiver_session, now=now)
    attempt.refresh_from_db()
    return attempt
