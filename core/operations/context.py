"""The request id (and, in a worker, the task) that the log lines of this moment belong to.

Kept in context variables: one per request thread or task, never shared. The middleware binds the
request id; the Celery signals (``worker``) carry it in the headers of every task the request enqueues
and bind it again around the task in the worker.
"""

import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("partnerhub_request_id", default=None)
task_var: ContextVar[tuple[str, str] | None] = ContextVar("partnerhub_task", default=None)

#: An incoming ``X-Request-ID`` is kept when it looks like an id (a proxy's, a client's); anything else
#: (too long, spaces, quotes, line breaks: log injection) is replaced by a new one.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(incoming: str | None) -> str:
    """``incoming`` when it is a well-formed id, else a new one."""
    if incoming and REQUEST_ID_PATTERN.fullmatch(incoming):
        return incoming
    return new_request_id()


def current_request_id() -> str | None:
    return request_id_var.get()


@contextmanager
def bound_request_id(request_id: str | None):
    """Log lines (and tasks enqueued) inside the block belong to ``request_id``."""
    token = request_id_var.set(request_id)
    try:
        yield request_id
    finally:
        request_id_var.reset(token)
