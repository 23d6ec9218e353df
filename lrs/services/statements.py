"""Storing statements (Communication §2.1.1-2.1.2, Data §2.3): validated whole, authorised, atomic.

A batch is stored entirely or not at all: one malformed statement (400), one the credential may not
write (403) or one that conflicts with a stored statement of the same id (409) rejects the whole
request and stores nothing. A statement sent again unchanged is a no-op. A voiding statement voids
its target (now or when the target arrives later); a voiding statement itself cannot be voided.
``core.signals.statement_stored`` is sent for each newly stored statement after the commit.
"""

import copy
import uuid
from datetime import UTC, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.signals import statement_stored

from ..conf import max_batch_size
from ..errors import BadRequest, Conflict, Forbidden, TooLarge
from ..indexing import (
    activities_of,
    agents_of,
    authority_for,
    comparable,
    context_activity_ids,
    is_voiding,
    object_type,
)
from ..models import Credential, Statement, StatementActivity, StatementAgent
from ..policies import run_statement_policies
from ..validation import agent_ifi, agent_label, parse_timestamp, validate_statement
from .activities import activities_define


def _as_batch(statements, statement_id) -> list[dict]:
    if statement_id is not None:
        if not isinstance(statements, dict):
            raise BadRequest("PUT takes a single statement.")
        sent_id = statements.get("id")
        if sent_id is not None and str(sent_id).lower() != str(statement_id).lower():
            raise BadRequest("The statement's id differs from the statementId parameter.")
        statements = {**statements, "id": str(statement_id)} if sent_id is None else statements
        return [statements]
    if isinstance(statements, dict):
        return [statements]
    if isinstance(statements, list):
        return statements
    raise BadRequest("Send a statement or a list of statements (JSON).")


def _authorise(credential: Credential, statements: list[dict]) -> None:
    if not credential.has_scope(Credential.Scope.STATEMENTS_WRITE):
        raise Forbidden("This credential may not write statements.")
    if not credential.agent_ifi:
        return
    for n, statement in enumerate(statements):
        where = f"statement[{n}]" if len(statements) > 1 else "statement"
        if is_voiding(statement):
            raise Forbidden(f"{where}: this credential may not void statements.")
        if agent_ifi(statement["actor"]) != credential.agent_ifi:
            raise Forbidden(f"{where}: this credential writes statements of its own agent only.")
        registration = statement.get("context", {}).get("registration")
        if credential.registration and (registration or "").lower() != str(credential.registration):
            raise Forbidden(f"{where}: this credential writes statements of its own registration only.")
        if credential.activity_id:
            obj = statement["object"]
            ids = [obj["id"]] if object_type(obj) == "Activity" else []
            ids += context_activity_ids(statement.get("context"))
            if not any(credential.covers_activity(i) for i in ids):
                raise Forbidden(f"{where}: this credential writes statements about its own activity only.")


def _same(stored: Statement, sent: dict) -> bool:
    if comparable(stored.payload) != comparable(sent):
        return False
    if "timestamp" not in sent:
        return True
    return parse_timestamp(sent["timestamp"], "timestamp") == stored.timestamp


