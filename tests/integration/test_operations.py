"""What operators watch, against the real stack: PostgreSQL, Redis (cache and broker), Elasticsearch.

* ``/readyz`` is 200 with every service up, each check ``ok`` and Elasticsearch in use;
* gunicorn with two workers in Prometheus's multiprocess mode: ``/metrics`` adds up the requests of both;
* a task enqueued inside a request runs in a real prefork worker (its child process): the worker's own
  metrics endpoint shows the task's outcome and queue latency, and its JSON log line carries the request's id.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest
import requests

from cms.celery import app
from cms.tasks import worker_probe
from core.operations.context import bound_request_id
from tests.integration.conftest import _database_url_for

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "operations-itest"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}: {log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:  # not listening yet, or a worker still starting
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {seconds}s: {log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def service_env(django_db_setup, tmp_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "LOG_FORMAT": "json",
    }


@pytest.mark.django_db
def test_readyz_is_ready_with_every_service_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    services = ("database", "cache", "broker", "elasticsearch")
    assert {name: checks[name]["status"] for name in services} == dict.fromkeys(services, "ok")
    assert checks["elasticsearch"]["state"] == "elasticsearch"
    assert "state" not in checks["broker"]  # Redis, really connected to


def test_gunicorn_workers_add_up_their_metrics(service_env, tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "-c", "python:core.operations.gunicorn"]
    command += ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", "-"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=service_env, stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz", server, log)
        assert requests.get(f"{base}/readyz", timeout=10).status_code == 200
        for _ in range(20):
            answer = requests.get(f"{base}/api/v1/me", timeout=10, headers={"Connection": "close"})
            assert answer.status_code == 401 and answer.headers["X-Request-ID"]
        metrics = requests.get(f"{base}/metrics", timeout=10).text
        line = 'partnerhub_http_request_duration_seconds_count{method="GET",route="api/v1/me",status="401"}'
        assert f"{line} 20.0" in metrics, metrics[:3000]
        assert 'partnerhub_backlog_items{backlog="virus_scans"} 0.0' in metrics
    finally:
        stop(server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_run_by_a_real_worker_is_measured_and_logs_the_request_id(service_env, tmp_path):
    metrics_port, log = free_port(), tmp_path / "worker.log"
    node = f"operations-{os.getpid()}@{os.uname().nodename}"
    env = {**service_env, "WORKER_METRICS_PORT": str(metrics_port)}
    command = [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=prefork", "--concurrency=1"]
    command += ["-Q", QUEUE, "-n", node, "--without-heartbeat", "--without-gossip", "--without-mingle"]
    with log.open("w") as output:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    app.conf.task_always_eager = False
    try:
        wait_for(f"http://127.0.0.1:{metrics_port}/metrics", worker, log)
        request_id = f"itest-{uuid.uuid4().hex[:12]}"
        with bound_request_id(request_id):  # what OperationsMiddleware binds for a request
            result = worker_probe.apply_async(queue=QUEUE)
        assert result.get(timeout=30)["pid"] not in (os.getpid(), worker.pid)  # a prefork child ran it

        metrics = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
        assert 'partnerhub_celery_tasks_total{outcome="success",task="cms.tasks.worker_probe"} 1.0' in metrics
        assert 'partnerhub_celery_queue_latency_seconds_count{task="cms.tasks.worker_probe"} 1.0' in metrics

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            lines = [json.loads(text) for text in log.read_text().splitlines() if text.startswith("{")]
            task_lines = [line for line in lines if line.get("task") == "cms.tasks.worker_probe"]
            if task_lines:
                break
            time.sleep(0.2)
        assert task_lines, log.read_text()[-3000:]
        assert {line["request_id"] for line in task_lines} == {request_id}
        assert {line["task_id"] for line in task_lines} == {result.id}
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        stop(worker)
