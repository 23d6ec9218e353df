"""``/metrics``: the named series after requests, tasks, lifecycle transitions, searches and certificates;
bounded labels; refused without the token (or from another address) when protection is on.
"""

import time
from datetime import timedelta

from django.utils import timezone

import pytest
from celery import shared_task
from prometheus_client import REGISTRY

from certifications.factories import CertificationFactory
from certifications.services import certificate_issue_if_earned
from cms.factories import AssetFactory, FileScanFactory
from cms.gating.lifecycle import content_archive, lifecycle_sweep
from cms.tasks import worker_probe
from core.operations.worker import SENT_AT_HEADER
from courses.factories import course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from partners.factories import partner_user

TOKEN = "scrape-token-0123456789"


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@shared_task
def quiet_probe():
    return "done"


@shared_task
def failing_probe():
    raise RuntimeError("this task fails on purpose")


@pytest.mark.django_db
def test_requests_are_timed_by_route_pattern_not_by_raw_path(client, gold_partner_user):
    route = "api/v1/assets/<int:asset_id>"
    labels = {"route": route, "method": "GET", "status": "404"}
    before = sample("partnerhub_http_request_duration_seconds_count", **labels)
    for asset_id in (918273, 918274):
        client.get(f"/api/v1/assets/{asset_id}", **gold_partner_user.headers)

    text = scrape(client)

    assert sample("partnerhub_http_request_duration_seconds_count", **labels) == before + 2
    assert f'route="{route}"' in text
    assert "918273" not in text  # the raw path never becomes a label


@pytest.mark.django_db
def test_probes_are_not_counted_as_requests(client):
    client.get("/healthz")
    assert 'route="healthz"' not in scrape(client) and "/healthz" not in scrape(client)


@pytest.mark.django_db
def test_task_outcomes_and_durations_are_counted(client):
    success = {"task": "cms.tasks.worker_probe", "outcome": "success"}
    failure = {"task": failing_probe.name, "outcome": "failure"}
    before_success, before_failure = (
        sample("partnerhub_celery_tasks_total", **success),
        sample("partnerhub_celery_tasks_total", **failure),
    )

    worker_probe.delay()
    with pytest.raises(RuntimeError):
        failing_probe.delay()  # eager, the error propagates
    failing_probe.apply(throw=False)  # as in a worker: the failure is recorded, not raised

    text = scrape(client)
    assert sample("partnerhub_celery_tasks_total", **success) == before_success + 1
    assert sample("partnerhub_celery_tasks_total", **failure) == before_failure + 2
    assert 'partnerhub_celery_task_duration_seconds_count{task="cms.tasks.worker_probe"}' in text


def test_queue_latency_comes_from_the_sent_at_header():
    name = "partnerhub_celery_queue_latency_seconds_bucket"
    before = {le: sample(name, task=quiet_probe.name, le=le) for le in ("1.0", "5.0")}
    quiet_probe.apply(headers={SENT_AT_HEADER: time.time() - 3})  # published 3 s before a worker started it
    assert sample(name, task=quiet_probe.name, le="1.0") == before["1.0"]
    assert sample(name, task=quiet_probe.name, le="5.0") == before["5.0"] + 1


@pytest.mark.django_db
def test_lifecycle_transitions_are_counted(client):
    expired = {"kind": "asset", "event": "expired"}
    archived = {"kind": "asset", "event": "archived"}
    before = (
        sample("partnerhub_lifecycle_transitions_total", **expired),
        sample("partnerhub_lifecycle_transitions_total", **archived),
    )
    assets = AssetFactory.create_batch(2, expire_at=timezone.now() + timedelta(minutes=1))
    lifecycle_sweep(now=timezone.now() + timedelta(minutes=2))
    content_archive(item=type(assets[0]).objects.get(pk=assets[0].pk))

    assert sample("partnerhub_lifecycle_transitions_total", **expired) == before[0] + 2
    assert sample("partnerhub_lifecycle_transitions_total", **archived) == before[1] + 1
    assert 'partnerhub_lifecycle_transitions_total{event="expired",kind="asset"}' in scrape(client)


@pytest.mark.django_db
def test_the_search_backend_that_answered_is_counted(client, gold_partner_user):
    labels = {"method": "search", "backend": "database"}
    before = sample("partnerhub_search_requests_total", **labels)
    response = client.get("/api/v1/search?q=battlecard", **gold_partner_user.headers)
    assert response.status_code == 200
    assert sample("partnerhub_search_requests_total", **labels) == before + 1


@pytest.mark.django_db
def test_certificates_issued_are_counted_once_committed(client, django_capture_on_commit_callbacks):
    course = course_with()
    certification = CertificationFactory(required_courses=[course])
    user = partner_user()
    enrollment, _ = course_enroll(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    before = sample("partnerhub_certificates_issued_total", how="issued")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert certificate_issue_if_earned(user=user, certification=certification) is not None
    assert sample("partnerhub_certificates_issued_total", how="issued") == before  # not before the commit
    for callback in callbacks:
        callback()

    assert sample("partnerhub_certificates_issued_total", how="issued") == before + 1
    assert 'partnerhub_certificates_issued_total{how="issued"}' in scrape(client)


@pytest.mark.django_db
def test_backlogs_are_gauges_counted_when_scraped(client):
    FileScanFactory.create_batch(3)
    assert 'partnerhub_backlog_items{backlog="virus_scans"} 3.0' in scrape(client)
    FileScanFactory()
    assert 'partnerhub_backlog_items{backlog="virus_scans"} 4.0' in scrape(client)


@pytest.mark.django_db
def test_metrics_need_the_bearer_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = TOKEN
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    assert "partnerhub_" in scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


@pytest.mark.django_db
def test_metrics_only_from_allowed_addresses_when_listed(client, settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 403  # the test client connects from 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 403  # never trusted here


def test_metrics_are_refused_when_protection_is_required_and_none_is_set(client, settings):
    settings.METRICS_REQUIRE_PROTECTION = True
    response = client.get("/metrics")
    assert response.status_code == 403
    assert b"METRICS_TOKEN" in response.content
