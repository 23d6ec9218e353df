"""Reads of search: a partner's search and type-ahead, on Elasticsearch or the database fallback.

Elasticsearch answers when it is configured and up. When a call fails, the answer
comes from the database fallback at once and Elasticsearch is left alone for
``SEARCH_OUTAGE_SECONDS`` (so a dead cluster does not cost every request a timeout);
the outage is logged. Indexing tasks retry meanwhile and reconciliation catches up.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone

from cms.models import Language, Product
from core.operations.metrics import count_search
from core.search import search_kinds
from partners.audience import viewer_for

from .backends import (
    ElasticsearchBackend,
    SearchIndexMissing,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
)
from .client import elasticsearch_configured
from .fallback import DatabaseBackend

logger = logging.getLogger("partnerhub.search")

OUTAGE_KEY = "partnerhub:search:elasticsearch-outage"
FACET_LABELS_KEY = "partnerhub:search:facet-labels"


def elasticsearch_usable() -> bool:
    return elasticsearch_configured() and not cache.get(OUTAGE_KEY)


def _answer(method: str, user, *args, **kwargs):
    now = timezone.now()
    if elasticsearch_usable():
        try:
            answer = getattr(ElasticsearchBackend(), method)(user, *args, now, **kwargs)
            count_search(method=method, backend="elasticsearch")
            return answer
        except SearchIndexMissing:
            logger.warning("The search index does not exist yet (run `manage.py search_reindex`); using the database.")
        except SearchUnavailable as error:
            logger.error(
                "Elasticsearch unavailable, answering from the database for %ss: %s",
                settings.SEARCH_OUTAGE_SECONDS,
                error,
            )
            cache.set(OUTAGE_KEY, True, settings.SEARCH_OUTAGE_SECONDS)
    count_search(method=method, backend="database")
    return getattr(DatabaseBackend(), method)(user, *args, now, **kwargs)


def search_for_partner(*, user, request: SearchRequest) -> SearchResults:
    """What ``user`` may see matching ``request``, one page of it, with facets over all of it."""
    if viewer_for(user) is None:
        return SearchResults(count=0, hits=[], backend="none")
    return _answer("search", user, request)


def suggest_for_partner(*, user, text: str, kind: str | None = None):
    """Up to eight titles ``user`` may see that start with what they are typing (only of ``kind`` when given)."""
    if viewer_for(user) is None or not text.strip():
        return []
    return _answer("suggest", user, text, kind=kind)


def facet_labels() -> dict[str, dict[str, str]]:
    """Display names of facet values (cached; ``search.signals`` forgets them when products or languages change)."""

    def load():
        return {
            "type": {value: label for kind in search_kinds().values() for value, label in kind.type_labels().items()},
            "product": dict(Product.objects.values_list("key", "name")),
            "language": dict(Language.objects.values_list("key", "name")),
        }

    return cache.get_or_set(FACET_LABELS_KEY, load, 60 * 60)


def query_stats(queryset):
    """Searches grouped by their normalized text, most searched first, for the admin reports.

    The reports filter the searches first (date range, partner tier, text), then group
    them here: ``searches``, ``users``, ``partners``, ``with_results``, ``clicks``
    (results opened), ``clicked`` (searches followed by at least one click),
    ``result_rate`` (``with_results / searches``), ``click_through_rate``
    (``clicked / searches``), both between 0 and 1, and ``last_searched_at``.
    """
    return (
        queryset.order_by()  # an ordering would join the grouping
        .values("normalized")
        .annotate(
            searches=Count("pk", distinct=True),
            users=Count("user", distinct=True),
            partners=Count("partner", distinct=True),
            with_results=Count("pk", filter=Q(result_count__gt=0), distinct=True),
            # Before ``clicks``, which would otherwise stand for the count here instead of the relation.
            clicked=Count("pk", filter=Q(clicks__isnull=False), distinct=True),
            clicks=Count("clicks", distinct=True),
            last_searched_at=Max("created_at"),
        )
        .annotate(
            result_rate=Cast(F("with_results"), FloatField()) / F("searches"),
            click_through_rate=Cast(F("clicked"), FloatField()) / F("searches"),
        )
        .order_by("-searches", "normalized")
    )
