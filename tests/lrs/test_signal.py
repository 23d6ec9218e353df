"""``core.signals.statement_stored``: once per newly stored statement, after the commit; never for a statement sent
again unchanged, nor for a refused batch."""

import pytest

from core.signals import statement_stored
from lrs.factories import statement
from lrs.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, statement, credential, **kwargs):
        calls.append((sender, str(statement.id), credential.pk))

    statement_stored.connect(receiver)
    yield calls
    statement_stored.disconnect(receiver)


def test_sent_after_commit_once_per_new_statement(xapi, learner, heard, django_capture_on_commit_callbacks):
    first, second = statement(learner.agent), statement(learner.agent)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        xapi.post(learner, [first, second])
    assert heard == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert heard == [(Statement, first["id"], learner.credential.pk), (Statement, second["id"], learner.credential.pk)]
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        xapi.post(learner, first)  # sent again unchanged
        xapi.post(learner, [statement(learner.agent), statement(learner.agent, verb="bad")])  # refused
    assert heard == []
