"""Celery tasks of search: thin wrappers around ``search.services``, retried while Elasticsearch is away."""

from celery import shared_task
from elasticsearch.exceptions import ConnectionError as ESConnectionError
from elasticsearch.exceptions import TransportError

from . import services
from .backends import SearchUnavailable

# While Elasticsearch is down a sync is retried for about an hour (30 s, 1, 2, 4, 8, 10 min… with jitter);
# reconciliation catches up on anything older.
RETRY = {
    "autoretry_for": (SearchUnavailable, ESConnectionError, TransportError),
    "retry_backoff": 30,
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(acks_late=True, **RETRY)
def sync_search_documents(kind: str, pks: list[int]) -> int:
    """Write these items' current state to the index (idempotent): the retry of a change's own write that failed."""
    return services.search_documents_sync(kind=kind, pks=pks)


@shared_task(acks_late=True, **RETRY)
def reconcile_search_index() -> str:
    """Fix drift between the index and the database. Run by beat."""
    return str(services.search_reconcile())


@shared_task(acks_late=True, **RETRY)
def rebuild_search_index() -> str:
    """Rebuild the index and swap the alias (after synonyms change)."""
    result = services.search_reindex()
    return f"{result.documents} documents into {result.index} in {result.seconds:.1f}s"
