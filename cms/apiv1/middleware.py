"""Middleware of the partner API: JSON-only errors, and HTTP caching with ETags and 304s."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag

from cms.outages import database_unavailable, unavailable_response

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
        if database_unavailable(exception):
            return unavailable_response(request)
        logger.exception("Unhandled error in %s", request.path)
        return JsonResponse({"detail": _MESSAGES[500]}, status=500)


def api_not_found(request, *args, **kwargs):
    """The answer for any path under ``/api/`` that names no endpoint."""
    return JsonResponse({"detail": _MESSAGES[404]}, status=404)


class ApiCachingMiddleware:
    """HTTP caching of partner API reads: an ``ETag`` on every answer and 304 on ``If-None-Match``.

    Answers depend on who asks, so they are ``private`` and vary on ``Authorization``
    and ``Cookie``; ``no-cache`` makes clients revalidate every time, which costs a
    304 instead of the body and never serves an item after it expired or was archived.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or request.method not in ("GET", "HEAD")
            or response.streaming
            or not response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if request.path.startswith(f"{API_PREFIX}v1/preview"):
            patch_cache_control(response, private=True, no_store=True)  # drafts are never kept
            return response
        if response.status_code != 200:
            return response
        patch_cache_control(response, private=True, no_cache=True)
        if not response.has_header("ETag"):
            set_response_etag(response)
        # Only the ETag decides a 304: it covers everything in the answer (child items, my
        # acknowledgement), while a Last-Modified date cannot see a change in who may see what.
        return get_conditional_response(request, etag=response["ETag"], response=response)
