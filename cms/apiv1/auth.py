"""Partner API authentication: Wagtail's bearer tokens and the Django session.

Tokens are Wagtail's own ``APIToken`` (only an HMAC digest is stored; revocable in
the admin under Settings → Users → API tokens, or with ``manage.py revoke_tokens``).
Both schemes accept only a user who may see partner content at all
(``viewer_for`` is not ``None``): active, and a member of an active partner. That
check runs on every request, so deactivating a user or a partner in the admin
locks them out at once: the token and the viewer's facts are cached (``partners.identity_cache``)
only until any of them changes. The session scheme (``PartnerSessionAuth``, CSRF-checked for
unsafe methods) is accounts' (``accounts.apiauth``), where partner users sign in.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from accounts.apiauth import PartnerSessionAuth
from partners.audience import viewer_for
from partners.identity_cache import api_token_used, cached_api_token
from partners.tokens import live_api_token

from .throttling import AuthFailureLimiter

MAX_TOKEN_LENGTH = 200


class PartnerTokenAuth(BearerTokenAuth):
    openapi_description = (
        "A personal API token: create one with `POST /api/v1/auth/tokens` while signed in, "
        "or an operator runs `manage.py issue_token USERNAME`."
    )

    def resolve(self, request, token) -> APIToken | None:
        """Wagtail's resolution, with expired personal tokens refused in the same single query, kept with the
        user's viewer in the cache until the token, the user or their partner changes (``identity_cache``)."""
        key_hash = APIToken.hash_token(token)
        api_token = cached_api_token(key_hash=key_hash, read=lambda: live_api_token(token), viewer_of=viewer_for)
        request.user = api_token.user if api_token is not None and api_token.user.is_active else AnonymousUser()
        if not request.user.is_authenticated:
            return None
        last_used = api_token.last_used_at
        self._touch_last_used(api_token)
        if api_token.last_used_at != last_used:
            api_token_used(key_hash=key_hash, api_token=api_token)
        return api_token

    def _touch_last_used(self, api_token):
        """Wagtail's, also keeping the time on the token in memory (so its cached copy can learn it)."""
        interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
        if interval is None:
            return
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() >= interval:
            APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now

    def authenticate(self, request, token):
        # The offline format check rejects garbage before it costs a database query.
        session_user = getattr(request, "user", AnonymousUser())
        valid_format = token and len(token) <= MAX_TOKEN_LENGTH and APIToken.validate_token_format(token)
        api_token = self.resolve(request, token) if valid_format else None
        if api_token is not None and viewer_for(api_token.user) is not None:
            # A valid token always passes, however often others at its address failed; the
            # per-credential rate limit counts it by this id, not by how the header was spelled.
            request.partnerhub_credential = f"token-{api_token.pk}"
            return api_token.user
        # A bad token makes the request anonymous (Wagtail's rule, session or not): 401.
        request.user = AnonymousUser()
        if session_user.is_authenticated and viewer_for(session_user) is not None:
            # A signed-in partner user holds a valid credential: a stale token is no guess, so it
            # is neither counted nor refused by the failure limit.
            return None
        limiter = AuthFailureLimiter()
        limiter.check(request)  # 429 for an address that keeps presenting bad tokens
        limiter.record_failure(request)
        return None


partner_auth = [PartnerTokenAuth(), PartnerSessionAuth()]
