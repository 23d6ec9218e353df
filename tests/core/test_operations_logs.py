"""Logs: one JSON object per line in production, with the request id, which follows the request into its tasks."""

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from celery.signals import before_task_publish

from core.operations.context import bound_request_id, current_request_id
from core.operations.logs import ContextFilter, json_formatter, logging_config

ROOT = Path(__file__).resolve().parents[2]
task_logger = logging.getLogger("tests.core.operations-task")


@shared_task
def logging_probe(word):
    task_logger.warning("task says %s", word)
    return current_request_id()


@pytest.fixture
def json_lines():
    """What the production JSON handler writes, one parsed object per line (``lines()``)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_log_line_is_one_json_object_with_the_request_id(json_lines):
    with bound_request_id("req-7"):
        logging.getLogger("partnerhub.test").warning("Hello %s", "there", extra={"asset_id": 12})
    logging.getLogger("partnerhub.test").warning("outside")
    inside, outside = json_lines()
    assert inside["message"] == "Hello there"
    assert inside["level"] == "WARNING" and inside["logger"] == "partnerhub.test"
    assert inside["request_id"] == "req-7" and inside["asset_id"] == 12
    assert inside["timestamp"]
    assert outside["request_id"] == "-"


@pytest.mark.django_db
def test_the_request_id_is_in_the_response_and_in_the_requests_log_lines(client, json_lines):
    response = client.get("/api/v1/me", HTTP_X_REQUEST_ID="from-the-proxy-1")
    assert response["X-Request-ID"] == "from-the-proxy-1"
    unauthorized = [line for line in json_lines() if line["logger"] == "django.request"]
    assert unauthorized and unauthorized[0]["request_id"] == "from-the-proxy-1"


def test_the_request_id_travels_in_the_task_headers_into_the_tasks_log_lines(json_lines):
    headers = {}
    with bound_request_id("req-42"):  # what the request's middleware bound
        before_task_publish.send(sender=logging_probe.name, body=((), {}, {}), headers=headers)
    assert headers["partnerhub_request_id"] == "req-42" and headers["partnerhub_sent_at"] > 0

    # The worker: another context, where no request is bound; the headers bring its id.
    assert current_request_id() is None
    result = logging_probe.apply(args=["hi"], headers=headers)

    assert result.get() == "req-42"
    task_line = next(line for line in json_lines() if line["message"] == "task says hi")
    assert task_line["request_id"] == "req-42"
    assert task_line["task"] == logging_probe.name and task_line["task_id"] == result.id
    assert current_request_id() is None  # unbound after the task


def test_a_task_enqueued_eagerly_inside_a_request_keeps_its_id(json_lines):
    with bound_request_id("req-eager"):
        assert logging_probe.delay("eager").get() == "req-eager"
    assert next(line for line in json_lines() if line["message"] == "task says eager")["request_id"] == "req-eager"


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "partners.example.com",
    "CLAMAV_URL": "tcp://127.0.0.1:3310",
}
SCRIPT = """
import json, logging, sentry_sdk
from django.conf import settings
from django.test import Client
logging.getLogger("partnerhub.check").warning("production line")
client = Client()
print(json.dumps({
    "format": settings.LOG_FORMAT,
    "healthz": client.get("/healthz", HTTP_HOST="10.0.0.5").status_code,
    "metrics": client.get("/metrics").status_code,
    "metrics_token": client.get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken").status_code,
    "sentry": sentry_sdk.get_client().is_active(),
    "sentry_pii": sentry_sdk.get_client().options.get("send_default_pii"),
    "integrations": sorted(sentry_sdk.get_client().integrations),
}))
"""


def production_shell(**env):
    import os

    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SENTRY_DSN", "LOG_FORMAT")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_production_logs_json_protects_metrics_and_has_no_sentry_without_a_dsn():
    answer, stderr = production_shell()
    assert answer["format"] == "json"
    line = next(json.loads(text) for text in stderr.splitlines() if "production line" in text)
    assert line["level"] == "WARNING" and line["request_id"] == "-"
    assert answer["healthz"] == 200  # by address, over plain HTTP: no host check, no HTTPS redirect
    assert answer["metrics"] == 403  # neither a token nor addresses configured
    assert answer["sentry"] is False


def test_production_with_a_token_and_a_sentry_dsn():
    answer, _ = production_shell(
        METRICS_TOKEN="t0ken",
        SENTRY_DSN="https://public@sentry.example.invalid/1",
        SENTRY_TRACES_SAMPLE_RATE="0.25",
        LOG_FORMAT="text",
    )
    assert answer["metrics_token"] == 200 and answer["metrics"] == 401
    assert answer["sentry"] is True and answer["sentry_pii"] is False
    assert {"django", "celery"} <= set(answer["integrations"])
    assert answer["format"] == "text"
