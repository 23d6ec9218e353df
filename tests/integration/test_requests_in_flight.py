"""The browser tests' wait after closing their browsers (``conftest.wait_for_requests_in_flight``), on PostgreSQL.

It returns once no other client of the test database is in a query or a transaction, looking again each time
(even inside a transaction, where PostgreSQL would otherwise show one snapshot of ``pg_stat_activity``); it never
waits on what is not a client (autovacuum); and a connection still busy at its deadline is ended, so the flush
after the test does not hang on it, and the test fails saying which one it was.
"""

import contextlib
import threading
import time

from django.db import InterfaceError, OperationalError, connections

import pytest

from .conftest import wait_for_requests_in_flight

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_connection():
    """A second connection to the test database, as the live server's request thread has."""
    other = connections.create_connection("default")
    other.set_autocommit(False)  # its first query opens a transaction, left open until it commits
    other.inc_thread_sharing()  # committed from a timer's thread below
    yield other
    with contextlib.suppress(OperationalError, InterfaceError):  # ended by the wait: nothing left to close
        other.close()


def test_it_returns_when_no_other_connection_is_busy(other_connection):
    other_connection.cursor().execute("SELECT 1")
    other_connection.commit()  # idle, out of any transaction

    started = time.monotonic()
    wait_for_requests_in_flight(timeout=5)
    assert time.monotonic() - started < 1


def test_it_waits_for_a_transaction_in_flight_to_end(other_connection):
    other_connection.cursor().execute("SELECT 1")  # idle in transaction
    finishing = threading.Timer(0.5, other_connection.commit)
    finishing.start()

    started = time.monotonic()
    wait_for_requests_in_flight(timeout=10)
    finishing.join()
    assert 0.4 < time.monotonic() - started < 5


def test_a_connection_still_busy_at_the_deadline_is_ended_and_named(other_connection):
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    with pytest.raises(pytest.fail.Exception, match=rf"pid {pid} .*idle in transaction.*SELECT pg_backend_pid"):
        wait_for_requests_in_flight(timeout=0.5)

    with pytest.raises(OperationalError):
        other_connection.cursor().execute("SELECT 1")
    wait_for_requests_in_flight(timeout=1)  # nothing left in flight
