"""Writes of search: keeping the index in step with the content, rebuilding it, recording queries.

* ``search_sync_later`` is what every content change calls: after the transaction
  commits, the request itself writes the current state of those items to the index (or
  deletes them), with a short timeout, so an archived or narrowed item leaves search at
  once even when no Celery worker runs. When that write fails, the items are recorded as
  ``PendingSearchSync`` (Elasticsearch results leave them out) and a Celery task
  (``search.tasks.sync_search_documents``), recorded with the mark in the outbox
  (``core.outbox``), retries. Both read the state from the database instead of trusting
  the event, so they are idempotent and safe to repeat.
* ``search_reindex`` builds a new index from the database with bulk requests and moves
  the alias to it in one atomic call (no downtime), then catches up on what changed
  while it ran.
* ``search_reconcile`` compares the index with the database and fixes any drift
  (a lost task, an outage): run by celery beat.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wagtail.models import ModelLogEntry

from elasticsearch.helpers import scan

from core.outbox.services import outbox_enqueue
from core.search import search_kind_of, search_kinds
from partners.audience import viewer_for

from . import tasks  # tasks import this module too: both use the other's names only when called
from .backends import SearchHit, SearchRequest, SearchResults, SearchUnavailable, elasticsearch_errors
from .client import elasticsearch_configured, get_client, get_quick_client
from .documents import build_documents, document_id, documents_for, parse_document_id
from .index import alias_name, bulk_write, create_index, ensure_index, new_index_name, swap_alias
from .models import MAX_QUERY_LENGTH, PendingSearchSync, SearchClick, SearchQuery
from .selectors import elasticsearch_usable

logger = logging.getLogger("partnerhub.search")

REBUILD_REQUEST_TIMEOUT = 300  # seconds, for the requests of a rebuild that work on the whole new index


class SearchError(Exception):
    """A search write that cannot be done as asked (an unknown query or result)."""


def search_sync_later(*, model, pks) -> None:
    """After the current transaction commits, bring these items' documents up to date.

    The write happens in this process at once (``search_sync_now``); a Celery task
    retries it when it fails.
    """
    kind = search_kind_of(model)
    pks = sorted({int(pk) for pk in pks})
    if kind is None or not pks or not elasticsearch_configured():
        return

    def sync():
        search_sync_now(kind=kind.name, pks=pks)

    # robust: an index or broker that is down must not break the change itself; reconciliation catches up.
    transaction.on_commit(sync, robust=True)


def search_sync_now(*, kind: str, pks: list[int]) -> bool:
    """Write these items' current state to the index now (short timeout); on failure, keep them out and retry later.

    Answers whether the index is up to date. Skips the attempt while searches already
    found Elasticsearch down.
    """
    if elasticsearch_usable():
        try:
            # refresh=True makes the change searchable when the request answers, without waiting up to a
            # refresh interval (wait_for) in every admin save and sweep batch.
            search_documents_sync(kind=kind, pks=pks, client=get_quick_client(), refresh=True)
            return True
        except (SearchUnavailable, RuntimeError) as error:
            logger.warning("Could not update the search index for %s %s now, retrying later: %s", kind, pks, error)
    with transaction.atomic():  # the mark and the retry task commit together (core.outbox): Redis down loses neither
        PendingSearchSync.objects.bulk_create(
            [PendingSearchSync(kind=kind, item_id=pk) for pk in pks], ignore_conflicts=True
        )
        outbox_enqueue(task=tasks.sync_search_documents, args=[kind, pks], dedupe_key=_sync_key(kind, pks))
    return False


def _sync_key(kind: str, pks: list[int]) -> str:
    key = f"search-sync:{kind}:{','.join(map(str, pks))}"
    return key if len(key) <= 200 else f"search-sync:{kind}:{hashlib.sha256(key.encode()).hexdigest()}"


def search_documents_sync(*, kind: str, pks: list[int], client=None, refresh="wait_for") -> int:
    """Write the current state of these items to the index: live ones indexed, the others deleted.

    Then forgets the items' pending marks that were there before the state was read
    (a mark recorded later belongs to a change this write may not include).
    """
    client = client or get_client()
    pending = list(PendingSearchSync.objects.filter(kind=kind, item_id__in=pks).values_list("pk", flat=True))
    pairs = ((document_id(kind, pk), doc) for pk, doc in documents_for(search_kinds()[kind], pks))
    with elasticsearch_errors():
        ensure_index(client)
        written = sum(bulk_write(client, alias_name(), pairs, refresh=refresh))
    if pending:
        PendingSearchSync.objects.filter(pk__in=pending).delete()
    return written


@dataclass
class ReindexResult:
    index: str
    documents: int
    seconds: float
    caught_up: int = 0
    removed_indices: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def live_item_count() -> int:
    return sum(kind.model.objects.live_for_partners().count() for kind in search_kinds().values())


def search_reindex(*, progress: Callable[[int], None] | None = None, chunk_size: int = 1000) -> ReindexResult:
    """Rebuild the index from the database into a new index and swap the alias; queries answer throughout."""
    if not elasticsearch_configured():
        raise SearchError("Elasticsearch is not configured (ELASTICSEARCH_URL); search answers from the database.")
    client = get_client()
    started_at, started = timezone.now(), time.perf_counter()
    pending = list(PendingSearchSync.objects.values_list("pk", flat=True))  # the rebuild reads their state anew
    name = new_index_name()
    create_index(client, name, bulk_loading=True)
    written = 0
    try:
        for kind in search_kinds().values():
            pairs = (
                (document_id(kind.name, pk), doc)
                for pk, doc in build_documents(kind, kind.model.objects.live_for_partners(), batch_size=chunk_size)
            )
            for _ in bulk_write(client, name, pairs, chunk_size=chunk_size):
                written += 1
                if progress and written % 100 == 0:
                    progress(100)
        if progress:
            progress(written % 100)
        # The first refresh of a bulk-loaded index (with the nested pages of files) can outlast a query's timeout.
        client.indices.put_settings(
            index=name, body={"index": {"refresh_interval": "1s"}}, request_timeout=REBUILD_REQUEST_TIMEOUT
        )
        client.indices.refresh(index=name, request_timeout=REBUILD_REQUEST_TIMEOUT)
    except Exception:
        client.indices.delete(index=name, ignore=[404])
        raise
    left = swap_alias(client, name)
    for old in left:
        client.indices.delete(index=old, ignore=[404])
    seconds = time.perf_counter() - started
    caught_up = _catch_up(since=started_at)
    PendingSearchSync.objects.filter(pk__in=pending).delete()
    return ReindexResult(index=name, documents=written, seconds=seconds, caught_up=caught_up, removed_indices=left)


def _catch_up(*, since) -> int:
    """Re-sync what changed while a rebuild ran (those changes went to the old index)."""
    done = 0
    for kind in search_kinds().values():
        content_type = ContentType.objects.get_for_model(kind.model, for_concrete_model=False)
        changed = set(kind.model.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
        # Bulk transitions (the sweep) do not touch updated_at, but they are all in the audit log.
        logged = ModelLogEntry.objects.filter(timestamp__gte=since, content_type=content_type)
        changed |= {int(pk) for pk in logged.values_list("object_id", flat=True) if str(pk).isdigit()}
        if changed:
            done += search_documents_sync(kind=kind.name, pks=sorted(changed))
    return done


@dataclass
class ReconcileResult:
    checked: int = 0
    indexed: int = 0
    deleted: int = 0


def search_reconcile() -> ReconcileResult:
    """Make the index match the database: index what is missing or stale, delete what should not be there."""
    if not elasticsearch_configured():
        return ReconcileResult()
    client = get_client()
    with elasticsearch_errors():
        ensure_index(client)
    result = ReconcileResult()
    in_index: dict[tuple[str, int], str] = {}
    for hit in scan(client, index=alias_name(), query={"_source": ["updated_at"]}, size=5000):
        in_index[parse_document_id(hit["_id"])] = hit["_source"].get("updated_at")
    for kind in search_kinds().values():
        live = {
            pk: updated_at.isoformat()
            for pk, updated_at in kind.model.objects.live_for_partners().values_list("pk", "updated_at")
        }
        result.checked += len(live)
        stale = [pk for pk, updated_at in live.items() if _differs(in_index.get((kind.name, pk)), updated_at)]
        gone = [pk for (name, pk) in in_index if name == kind.name and pk not in live]
        # Pending items may be right in the index already (the retry wrote them but its mark came later).
        pending = set(PendingSearchSync.objects.filter(kind=kind.name).values_list("item_id", flat=True))
        if stale or gone or pending:
            search_documents_sync(kind=kind.name, pks=sorted(set(stale) | set(gone) | pending))
        result.indexed += len(stale)
        result.deleted += len(gone)
    return result


def _differs(indexed: str | None, current: str) -> bool:
    if indexed is None:
        return True
    return parse_datetime(indexed) != parse_datetime(current)


def normalize_query(text: str) -> str:
    return " ".join(text.lower().split())[:MAX_QUERY_LENGTH]


def search_query_record(
    *, user, request: SearchRequest, results: SearchResults, shown: list[SearchHit] | None = None
) -> SearchQuery | None:
    """Record one search for the analytics reports. Browsing is not recorded: a blank query, or one of punctuation
    only, which searches for nothing and answers the whole library.

    ``results`` of the row are the hits shown on that page, in rank order, as ``[kind, item id]`` pairs (the
    impressions): ``shown`` when the page left some hits out, else all of ``results.hits``.
    """
    if request.browsing:
        return None
    viewer = viewer_for(user)
    filters = {name: value for name in ("type", "product", "language") if (value := getattr(request, name))}
    query = SearchQuery(
        text=request.text[:MAX_QUERY_LENGTH],
        normalized=normalize_query(request.text),
        filters=filters,
        result_count=results.count,
        results=[[hit.kind, hit.id] for hit in (results.hits if shown is None else shown)],
        backend=results.backend,
        user=user,
        partner_id=viewer.partner_id if viewer else None,
        tier_id=viewer.tier_id if viewer else None,
    )
    # The user, partner and tier come from the authenticated request: no need to look them up again.
    query.full_clean(exclude=["user", "partner", "tier"])
    query.save()
    return query


def search_click_record(*, user, query_id: int, kind: str, item_id: int, position: int | None = None) -> SearchClick:
    """Record that ``user`` opened a result of their own search ``query_id``. Clicking twice counts once."""
    query = SearchQuery.objects.filter(pk=query_id, user=user).first()
    if query is None:
        raise SearchError("No such search of yours.")
    found = search_kinds().get(kind)
    if found is None or not found.model.objects.visible_to(user).filter(pk=item_id).exists():
        raise SearchError("No such result.")
    click = SearchClick.objects.filter(query=query, kind=kind, item_id=item_id).first()
    if click is None:
        click = SearchClick(query=query, kind=kind, item_id=item_id, position=position)
        click.full_clean()
        click.save()
    return click
