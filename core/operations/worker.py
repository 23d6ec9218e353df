"""Celery signals: the request id follows a request into its tasks; tasks are counted and timed.

* ``before_task_publish`` (the publishing process) adds two headers to the message: the current request
  id (``partnerhub_request_id``, when there is one) and when it was sent (``partnerhub_sent_at``);
* ``task_prerun`` (the worker) binds that request id and the task for the task's log lines and observes
  the queue latency; ``task_postrun`` counts the outcome (its ``state``: success, failure, retry…, so
  failures are counted there too) and the run time.
* A worker on its own machine serves its series at ``WORKER_METRICS_PORT`` (``worker_ready``, in the
  main process; prefork children report through ``PROMETHEUS_MULTIPROC_DIR``).

Tasks run eagerly (unit tests, the embedded stack) publish nothing: they keep the request's id as is.
"""

import logging
import os
import time

from django.conf import settings

import sentry_sdk
from celery.signals import (
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    worker_process_shutdown,
    worker_ready,
)
from prometheus_client import multiprocess, start_http_server

from .context import current_request_id, request_id_var, task_var
from .metrics import celery_queue_latency, celery_task_duration, celery_tasks, exposition_registry, multiprocess_dir

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "partnerhub_request_id"
SENT_AT_HEADER = "partnerhub_sent_at"

_running: dict[str, tuple] = {}  # task id -> (context tokens, started)


def add_headers(headers=None, **kwargs):
    if headers is None:
        return
    request_id = current_request_id()
    if request_id:
        headers[REQUEST_ID_HEADER] = request_id
    headers[SENT_AT_HEADER] = time.time()


def _header(request, name):
    """A message header: a top-level request field in a worker, inside ``request.headers`` for ``apply(headers=)``."""
    return getattr(request, name, None) or (getattr(request, "headers", None) or {}).get(name)


def task_started(task_id=None, task=None, **kwargs):
    request = task.request
    request_id = _header(request, REQUEST_ID_HEADER)
    tokens = [task_var.set((task_id, task.name))]
    if request_id:  # else (eager) the request's own id stays
        tokens.append(request_id_var.set(request_id))
        sentry_sdk.set_tag("request_id", request_id)
    sent_at = _header(request, SENT_AT_HEADER)
    if sent_at:
        celery_queue_latency.labels(task=task.name).observe(max(0.0, time.time() - float(sent_at)))
    _running[task_id] = (tokens, time.perf_counter())


def task_finished(task_id=None, task=None, state=None, **kwargs):
    """Always sent, in a ``finally``: ``state`` is ``None`` when an eager task's error propagated."""
    if state != "FAILURE":  # a failure in a worker is counted by ``task_failed``, which runs first
        celery_tasks.labels(task=task.name, outcome=(state or "FAILURE").lower()).inc()
    tokens, started = _running.pop(task_id, ((), None))
    if started is not None:
        celery_task_duration.labels(task=task.name).observe(time.perf_counter() - started)
    for token in reversed(tokens):
        token.var.reset(token)


def task_failed(task_id=None, sender=None, **kwargs):
    celery_tasks.labels(task=sender.name, outcome="failure").inc()


def serve_worker_metrics(**kwargs):
    port = settings.WORKER_METRICS_PORT
    if port:
        start_http_server(port, addr=settings.WORKER_METRICS_ADDRESS, registry=exposition_registry())
        logger.info("Worker metrics at http://%s:%s/metrics", settings.WORKER_METRICS_ADDRESS, port)


def forget_child(**kwargs):
    if multiprocess_dir():
        multiprocess.mark_process_dead(os.getpid())


def connect() -> None:
    before_task_publish.connect(add_headers, dispatch_uid="operations-publish", weak=False)
    task_prerun.connect(task_started, dispatch_uid="operations-prerun", weak=False)
    task_postrun.connect(task_finished, dispatch_uid="operations-postrun", weak=False)
    task_failure.connect(task_failed, dispatch_uid="operations-failure", weak=False)
    worker_ready.connect(serve_worker_metrics, dispatch_uid="operations-worker-metrics", weak=False)
    worker_process_shutdown.connect(forget_child, dispatch_uid="operations-worker-child", weak=False)
