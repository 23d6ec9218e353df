"""``/healthz`` and ``/readyz``: alive without dependencies; ready, or 503 naming what is down, never a secret.

The probes are answered before the host check, the HTTPS redirect, sessions and CSRF: a load balancer
probes by address, over plain HTTP, without cookies.
"""

import json
import socket

import pytest

from cms.factories import FileScanFactory, WebhookDeliveryFactory
from search.factories import PendingSearchSyncFactory

CHECKS = {"database", "cache", "broker", "elasticsearch", "virus_scans", "webhook_deliveries", "search_sync"}


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")  # no database access allowed here: a query would fail the test
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_with_the_unit_settings_and_reports_each_check(client):
    FileScanFactory.create_batch(2)
    FileScanFactory(status="clean")
    WebhookDeliveryFactory()
    WebhookDeliveryFactory(status="succeeded")
    PendingSearchSyncFactory.create_batch(3)

    response = client.get("/readyz")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ready"
    checks = report["checks"]
    assert set(checks) >= CHECKS
    for name in ("database", "cache", "broker"):
        assert checks[name]["status"] == "ok" and checks[name]["latency_ms"] >= 0
    assert checks["database"]["required"] is True
    # The hub serves partners without Redis (a cache that misses, the outbox): not a reason to leave the balancer.
    assert checks["cache"]["required"] is False and checks["broker"]["required"] is False
    assert checks["broker"]["state"] == "filesystem"
    # No Elasticsearch configured: search runs on the database, and that is fine.
    assert checks["elasticsearch"] == {
        **checks["elasticsearch"],
        "status": "ok",
        "required": False,
        "state": "database",
    }
    assert checks["virus_scans"]["pending"] == 2
    assert checks["webhook_deliveries"]["pending"] == 1
    assert checks["search_sync"]["pending"] == 3


@pytest.mark.django_db
def test_readyz_stays_ready_but_degraded_when_the_cache_is_down(client, settings, closed_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded"
    assert report["checks"]["cache"] == {**report["checks"]["cache"], "status": "down", "error": "ConnectionError"}
    assert report["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_a_required_broker_is_down_and_shows_no_address_or_password(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://:s3cret-password@127.0.0.1:{closed_port}/0"
    settings.READINESS_OPTIONAL_CHECKS = []  # a deployment that wants the broker required
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unready"
    broker = response.json()["checks"]["broker"]
    assert broker["status"] == "down" and broker["required"] is True
    assert broker["error"] == "OperationalError"
    body = response.content.decode()
    assert "s3cret" not in body and str(closed_port) not in body and "redis://" not in body


@pytest.mark.django_db
def test_the_broker_down_leaves_the_hub_ready_by_default(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == {**response.json()["checks"]["broker"], "status": "down"}


@pytest.mark.django_db
def test_elasticsearch_down_is_reported_as_the_fallback_and_does_not_make_the_hub_unready(
    client, settings, closed_port
):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    response = client.get("/readyz")
    assert response.status_code == 200
    elasticsearch = response.json()["checks"]["elasticsearch"]
    assert elasticsearch["status"] == "down" and elasticsearch["required"] is False
    assert elasticsearch["state"] == "fallback"


@pytest.mark.django_db
def test_probes_skip_host_checks_https_redirect_and_sessions(client, settings):
    settings.ALLOWED_HOSTS = ["partners.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.3.7:8000")  # a load balancer probing a pod by address
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response and not response.cookies
    # Everything else still gets both.
    assert client.get("/api/v1/me", HTTP_HOST="10.0.3.7:8000").status_code == 400
    assert client.get("/api/v1/me", HTTP_HOST="partners.example.com").status_code == 301


@pytest.mark.django_db
def test_probes_are_not_rate_limited(client, settings):
    settings.PARTNERHUB_API_RATE = "2/m"
    assert {client.get("/readyz").status_code for _ in range(5)} == {200}


def test_the_readiness_answer_is_json_with_a_request_id(client, db):
    response = client.get("/readyz", HTTP_X_REQUEST_ID="lb-probe-1")
    assert response["Content-Type"] == "application/json"
    assert response["X-Request-ID"] == "lb-probe-1"
    json.loads(response.content)


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("3f0c2a9e-5b7d-4c1e-9a8b-0d6e2f4a1c3b", True),  # a UUID from a proxy
        ("req.42:web-1_a", True),
        ("bad id with spaces", False),
        ("line\nbreak", False),
        ("x" * 129, False),  # too long
        ("", False),
    ],
)
@pytest.mark.django_db
def test_an_incoming_request_id_is_kept_only_when_well_formed(client, incoming, kept):
    response = client.get("/api/v1/me", HTTP_X_REQUEST_ID=incoming)
    returned = response["X-Request-ID"]
    assert (returned == incoming) is kept
    if not kept:
        assert len(returned) == 32 and returned.isalnum()  # a new one


@pytest.mark.django_db
def test_every_response_gets_its_own_request_id(client):
    ids = {client.get("/api/v1/me")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
