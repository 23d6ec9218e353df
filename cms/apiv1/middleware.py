"""Keeps the partner API JSON-only: Django's own 404/405/500 pages become ``{"detail": ...}``."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse

logger = logging.getLogger("partnerhub.api")

API_PREFIX = "/api/"

_MESSAGES = {
    404: "Not found.",
    405: "Method not allowed.",
    500: "Internal server error.",
}


class JsonApiErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code not in _MESSAGES:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        json_response = JsonResponse({"detail": _MESSAGES[response.status_code]}, status=response.status_code)
        if response.has_header("Allow"):
            json_response["Allow"] = response["Allow"]
        return json_response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX) or isinstance(exception, Http404 | PermissionDenied):
            return None
        logger.exception("Unhandled error in %s", request.path)
        return JsonResponse({"detail": _MESSAGES[500]}, status=500)


def api_not_found(request, *args, **kwargs):
    """The answer for any path under ``/api/`` that names no endpoint."""
    return JsonResponse({"detail": _MESSAGES[404]}, status=404)
