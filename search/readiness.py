"""Reads for operators (``core.operations`` readiness): which backend search uses now, and the syncs waiting.

Registered from ``SearchConfig.ready()``: Elasticsearch is an optional dependency (search answers from
the database fallback while it is down); the pending syncs are a backlog.
"""

from django.conf import settings
from django.core.cache import cache

from core.operations.readiness import Down

from .client import elasticsearch_configured, get_quick_client
from .models import PendingSearchSync
from .selectors import OUTAGE_KEY


def search_backend_state() -> str:
    """``database`` (no Elasticsearch configured), ``elasticsearch``, or ``fallback`` while an outage is remembered.

    Raises ``Down("fallback")`` when the cluster does not answer now.
    """
    if not elasticsearch_configured():
        return "database"
    if not get_quick_client().ping(request_timeout=settings.READINESS_TIMEOUT):
        raise Down("fallback")
    return "fallback" if cache.get(OUTAGE_KEY) else "elasticsearch"


def pending_search_sync_count() -> int:
    """Items whose change has not reached the index yet (kept out of Elasticsearch results meanwhile)."""
    return PendingSearchSync.objects.count()
