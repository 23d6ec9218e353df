"""gunicorn server hooks for Prometheus's multiprocess mode: ``gunicorn -c python:core.operations.gunicorn``.

With ``PROMETHEUS_MULTIPROC_DIR`` set, every worker writes its series to files in that folder and
``/metrics`` (answered by any worker) adds them up. The folder is emptied when the server starts (files of
a previous run would be counted again) and a worker's live gauges are dropped when it exits. A
deployment's own gunicorn config can import these two hooks instead.
"""

import os
from pathlib import Path


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
