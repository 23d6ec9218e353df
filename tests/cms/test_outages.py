"""A database that cannot be reached answers 503 + Retry-After (JSON under /api/), never a 500 (cms.outages).

The database "refuses" through Django's own query hook (``connection.execute_wrapper``): every query
raises what Django raises when PostgreSQL refuses a connection, Django's ``OperationalError`` caused by
psycopg's. The real thing (PostgreSQL restarted under requests) is tests/integration/test_faults_services.py.
"""

from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connection
from django.test import Client

import psycopg
import pytest
from psycopg import errors as pg

from cms.factories import AssetFactory
from cms.outages import UNAVAILABLE, database_unavailable

pytestmark = pytest.mark.django_db

REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def django_error(cause: Exception, kind=OperationalError) -> Exception:
    """What Django's DatabaseErrorWrapper raises for ``cause``: its own class, ``from`` the driver's."""
    try:
        try:
            raise cause
        except Exception as exc:
            raise kind(*exc.args) from exc
    except kind as wrapped:
        return wrapped


@contextmanager
def database_refuses(cause: Exception | None = None):
    def refuse(execute, sql, params, many, context):
        raise django_error(cause or psycopg.OperationalError(REFUSED))

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def client():
    # Django's test client re-raises what handler500 handled; a browser only sees the answer.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "cause",
    [
        psycopg.OperationalError(REFUSED),  # no answer at all: refused, reset, closed unexpectedly
        pg.AdminShutdown("terminating connection due to administrator command"),  # 57P01: a restart
        pg.CannotConnectNow("the database system is starting up"),  # 57P03
        pg.TooManyConnections("sorry, too many clients already"),  # 53300
        pg.ConnectionFailure("connection failure"),  # 08006
    ],
    ids=type,
)
def test_an_unreachable_database_is_told_apart(cause):
    assert database_unavailable(django_error(cause))
    assert database_unavailable(django_error(psycopg.InterfaceError("the connection is closed"), InterfaceError))


@pytest.mark.parametrize(
    "error",
    [
        django_error(pg.QueryCanceled("canceling statement due to statement timeout")),  # 57014: a slow query
        django_error(pg.DeadlockDetected("deadlock detected")),  # 40P01
        OperationalError("no such column: cms_asset.nope"),  # SQLite's word for a bug
        ValueError("not a database error"),
        None,
    ],
    ids=repr,
)
def test_a_faulty_query_is_not_an_outage(error):
    assert not database_unavailable(error)


def test_the_api_answers_503_with_retry_after_in_its_error_shape(client, gold_partner_user):
    AssetFactory()
    with database_refuses():
        response = client.get("/api/v1/assets", **gold_partner_user.headers)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": UNAVAILABLE}
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    # Back at once, with nothing to restart.
    assert client.get("/api/v1/assets", **gold_partner_user.headers).json()["count"] == 1


def test_an_api_request_signed_in_by_session_gets_the_json_503_too(client, gold_partner_user):
    # The session and the user are read in middleware, before the API's own error handlers run.
    client.force_login(gold_partner_user.user)
    with database_refuses():
        response = client.get("/api/v1/me")
    assert (response.status_code, response.json(), response["Retry-After"]) == (503, {"detail": UNAVAILABLE}, "5")


def test_the_retry_after_comes_from_the_settings(client, gold_partner_user, settings):
    settings.DATABASE_UNAVAILABLE_RETRY_AFTER = 30
    with database_refuses(pg.AdminShutdown("terminating connection due to administrator command")):
        response = client.get("/api/v1/search", {"q": "price"}, **gold_partner_user.headers)
    assert (response.status_code, response["Retry-After"]) == (503, "30")


def test_the_portal_answers_a_plain_503_page(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    assert client.get("/").status_code == 200
    with database_refuses():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Briefly unavailable" in page and "Traceback" not in page and "Server Error" not in page
    assert "Content-Security-Policy" in response  # the portal's headers still apply


def test_the_admin_answers_a_plain_503_page(client, admin_user):
    client.force_login(admin_user)
    with database_refuses():
        response = client.get("/admin/")
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert "Briefly unavailable" in response.content.decode()


def test_a_faulty_query_is_still_a_500(client, gold_partner_user):
    with database_refuses(pg.QueryCanceled("canceling statement due to statement timeout")):
        api = client.get("/api/v1/assets", **gold_partner_user.headers)
        portal = client.get("/verify/NOPE/")
    assert (api.status_code, api.json()) == (500, {"detail": "Internal server error."})
    assert portal.status_code == 500 and "Retry-After" not in portal
