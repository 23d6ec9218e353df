"""Prometheus metrics (``prometheus_client``): what they are, how they are counted, how ``/metrics`` shows them.

Series (all prefixed ``partnerhub_``):

* ``http_request_duration_seconds{route,method,status}``: every request but the probes, by its URL
  *pattern* (``api/v1/assets/<int:asset_id>``), never the raw path, so the label set stays bounded;
* ``celery_tasks_total{task,outcome}``, ``celery_task_duration_seconds{task}`` and
  ``celery_queue_latency_seconds{task}`` (from publishing to starting, from the ``sent_at`` header);
* ``lifecycle_transitions_total{kind,event}`` (published, expired, archived…, from ``content_event``);
* ``search_requests_total{method,backend}`` (``elasticsearch`` or ``database``, the fallback);
* ``certificates_issued_total{how}`` (``issued`` or ``renewed``), counted after the commit;
* ``backlog_items{backlog}``: the readiness registry's backlogs (outbox depth, pending scans…), counted
  when scraped.

Several processes (gunicorn workers, Celery's prefork children): with ``PROMETHEUS_MULTIPROC_DIR`` set in
the environment before the processes start, each writes its series to files there and ``/metrics`` adds
them up (``prometheus_client.multiprocess``). Without it, each process shows its own.
"""

import os
from pathlib import Path

from django.db import transaction

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from core.signals import content_event

from .readiness import backlog_counts


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


if multiprocess_dir():  # each process writes its files there; the first one to start makes the folder
    Path(multiprocess_dir()).mkdir(parents=True, exist_ok=True)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
QUEUE_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)

http_request_duration = Histogram(
    "partnerhub_http_request_duration_seconds",
    "Time to answer a request, by URL pattern (route), method and status code.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
celery_tasks = Counter(
    "partnerhub_celery_tasks_total",
    "Celery tasks run, by task and outcome (success, failure, retry…).",
    ["task", "outcome"],
)
celery_task_duration = Histogram(
    "partnerhub_celery_task_duration_seconds", "Time a Celery task ran, by task.", ["task"], buckets=LATENCY_BUCKETS
)
celery_queue_latency = Histogram(
    "partnerhub_celery_queue_latency_seconds",
    "Time from publishing a task to a worker starting it, by task.",
    ["task"],
    buckets=QUEUE_BUCKETS,
)
lifecycle_transitions = Counter(
    "partnerhub_lifecycle_transitions_total", "Content lifecycle events, by kind of item and event.", ["kind", "event"]
)
search_requests = Counter(
    "partnerhub_search_requests_total",
    "Searches and suggestions answered, by method and the backend that answered (elasticsearch, database).",
    ["method", "backend"],
)
certificates_issued = Counter(
    "partnerhub_certificates_issued_total", "Certificates issued (committed), by how: issued or renewed.", ["how"]
)


def count_search(*, method: str, backend: str) -> None:
    search_requests.labels(method=method, backend=backend).inc()


def count_certificate_on_commit(*, how: str) -> None:
    """Count a certificate once the transaction that issues it commits (a rollback counts nothing)."""
    transaction.on_commit(lambda: certificates_issued.labels(how=how).inc())


def _count_content_event(sender, event, pks=(), **kwargs):
    lifecycle_transitions.labels(kind=sender._meta.model_name, event=event).inc(len(pks))


class BacklogCollector:
    """``partnerhub_backlog_items``: each registered backlog counted at scrape time (no process keeps a copy)."""

    def describe(self):
        return []  # counted at scrape time only: registering must not query the database

    def collect(self):
        family = GaugeMetricFamily(
            "partnerhub_backlog_items", "Work waiting, by backlog (readiness registry).", labels=["backlog"]
        )
        for name, count in backlog_counts().items():
            if count is not None:  # not counted (database down): no sample rather than a wrong one
                family.add_metric([name], count)
        yield family


_backlog_collector = BacklogCollector()
_registered = []


def exposition_registry() -> CollectorRegistry:
    """The registry ``/metrics`` reads: every process's files in multiprocess mode, else this process's."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_backlog_collector)
        return registry
    return REGISTRY


def exposition() -> tuple[bytes, str]:
    """The text ``/metrics`` answers, and its content type."""
    return generate_latest(exposition_registry()), CONTENT_TYPE_LATEST


def connect() -> None:
    content_event.connect(_count_content_event, dispatch_uid="operations-lifecycle-metrics")
    if not multiprocess_dir() and not _registered:
        REGISTRY.register(_backlog_collector)
        _registered.append(_backlog_collector)
