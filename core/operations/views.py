"""``/healthz``, ``/readyz`` and ``/metrics``, answered by ``OperationsMiddleware`` before anything else runs.

* ``/healthz``: the process answers (no database, no cache: a restart is the only cure for a ``/healthz``
  that fails).
* ``/readyz``: JSON from the readiness registry; 200 when every required dependency answers, else 503.
* ``/metrics``: Prometheus's text format. With ``METRICS_TOKEN`` a scraper sends
  ``Authorization: Bearer <token>``; with ``METRICS_ALLOWED_ADDRESSES`` (addresses or networks) only those
  connect. Production refuses to answer when neither is set (``METRICS_REQUIRE_PROTECTION``).

None of them reads a session, a cookie or a CSRF token, none is rate limited and none needs a sign-in:
load balancers and Prometheus call them.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from .metrics import exposition
from .readiness import readiness_report

NO_STORE = "no-store"


def healthz(request) -> HttpResponse:
    response = JsonResponse({"status": "alive"})
    response["Cache-Control"] = NO_STORE
    return response


def readyz(request) -> HttpResponse:
    ready, report = readiness_report()
    response = JsonResponse(report, status=200 if ready else 503)
    response["Cache-Control"] = NO_STORE
    return response


def _address_allowed(address: str, allowed: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in allowed)


def _metrics_refusal(request) -> HttpResponse | None:
    token, allowed = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES
    if not token and not allowed:
        if settings.METRICS_REQUIRE_PROTECTION:
            return HttpResponse("Metrics are off: set METRICS_TOKEN or METRICS_ALLOWED_ADDRESSES.\n", status=403)
        return None
    if allowed and not _address_allowed(request.META.get("REMOTE_ADDR", ""), allowed):
        return HttpResponse("Forbidden.\n", status=403)
    if token:
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            response = HttpResponse("A bearer token is required.\n", status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return None


def metrics(request) -> HttpResponse:
    refusal = _metrics_refusal(request)
    if refusal is not None:
        refusal["Cache-Control"] = NO_STORE
        return refusal
    body, content_type = exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = NO_STORE
    return response
