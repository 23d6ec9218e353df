"""The statements the LMS itself records for cmi5 (launched, abandoned, waived, satisfied), and reading them.

They are stored through ``lrs.services.statements_store`` with the hub's own LMS credential (its secret is
thrown away: it never travels over HTTP), so their ``authority`` names the hub, not the learner's launch.
"""

import re
import uuid
from datetime import UTC
from decimal import Decimal

from django.db import transaction

from lrs.models import Credential
from lrs.services import credential_issue, statements_store

from .vocabulary import CATEGORY_CMI5, CATEGORY_MOVEON, EXT_SESSION, VERB_NAMES

LMS_CONTEXT = "cmi5:lms"
SESSION_CONTEXT = "cmi5:session:"
_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def lms_credential() -> Credential:
    """The hub's own credential for the statements it records as the LMS (made once, never expires)."""
    credential = Credential.objects.filter(user__isnull=True, context=LMS_CONTEXT, revoked_at__isnull=True).first()
    if credential is None:
        with transaction.atomic():
            credential, _secret = credential_issue(
                user=None,
                agent=None,
                expires_at=None,
                scopes=[Credential.Scope.STATEMENTS_WRITE],
                name="Partner Hub cmi5 LMS",
                context=LMS_CONTEXT,
            )
    return credential


def is_session_credential(credential) -> bool:
    return credential is not None and (credential.context or "").startswith(SESSION_CONTEXT)


def iso(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(seconds) -> str:
    return f"PT{max(Decimal(seconds), Decimal(0)).quantize(Decimal('0.01'))}S"


def duration_seconds(value) -> Decimal:
    """Seconds of an ISO 8601 duration as statements carry it (``PT1H2M3.5S``, ``P1DT2H``); 0 when unreadable."""
    match = _DURATION.match(value or "") if isinstance(value, str) else None
    if not match:
        return Decimal(0)
    days, hours, minutes, seconds = (Decimal(part or 0) for part in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


def categories(statement: dict) -> set[str]:
    category = ((statement.get("context") or {}).get("contextActivities") or {}).get("category") or []
    if isinstance(category, dict):
        category = [category]
    return {item.get("id") for item in category if isinstance(item, dict)}


def is_defined(statement: dict) -> bool:
    """A "cmi5 defined" statement: it carries the cmi5 category (cmi5 §7.1.3); others are "cmi5 allowed"."""
    return CATEGORY_CMI5 in categories(statement)


def lms_statement(
    *, agent, verb, object_id, registration, session_id, grouping, result=None, extensions=None, definition=None, now
) -> dict:
    """A cmi5 defined statement made by the LMS (cmi5 §9: category, publisher id grouping, session id)."""
    moveon = result is not None and ("success" in result or "completion" in result)
    category = [{"id": CATEGORY_CMI5}] + ([{"id": CATEGORY_MOVEON}] if moveon else [])
    statement = {
        "id": str(uuid.uuid4()),
        "actor": agent,
        "verb": {"id": verb, "display": {"en-US": VERB_NAMES[verb]}},
        "object": {"objectType": "Activity", "id": object_id},
        "context": {
            "registration": str(registration),
            "contextActivities": {"category": category, "grouping": [{"id": grouping}]},
            "extensions": {EXT_SESSION: str(session_id), **(extensions or {})},
        },
        "timestamp": iso(now),
    }
    if definition:
        statement["object"]["definition"] = definition
    if result is not None:
        statement["result"] = result
    return statement


def lms_record(statements: list[dict]) -> list[str]:
    """Store statements as the LMS (validated by the LRS like any other; the cmi5 policy leaves them alone)."""
    return statements_store(credential=lms_credential(), statements=statements) if statements else []
