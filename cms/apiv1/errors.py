"""Every partner API error as JSON ``{"detail": "..."}`` (DESIGN §5), never an HTML page."""

import math

from django.db import InterfaceError, OperationalError
from django.http import Http404

from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from cms.gating.locking import ItemLocked
from cms.outages import api_unavailable_response, database_unavailable

UNAUTHORIZED = "Authentication credentials were not provided or are not valid."
NOT_FOUND = "Not found."


def _describe(error: dict) -> str:
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "header")]
    where = ".".join(location)
    message = error.get("msg", "is not valid")
    return f"{where}: {message}" if where else message


def install_error_handlers(api) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors
        ]
        detail = "; ".join(_describe(e) for e in exc.errors) or "Invalid input."
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="partner-api"'
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(ItemLocked)
    def locked(request, exc):
        """In the audience but for a certification: say what unlocks it (``cms.gating.locking``)."""
        body = {"detail": exc.unlock["message"], "locked_reason": "qualification", "unlock": exc.unlock}
        return api.create_response(request, body, status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
        if isinstance(exc, Throttled) and exc.wait is not None:
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_error(request, exc):
        """The database cannot be reached (a restart): 503 with Retry-After; any other database error stays a 500."""
        if database_unavailable(exc):
            return api_unavailable_response()
        raise exc
