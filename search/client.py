"""The Elasticsearch client, configured from ``ELASTICSEARCH_URL`` (None in the embedded default)."""

from functools import cache

from django.conf import settings

from elasticsearch import Elasticsearch


def elasticsearch_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


@cache
def _client_for(url: str, timeout: float, max_retries: int = 2) -> Elasticsearch:
    return Elasticsearch([url], timeout=timeout, max_retries=max_retries, retry_on_timeout=bool(max_retries))


def get_client() -> Elasticsearch | None:
    """A shared client for the configured cluster, or ``None`` when search runs on the database."""
    if not elasticsearch_configured():
        return None
    return _client_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)


def get_quick_client() -> Elasticsearch | None:
    """A client for writes inside a request: one try of at most ``SEARCH_SYNC_TIMEOUT`` seconds per call."""
    if not elasticsearch_configured():
        return None
    return _client_for(settings.ELASTICSEARCH_URL, settings.SEARCH_SYNC_TIMEOUT, 0)


def index_name(suffix: str) -> str:
    """A project index name: ``<ELASTICSEARCH_INDEX_PREFIX>-<suffix>``."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{suffix}"
