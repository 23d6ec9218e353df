"""The rules the LRS applies to statements of a cmi5 session before storing them (cmi5 §7.1, §9, §10.2.2).

``cmi5_statement_policy`` is registered with ``lrs.policies`` (``elearning.cmi5.receivers``); it looks only at
credentials the fetch URL issued for a cmi5 session. The cmi5 spec lets an LMS reject statements that break its
rules (§6.3); the hub rejects them (403, ``lrs.errors.Forbidden``) and stores nothing of the batch:

- every statement names the session's registration and carries its session id extension; none after the
  session was abandoned or after its "terminated"; the first one is a cmi5 defined "initialized";
- cmi5 defined statements (cmi5 category): only the AU's verbs (initialized, completed, passed, failed,
  terminated), about the launched AU (``activityId``), with the publisher id grouping of the context template;
  no verb twice in a session and only one of passed/failed; in Browse/Review only initialized and terminated;
- per registration: one "completed", one "passed", no "failed" after "passed";
- results: completed with ``completion: true``, passed ``success: true``, failed ``success: false``, each with a
  duration, as terminated; a score only on passed/failed, success/completion only where they belong; the moveOn
  category exactly on the statements with success or completion; passed at or above the masteryScore, failed
  below it; a masteryScore extension, when sent, equal to LMS.LaunchData's.

What the statements already stored say (this session's, the registration's for this AU) is read from the LRS
itself, in the transaction that stores the batch, the session row locked so two batches cannot race.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from lrs.errors import Forbidden
from lrs.models import Statement

from ..models import Cmi5Session
from . import vocabulary as v
from .statements import categories, is_defined, is_session_credential

RESULT_OF = {  # verb: (success, completion, duration required, score allowed)
    v.INITIALIZED: (None, None, False, False),
    v.COMPLETED: (None, True, True, False),
    v.PASSED: (True, None, True, True),
    v.FAILED: (False, None, True, True),
    v.TERMINATED: (None, None, True, False),
}


@dataclass
class Facts:
    session_verbs: set = field(default_factory=set)
    completed: bool = False
    passed: bool = False

    @property
    def initialized(self) -> bool:
        return v.INITIALIZED in self.session_verbs

    @property
    def terminated(self) -> bool:
        return v.TERMINATED in self.session_verbs

    def add(self, statement: dict) -> None:
        if not is_defined(statement):
            return
        verb = statement["verb"]["id"]
        self.session_verbs.add(verb)
        self.completed |= verb == v.COMPLETED
        self.passed |= verb == v.PASSED


def _facts(session: Cmi5Session) -> Facts:
    facts = Facts()
    for verb, payload in Statement.objects.filter(
        credential_id=session.credential_id, voided=False, verb_id__in=v.AU_VERBS
    ).values_list("verb_id", "payload"):
        if is_defined(payload):
            facts.session_verbs.add(verb)
    for verb, payload in Statement.objects.filter(
        registration=session.registration.registration,
        object_activity_id=session.activity_id,
        verb_id__in=[v.COMPLETED, v.PASSED],
        voided=False,
        credential__context__startswith="cmi5:session:",
    ).values_list("verb_id", "payload"):
        if is_defined(payload):
            facts.completed |= verb == v.COMPLETED
            facts.passed |= verb == v.PASSED
    return facts


def _refuse(where: str, message: str):
    raise Forbidden(f"{where}: {message} (cmi5)")


def _check_session(statement: dict, session: Cmi5Session, facts: Facts, where: str) -> None:
    context = statement.get("context") or {}
    if str(context.get("registration", "")).lower() != str(session.registration.registration):
        _refuse(where, "the context must name the launch's registration")
    if (context.get("extensions") or {}).get(v.EXT_SESSION) != str(session.session_id):
        _refuse(where, "the context must carry the session id of LMS.LaunchData's contextTemplate")
    if session.abandoned_at is not None:
        _refuse(where, "this session was abandoned: launch the AU again")
    if facts.terminated:
        _refuse(where, "this session has terminated: no statement may follow")
    if not facts.initialized and not (is_defined(statement) and statement["verb"]["id"] == v.INITIALIZED):
        _refuse(where, 'the first statement of a session is "initialized"')


def _check_result(statement: dict, session: Cmi5Session, verb: str, where: str) -> None:
    result = statement.get("result") or {}
    success, completion, needs_duration, score_allowed = RESULT_OF[verb]
    name = v.VERB_NAMES[verb]
    if success is None and "success" in result:
        _refuse(where, f'"{name}" has no result.success')
    if success is not None and result.get("success") is not success:
        _refuse(where, f'"{name}" needs result.success {str(success).lower()}')
    if (completion is None and "completion" in result) or (completion and result.get("completion") is not True):
        _refuse(where, f'"{name}" ' + ("needs result.completion true" if completion else "has no result.completion"))
    if needs_duration and "duration" not in result:
        _refuse(where, f'"{name}" needs result.duration')
    if "score" in result and not score_allowed:
        _refuse(where, f'"{name}" has no score (only passed and failed do)')
    moveon = v.CATEGORY_MOVEON in categories(statement)
    if moveon != ("success" in result or "completion" in result):
        _refuse(where, "the moveOn category goes exactly on statements with result.success or result.completion")
    mastery = session.mastery_score
    sent_mastery = ((statement.get("context") or {}).get("extensions") or {}).get(v.EXT_MASTERY)
    if sent_mastery is not None and (mastery is None or Decimal(str(sent_mastery)) != mastery):
        _refuse(where, "the masteryScore extension differs from LMS.LaunchData's")
    scaled = (result.get("score") or {}).get("scaled")
    if mastery is not None and scaled is not None:
        if verb == v.PASSED and Decimal(str(scaled)) < mastery:
            _refuse(where, f'"passed" with a scaled score below the masteryScore ({mastery})')
        if verb == v.FAILED and Decimal(str(scaled)) >= mastery:
            _refuse(where, f'"failed" with a scaled score at or above the masteryScore ({mastery})')


def _check_defined(statement: dict, session: Cmi5Session, facts: Facts, where: str) -> None:
    verb = statement["verb"]["id"]
    if verb not in v.AU_VERBS:
        _refuse(where, f'"{v.VERB_NAMES.get(verb, verb)}" is not a verb an AU may use in cmi5 defined statements')
    obj = statement["object"]
    if obj.get("objectType", "Activity") != "Activity" or obj.get("id") != session.activity_id:
        _refuse(where, "a cmi5 defined statement is about the launched AU (its object is the activityId)")
    grouping = ((statement.get("context") or {}).get("contextActivities") or {}).get("grouping") or []
    grouping = [grouping] if isinstance(grouping, dict) else grouping
    if session.unit not in {item.get("id") for item in grouping if isinstance(item, dict)}:
        _refuse(where, "the context must keep the contextTemplate's publisher id grouping")
    if verb in facts.session_verbs:
        _refuse(where, f'"{v.VERB_NAMES[verb]}" was sent already in this session')
    if verb in (v.PASSED, v.FAILED) and facts.session_verbs & {v.PASSED, v.FAILED}:
        _refuse(where, 'only one of "passed" and "failed" per session')
    if session.launch_mode != Cmi5Session.LaunchMode.NORMAL and verb not in (v.INITIALIZED, v.TERMINATED):
        _refuse(where, f"in {session.launch_mode} mode an AU sends only initialized and terminated")
    if verb == v.COMPLETED and facts.completed:
        _refuse(where, '"completed" was sent already in this registration')
    if verb == v.PASSED and facts.passed:
        _refuse(where, '"passed" was sent already in this registration')
    if verb == v.FAILED and facts.passed:
        _refuse(where, '"failed" cannot follow "passed" in a registration')
    _check_result(statement, session, verb, where)


def cmi5_statement_policy(*, credential, statements: list[dict]) -> None:
    """``lrs.policies`` policy: refuse (403) a batch from a cmi5 session's credential that breaks cmi5's rules."""
    if not is_session_credential(credential):
        return
    session = (
        Cmi5Session.objects.select_for_update().select_related("registration").filter(credential=credential).first()
    )
    if session is None:
        raise Forbidden("This cmi5 session is over.")
    stored = set(
        Statement.objects.filter(id__in=[uuid.UUID(s["id"]) for s in statements]).values_list("id", flat=True)
    )
    new = [statement for statement in statements if uuid.UUID(statement["id"]) not in stored]
    if not new:
        return
    facts = _facts(session)
    for statement in new:
        where = f"statement[{statements.index(statement)}]" if len(statements) > 1 else "statement"
        _check_session(statement, session, facts, where)
        if is_defined(statement):
            _check_defined(statement, session, facts, where)
        facts.add(statement)