def _iso(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _row(sent: dict, *, credential: Credential, stored) -> Statement:
    payload = copy.deepcopy(sent)
    payload["stored"] = _iso(stored)
    payload["authority"] = authority_for(credential)
    payload.setdefault("timestamp", payload["stored"])
    payload.setdefault("version", "1.0.0")
    obj = payload["object"]
    ref = uuid.UUID(obj["id"]) if object_type(obj) == "StatementRef" else None
    registration = payload.get("context", {}).get("registration")
    return Statement(
        id=uuid.UUID(payload["id"]),
        payload=payload,
        verb_id=payload["verb"]["id"],
        actor_ifi=agent_ifi(payload["actor"]),
        actor_label=agent_label(payload["actor"]),
        object_activity_id=obj["id"] if object_type(obj) == "Activity" else "",
        object_statement_id=ref,
        ref_root_id=ref,
        registration=uuid.UUID(registration) if registration else None,
        is_voiding=is_voiding(payload),
        timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
        stored=stored,
        credential=credential,
    )


def _check_voiding_targets(rows: list[Statement]) -> None:
    targets = {row.object_statement_id for row in rows if row.is_voiding}
    if not targets:
        return
    voiding_in_batch = {row.id for row in rows if row.is_voiding}
    stored_voiding = set(Statement.objects.filter(id__in=targets, is_voiding=True).values_list("id", flat=True))
    if targets & (voiding_in_batch | stored_voiding):
        raise BadRequest("A voiding statement cannot be voided.")


def _resolve_reference_chains(rows: list[Statement]) -> None:
    """``ref_root_id``: the far end of each StatementRef chain, so filters can follow references (§2.1.3)."""
    refs = [row for row in rows if row.object_statement_id]
    if not refs:
        return
    by_id = {row.id: row for row in rows}
    targets = {row.object_statement_id for row in refs} - set(by_id)
    stored = {
        s.id: s for s in Statement.objects.filter(id__in=targets).only("id", "object_statement_id", "ref_root_id")
    }
    for _pass in refs:  # a chain within the batch settles in at most as many passes as it has links
        changed = False
        for row in refs:
            target = by_id.get(row.object_statement_id) or stored.get(row.object_statement_id)
            if target is not None and target.object_statement_id and target is not row:
                root = target.ref_root_id or target.object_statement_id
                changed |= root != row.ref_root_id
                row.ref_root_id = root
        if not changed:
            break


def statements_store(*, credential: Credential, statements, statement_id=None) -> list[str]:
    """Store one statement (``statement_id``: PUT) or a batch (POST); return every id in the order sent."""
    batch = _as_batch(statements, statement_id)
    if len(batch) > max_batch_size():
        raise TooLarge(f"At most {max_batch_size()} statements per request.")
    for n, statement in enumerate(batch):
        validate_statement(statement, f"statement[{n}]" if len(batch) > 1 else "statement")
    batch = [s if "id" in s else {**s, "id": str(uuid.uuid4())} for s in batch]
    ids = [str(uuid.UUID(s["id"])) for s in batch]
    if len(set(ids)) != len(ids):
        raise BadRequest("The batch holds two statements with the same id.")
    _authorise(credential, batch)
    now = timezone.now()
    try:
        with transaction.atomic():
            run_statement_policies(credential=credential, statements=batch)  # other apps' rules (lrs.policies)
            _store(credential, batch, ids, now)
    except IntegrityError:
        raise Conflict("A statement with one of these ids was stored at the same moment; send it again.") from None
    return ids


def _store(credential: Credential, batch: list[dict], ids: list[str], now) -> list[Statement]:
    existing = Statement.objects.in_bulk([uuid.UUID(i) for i in ids])
    rows = []
    for n, (sent, statement_id) in enumerate(zip(batch, ids, strict=True)):
        stored = existing.get(uuid.UUID(statement_id))
        if stored is not None:
            if not _same(stored, sent):
                raise Conflict(f"A different statement with id {statement_id} is already stored.")
            continue
        rows.append(_row(sent, credential=credential, stored=now + timedelta(microseconds=n)))
    if not rows:
        return []
    _check_voiding_targets(rows)
    _resolve_reference_chains(rows)
    Statement.objects.bulk_create(rows)
    StatementAgent.objects.bulk_create(
        StatementAgent(statement=row, ifi=ifi, relation=relation)
        for row in rows
        for ifi, relation in agents_of(row.payload)
    )
    StatementActivity.objects.bulk_create(
        StatementActivity(statement=row, activity_id=activity_id, relation=relation)
        for row in rows
        for activity_id, relation in activities_of(row.payload)
    )
    activities_define(credential=credential, statements=[row.payload for row in rows], now=now)
    new_ids = [row.id for row in rows]
    voided_now = [row.object_statement_id for row in rows if row.is_voiding]
    if voided_now:
        Statement.objects.filter(id__in=voided_now, is_voiding=False).update(voided=True)
    # Statements arriving after the statement that voids them are voided on arrival.
    voiders = Statement.objects.filter(is_voiding=True, object_statement_id__in=new_ids).values("object_statement_id")
    Statement.objects.filter(id__in=new_ids, is_voiding=False).filter(id__in=voiders).update(voided=True)
    for row in rows:
        if row.object_statement_id:  # references waiting for this statement now follow its chain
            Statement.objects.filter(ref_root_id=row.id).exclude(id=row.id).update(ref_root_id=row.ref_root_id)
    transaction.on_commit(lambda: _announce(new_ids, credential))
    return rows


def _announce(ids, credential) -> None:
    for statement in Statement.objects.filter(id__in=ids).order_by("stored", "id"):
        statement_stored.send(sender=Statement, statement=statement, credential=credential)
