"""The Elasticsearch client, configured from ``ELASTICSEARCH_URL`` (None in the embedded default)."""

from functools import cache

from django.conf import settings

from elasticsearch import Elasticsearch


def elasticsearch_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


@cache
def _client_for(url: str, timeout: float) -> Elasticsearch:
    return Elasticsearch([url], timeout=timeout, max_retries=2, retry_on_timeout=True)


def get_client() -> Elasticsearch | None:
    """A shared client for the configured cluster, or ``None`` when search runs on the database."""
    if not elasticsearch_configured():
        return None
    return _client_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)


def index_name(suffix: str) -> str:
    """A project index name: ``<ELASTICSEARCH_INDEX_PREFIX>-<suffix>``."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{suffix}"
