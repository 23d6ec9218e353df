"""A database that cannot be reached answers 503 with ``Retry-After``, never a 500 (DESIGN §7).

While PostgreSQL restarts (or fails over, or refuses more connections), every query raises Django's
``OperationalError`` or ``InterfaceError``. ``database_unavailable`` tells those apart from bugs
(a missing column is a 500 as before): no answer from the server at all, or an SQLSTATE of the
classes "connection exception" (08), "insufficient resources" (53) or "operator intervention"
(57P: shutting down, starting up). Such an error answers:

* under ``/api/``: ``503 {"detail": "..."}``, the partner API's error shape (``cms.apiv1.errors`` for
  the API's views, ``JsonApiErrorsMiddleware`` for anything else under /api/);
* elsewhere (portal, admin, sign-in, players): a plain 503 page (``503.html``) rendered without the
  database, through ``server_error``, the project's ``handler500``: an error raised in a
  middleware (the session, the user) reaches it too.

Both carry ``Retry-After: DATABASE_UNAVAILABLE_RETRY_AFTER`` seconds. Nothing needs restarting
afterwards: Django drops a connection that failed (``CONN_HEALTH_CHECKS`` checks a reused one before
the request's first query), and the next request connects again (``cms/settings/outages.py``).
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger("partnerhub.outages")

API_PREFIX = "/api/"
UNAVAILABLE = "The service is briefly unavailable (its database cannot be reached). Try again shortly."
# SQLSTATE classes of a server that is away or overloaded, not of a faulty query.
UNAVAILABLE_SQLSTATES = ("08", "53", "57P")
# SQLite's words for a database it cannot use right now (the embedded stack; tests).
UNAVAILABLE_SQLITE = ("database is locked", "unable to open database file", "disk i/o error")


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database cannot be reached now (rather than that a query is wrong)."""
    if isinstance(exc, InterfaceError):  # the connection is gone (closed by the server, or by Django after it broke)
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    if type(cause).__module__.startswith("psycopg"):
        return True  # no SQLSTATE: the server never answered (refused, reset, closed unexpectedly)
    return any(words in str(exc).lower() for words in UNAVAILABLE_SQLITE)


def _retry_after(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def api_unavailable_response() -> JsonResponse:
    return _retry_after(JsonResponse({"detail": UNAVAILABLE}, status=503))


def unavailable_page() -> HttpResponse:
    # No request context: its context processors would query the database that is away.
    return _retry_after(HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE}), status=503))


def unavailable_response(request) -> HttpResponse:
    """The 503 for this request: the API's JSON error under /api/, the plain page elsewhere."""
    logger.warning("Database unavailable: answered %s %s with 503", request.method, request.path)
    if request.path.startswith(API_PREFIX):
        return api_unavailable_response()
    return unavailable_page()


def server_error(request, *args, **kwargs):
    """``handler500``: a 503 when the error being handled is an unreachable database, Django's 500 page otherwise.

    Django calls it while it handles the exception, so ``sys.exc_info()`` is that exception.
    """
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request, *args, **kwargs)
