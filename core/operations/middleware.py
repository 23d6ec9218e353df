"""The first middleware: a request id for every request, the probes answered, every other request timed.

First in ``MIDDLEWARE`` on purpose: ``/healthz``, ``/readyz`` and ``/metrics`` are answered before the
host check (a load balancer probes by address), the HTTPS redirect, sessions, CSRF, languages and
sign-in enforcement. Every other request gets an ``X-Request-ID`` (the incoming one when well formed,
else a new one), bound for its log lines and tasks and returned in the response, and is counted in
``partnerhub_http_request_duration_seconds`` by its URL pattern.
"""

import time

import sentry_sdk

from .context import accepted_request_id, request_id_var
from .metrics import http_request_duration
from .views import healthz, metrics, readyz

PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}
REQUEST_ID_HEADER = "X-Request-ID"


def route_of(request) -> str:
    """The URL pattern that answered (bounded), ``"unmatched"`` when none did (a 404 before any view)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unnamed"


class OperationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Bound until ``request_finished`` (``unbind_request_id``): Django logs a 4xx/5xx answer after the middleware.
        request_id_var.set(request_id)
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            response = probe(request)
        else:
            sentry_sdk.set_tag("request_id", request_id)
            started = time.perf_counter()
            response = self.get_response(request)
            http_request_duration.labels(
                route=route_of(request), method=_method(request.method), status=str(response.status_code)
            ).observe(time.perf_counter() - started)
        response[REQUEST_ID_HEADER] = request_id
        return response


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _method(method: str) -> str:
    return method if method in KNOWN_METHODS else "other"  # a made-up method must not add a label value


def unbind_request_id(**kwargs):
    """``request_finished``: the lines logged after it (between requests) belong to no request."""
    request_id_var.set(None)
