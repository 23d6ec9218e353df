"""Gunicorn's settings for the hub in production (and for ``make load``, which measures them).

    gunicorn -c gunicorn.conf.py cms.wsgi

Every value can be set from the environment, so one file serves every size of server:

- ``WEB_CONCURRENCY``: worker processes (default ``2 x cores + 1``, the usual figure for a server that also
  waits on PostgreSQL, Redis and Elasticsearch); ``GUNICORN_THREADS``: threads per worker (default 1: requests
  are CPU-bound Python, threads add little under the GIL and make every worker's memory and connections
  grow; raise it for slow upstreams).
- ``GUNICORN_BIND`` (default ``127.0.0.1:8000``: behind a proxy on the same host; ``0.0.0.0:8000`` in a container).
- ``GUNICORN_TIMEOUT`` (30 s): a worker silent that long is killed and replaced; no request of the hub should
  take it (file conversions run in Celery). ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s) on restarts and deploys.
- ``GUNICORN_KEEPALIVE`` (5 s): above a load balancer's idle timeout is what it wants; 5 s suits a proxy in front.
- ``GUNICORN_MAX_REQUESTS`` (2000) with a jitter of a tenth: each worker is replaced after that many requests,
  the workers not all at once, so a slow leak never grows unbounded.
- ``GUNICORN_CONTROL_SOCKET``: the path of gunicorn's control socket (``gunicornc``); none by default.
- ``preload_app``: the application is imported once in the master, ``cms.wsgi`` freezes what it loaded out of
  the garbage collector (``gc.freeze``), and the forked workers share those pages; a broken deploy fails at
  start rather than in every worker. Connections (database, Redis, Elasticsearch) are opened per worker, after
  the fork, on first use.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
preload_app = True
# Request lines and headers: gunicorn's limits, stated (a bearer token and cookies fit well inside).
limit_request_line = 8190
limit_request_fields = 100
# Worker heartbeat files in memory, not on a disk that may stall (containers' /tmp may be an overlay).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - a memory file system, no temporary files of others' in it
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
# Logs to stderr, where the process manager collects them; the access log only when asked (a line per request).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "partnerhub"
# Gunicorn's control socket (``gunicornc``): off unless a path is given, so that two instances on one host (and
# a process manager that restarts them) never fight over the default path in $HOME.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
# Prometheus's multiprocess mode (PROMETHEUS_MULTIPROC_DIR): the folder emptied at start, a dead worker's gauges
# dropped (core.operations.gunicorn).
from core.operations.gunicorn import child_exit, on_starting  # noqa: E402, F401
