"""Statements a credential may read: one by id, or a page of a query (Communication §2.1.3).

Filters other than time follow statement references: a statement whose object is a StatementRef matches
when the statement it points at matches, directly or as the end of a chain (``ref_root_id``). Voided
statements are never returned by a query, only by ``voidedStatementId``. A page costs one query, whatever
its position: a keyset on ``(stored, id)`` carried by the signed ``more`` link.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from ..errors import Forbidden, NotFound
from ..models import Credential, Statement, StatementActivity, StatementAgent


@dataclass(frozen=True)
class StatementQuery:
    agent_ifi: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: uuid.UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False
    limit: int = 100
    #: The last ``(stored, id)`` of the previous page, for ``more`` links.
    after: tuple[datetime, uuid.UUID] | None = None


def statements_visible_to(credential: Credential):
    """Every statement ``credential`` may read: all of them (``statements/read``, ``all/read``), or its own.

    "Its own" for a launch credential: its agent's statements (as actor), in its registration when it has
    one; for a client without an agent: the statements it wrote.
    """
    statements = Statement.objects.all()
    if credential.has_scope(Credential.Scope.STATEMENTS_READ, Credential.Scope.ALL_READ):
        return statements
    if not credential.has_scope(Credential.Scope.STATEMENTS_READ_MINE):
        raise Forbidden("This credential may not read statements.")
    if not credential.agent_ifi:
        return statements.filter(credential=credential)
    statements = statements.filter(actor_ifi=credential.agent_ifi)
    if credential.registration:
        statements = statements.filter(registration=credential.registration)
    return statements


def statement_get(*, credential: Credential, statement_id, voided: bool = False) -> Statement:
    """The statement ``statement_id`` (``voided``: only if voided, else only if not); ``NotFound`` otherwise."""
    statement = statements_visible_to(credential).filter(id=statement_id, voided=voided).first()
    if statement is None:
        raise NotFound("No such statement.")
    return statement


def _or_referring(condition: Q) -> Q:
    """``condition``, or a StatementRef to a statement (or the end of a chain) meeting it."""
    targets = Statement.objects.filter(condition).values("id")
    return condition | Q(object_statement_id__in=targets) | Q(ref_root_id__in=targets)


def _conditions(query: StatementQuery) -> list[Q]:
    conditions = []
    if query.agent_ifi:
        relations = ["actor", "object", "related"] if query.related_agents else ["actor", "object"]
        agents = StatementAgent.objects.filter(ifi=query.agent_ifi, relation__in=relations)
        conditions.append(Q(id__in=agents.values("statement_id")))
    if query.verb:
        conditions.append(Q(verb_id=query.verb))
    if query.activity:
        if query.related_activities:
            activities = StatementActivity.objects.filter(activity_id=query.activity)
            conditions.append(Q(id__in=activities.values("statement_id")))
        else:
            conditions.append(Q(object_activity_id=query.activity))
    if query.registration:
        conditions.append(Q(registration=query.registration))
    return [_or_referring(condition) for condition in conditions]


def statements_page(*, credential: Credential, query: StatementQuery) -> tuple[list[Statement], bool]:
    """One page of ``query`` (at most ``query.limit`` statements) and whether more follow."""
    statements = statements_visible_to(credential).returnable().filter(*_conditions(query))
    if query.since is not None:
        statements = statements.filter(stored__gt=query.since)
    if query.until is not None:
        statements = statements.filter(stored__lte=query.until)
    if query.after is not None:
        stored, last_id = query.after
        if query.ascending:
            statements = statements.filter(Q(stored__gt=stored) | Q(stored=stored, id__gt=last_id))
        else:
            statements = statements.filter(Q(stored__lt=stored) | Q(stored=stored, id__lt=last_id))
    order = ("stored", "id") if query.ascending else ("-stored", "-id")
    rows = list(statements.order_by(*order).only("id", "payload", "stored")[: query.limit + 1])
    return rows[: query.limit], len(rows) > query.limit
