"""Rate limits of the partner API (429 with ``Retry-After``), built on django-ninja's throttles.

* Per credential: each token (or session) gets ``PARTNERHUB_API_RATE`` requests.
* Per client address: failed authentications are limited to
  ``PARTNERHUB_API_AUTH_FAILURE_RATE``, so tokens cannot be guessed by brute force;
  a valid credential is never refused by that limit.

The client address is the one the nearest of ``NINJA_NUM_PROXIES`` trusted proxies saw
(``client_address``); the admin's login lock-out (django-axes) uses the same function.
Counters live in Django's cache (Redis in production, so all workers share them).
"""

from django.conf import settings
from django.core.cache import cache

from ninja.errors import Throttled
from ninja.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str:
    """The client's address: the last one appended to X-Forwarded-For by the ``NINJA_NUM_PROXIES``
    trusted proxies, or the connection's own address when there are none (0)."""
    return BaseThrottle().get_ident(request)


class CredentialRateThrottle(SimpleRateThrottle):
    """One bucket per API token (its stored id) or per signed-in user."""

    scope = "credential"

    def __init__(self):
        super().__init__(settings.PARTNERHUB_API_RATE)

    def allow_request(self, request):
        # Read the rate on each request: one instance serves the API for the life of the process.
        self.rate = settings.PARTNERHUB_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        ident = getattr(request, "partnerhub_credential", None) or f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthFailureLimiter(SimpleRateThrottle):
    """Counts failed authentications per client address; refuses the address while over the rate."""

    scope = "auth-failure"

    def __init__(self):
        super().__init__(settings.PARTNERHUB_API_AUTH_FAILURE_RATE)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def check(self, request) -> None:
        """Raise ``Throttled`` when this address has failed too often recently."""
        self.key = self.get_cache_key(request)
        self.history = cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            raise Throttled(wait=self.wait())

    def record_failure(self, request) -> None:
        key = self.get_cache_key(request)
        history = cache.get(key, [])
        history.insert(0, self.timer())
        cache.set(key, history[: self.num_requests + 1], self.duration)
