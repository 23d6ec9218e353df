"""Webhooks: front ends are told, in signed POSTs retried by Celery, when content changes for partners.

Every test talks real HTTP to a small server started in the test (``receiver``),
which records each request and answers the status codes it is given. Celery runs
eagerly in tests; with ``eager_retries`` its retries run inline too (an eager retry
ignores the countdown, so nothing sleeps), just as a worker would run them later.
"""

import json
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

import pytest
import time_machine

from cms import webhooks
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.gating.lifecycle import content_archive, content_restore, lifecycle_sweep
from cms.models import Asset, WebhookDelivery, WebhookEndpoint
from cms.tasks import WEBHOOK_MAX_RETRIES, deliver_webhook
from partners.factories import give_second_factor

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
Event = WebhookEndpoint.Event


# --- a real HTTP receiver ------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: object  # email.message.Message: case-insensitive
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """An HTTP server on 127.0.0.1 that records POSTs and answers ``statuses`` in turn (then 200)."""

    def __init__(self):
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    receiver.requests.append(Received(self.path, self.headers, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = b"ok" if status < 300 else b"receiver is down"
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.url + "/redirected")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/partnerhub-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def events(self) -> list[tuple[str, str, int]]:
        return [(r.json["event"], r.json["kind"], r.json["id"]) for r in self.requests]


@pytest.fixture
def receiver(settings):
    # The receiver listens on loopback: allowed as an on-premises receiver would be.
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    receiver.thread.join()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(name="Partner portal", url=receiver.url)


@pytest.fixture
def eager_retries():
    """Let eager tasks retry inline: with eager propagation Celery raises ``Retry`` instead of retrying."""
    conf = deliver_webhook.app.conf
    propagates = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = propagates


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (queuing the deliveries) at the end of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/nobody-listens"


def fresh(item):
    return type(item).objects.get(pk=item.pk)


def publish(item):
    return fresh(item).save_revision().publish(skip_permission_checks=True)


# --- signing -------------------------------------------------------------------------------------


def test_every_request_is_signed_and_a_wrong_secret_fails(receiver, endpoint, on_commit):
    asset = AssetFactory(live=False, title="Q3 battlecard")
    with on_commit():
        publish(asset)

    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    headers, body = request.headers, request.body
    assert request.path == "/partnerhub-hook"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "PartnerHub-Webhooks/1"
    assert headers["X-PartnerHub-Event"] == "published"
    assert headers["X-PartnerHub-Delivery"] == str(delivery.pk)
    assert headers["X-PartnerHub-Signature"].startswith("sha256=")
    # Compact JSON with sorted keys, so that the signed text is the same for everyone.
    assert body == json.dumps(request.json, separators=(",", ":"), sort_keys=True).encode()
    assert request.json == {
        "event": "published",
        "kind": "asset",
        "id": asset.pk,
        "title": "Q3 battlecard",
        "occurred_at": delivery.payload["occurred_at"],
        "delivery_id": delivery.pk,
    }
    assert datetime.fromisoformat(request.json["occurred_at"]).tzinfo is not None

    timestamp, signature = headers["X-PartnerHub-Timestamp"], headers["X-PartnerHub-Signature"]
    assert webhooks.verify_signature(endpoint.secret, timestamp, body, signature)
    assert webhooks.verify_signature(endpoint.secret, timestamp, body.decode(), signature)  # text works as well
    assert not webhooks.verify_signature("not-the-secret", timestamp, body, signature)
    assert not webhooks.verify_signature(endpoint.secret, timestamp, body.replace(b"Q3", b"Q4"), signature)
    assert not webhooks.verify_signature(endpoint.secret, int(timestamp) + 1, body, signature)
    assert not webhooks.verify_signature(endpoint.secret, timestamp, body, "")
    # A captured request replayed later fails, unless the receiver chooses to skip that check.
    later = int(timestamp) + 301
    assert not webhooks.verify_signature(endpoint.secret, timestamp, body, signature, now=later)
    assert webhooks.verify_signature(endpoint.secret, timestamp, body, signature, now=later, tolerance=None)


# --- events --------------------------------------------------------------------------------------


def test_first_publish_is_published_and_publishing_again_is_changed(receiver, endpoint, on_commit):
    program = ProgramFactory(live=False, title="MDF 2027")
    with on_commit():
        publish(program)
    with on_commit():
        publish(program)
    with on_commit():
        fresh(program).unpublish()
    with on_commit():
        publish(program)  # live again after an unpublish: front ends had removed it
    assert receiver.events() == [
        ("published", "program", program.pk),
        ("changed", "program", program.pk),
        ("unpublished", "program", program.pk),
        ("published", "program", program.pk),
    ]
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}


def test_a_scheduled_publish_is_told_when_it_goes_live(receiver, endpoint, on_commit):
    with time_machine.travel(T0, tick=False), on_commit():
        bulletin = BulletinFactory(live=False, go_live_at=T0 + timedelta(hours=1))
        publish(bulletin)  # approved for later: not live yet
    assert receiver.requests == []
    with time_machine.travel(T0 + timedelta(hours=2), tick=False), on_commit():
        lifecycle_sweep()
    assert receiver.events() == [("published", "bulletin", bulletin.pk)]
    assert receiver.requests[0].json["occurred_at"] == (T0 + timedelta(hours=2)).isoformat()


def test_archive_is_archived_not_unpublished_and_restore_is_restored(receiver, endpoint, on_commit):
    asset = AssetFactory(live=True)
    with on_commit():
        content_archive(item=fresh(asset))
    with on_commit():
        content_restore(item=fresh(asset))
    assert receiver.events() == [("archived", "asset", asset.pk), ("restored", "asset", asset.pk)]


def test_publishing_an_old_draft_of_an_archived_item_tells_nobody(receiver, endpoint, on_commit):
    asset = AssetFactory(live=True)
    draft = asset.save_revision()
    content_archive(item=asset)
    with on_commit():
        draft.publish(skip_permission_checks=True)
    assert fresh(asset).archived_at is not None
    assert WebhookDelivery.objects.exclude(event=Event.ARCHIVED).count() == 0


def test_the_sweep_tells_published_expired_and_archived_for_every_item(receiver, endpoint, on_commit, settings):
    settings.ARCHIVE_AFTER_EXPIRY_DAYS = 30
    with time_machine.travel(T0, tick=False):
        scheduled = [ProgramFactory(live=False, go_live_at=T0 + timedelta(hours=1)) for _ in range(3)]
        for item in scheduled:
            publish(item)
        expiring = [BulletinFactory(live=True, expire_at=T0 + timedelta(hours=1)) for _ in range(2)]
    with time_machine.travel(T0 + timedelta(days=1), tick=False), on_commit():
        assert lifecycle_sweep().total == 5
    with time_machine.travel(T0 + timedelta(days=32), tick=False), on_commit():
        assert lifecycle_sweep().archived == 2
    with time_machine.travel(T0 + timedelta(days=33), tick=False), on_commit():
        assert lifecycle_sweep().total == 0  # nothing twice

    assert sorted(receiver.events()) == sorted(
        [("published", "program", item.pk) for item in scheduled]
        + [("expired", "bulletin", item.pk) for item in expiring]
        + [("archived", "bulletin", item.pk) for item in expiring]
    )


def test_wagtails_own_scheduler_unpublishing_at_expiry_is_expired(receiver, endpoint, on_commit):
    with time_machine.travel(T0, tick=False):
        asset = AssetFactory(live=True, expire_at=T0 + timedelta(minutes=5))
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False), on_commit():
        call_command("publish_scheduled", stdout=StringIO())
    assert receiver.events() == [("expired", "asset", asset.pk)]


def _due_population(count):
    with time_machine.travel(T0, tick=False):
        for n in range(count):
            item = AssetFactory(live=False, go_live_at=T0 + timedelta(hours=1), title=f"Scheduled {n}")
            item.save_revision().publish()
            AssetFactory(live=True, expire_at=T0 + timedelta(hours=1), title=f"Expiring {n}")


def _sweep_queries():
    with time_machine.travel(T0 + timedelta(days=2), tick=False), CaptureQueriesContext(connection) as queries:
        result = lifecycle_sweep(batch_size=500)
    return result, len(queries.captured_queries)


def test_sweep_query_count_does_not_grow_with_due_items_when_endpoints_listen(receiver):
    WebhookEndpoint.objects.create(name="Portal", url=receiver.url)
    WebhookEndpoint.objects.create(name="Intranet", url=receiver.url, events=[Event.EXPIRED])
    _due_population(3)
    small_result, small_queries = _sweep_queries()
    assert (small_result.published, small_result.expired) == (3, 3)
    assert WebhookDelivery.objects.filter(event=Event.PUBLISHED).count() == 3
    assert WebhookDelivery.objects.filter(event=Event.EXPIRED).count() == 6  # both endpoints

    Asset.objects.all().delete()
    WebhookDelivery.objects.all().delete()
    _due_population(40)
    big_result, big_queries = _sweep_queries()
    assert (big_result.published, big_result.expired) == (40, 40)
    assert WebhookDelivery.objects.filter(event=Event.PUBLISHED).count() == 40
    assert WebhookDelivery.objects.filter(event=Event.EXPIRED).count() == 80
    assert big_queries == small_queries


def test_without_endpoints_an_event_costs_one_query():
    asset = AssetFactory(live=True)
    WebhookEndpoint.objects.create(name="Off", url="https://portal.example.test/hook", is_active=False)
    with CaptureQueriesContext(connection) as queries:
        assert webhooks.emit(Event.CHANGED, [asset]) == []
    assert len(queries.captured_queries) == 1


def test_endpoints_get_only_the_events_they_want_and_inactive_ones_nothing(receiver, on_commit):
    everything = WebhookEndpoint.objects.create(name="Everything", url=receiver.url + "/all")
    archive_only = WebhookEndpoint.objects.create(name="Archive", url=receiver.url + "/archive", events=["archived"])
    WebhookEndpoint.objects.create(name="Switched off", url=receiver.url + "/off", is_active=False)
    asset = AssetFactory(live=False)
    with on_commit():
        publish(asset)
    with on_commit():
        content_archive(item=fresh(asset))

    sent = sorted((r.path, r.json["event"]) for r in receiver.requests)
    assert sent == [
        ("/partnerhub-hook/all", "archived"),
        ("/partnerhub-hook/all", "published"),
        ("/partnerhub-hook/archive", "archived"),
    ]
    assert set(WebhookDelivery.objects.values_list("endpoint", flat=True)) == {everything.pk, archive_only.pk}
    with pytest.raises(ValueError, match="Unknown webhook event"):
        webhooks.emit("deleted", [asset])


# --- delivery and retries ------------------------------------------------------------------------


def test_failures_are_retried_until_the_endpoint_answers(receiver, endpoint, on_commit, eager_retries):
    receiver.statuses = [500, 503]
    with on_commit():
        content_archive(item=AssetFactory(live=True))

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 3, 200)
    assert delivery.last_error == "" and delivery.delivered_at is not None
    assert len(receiver.requests) == 3
    # Every attempt is the same delivery, signed afresh.
    assert {r.headers["X-PartnerHub-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    for request in receiver.requests:
        headers = request.headers
        assert webhooks.verify_signature(
            endpoint.secret, headers["X-PartnerHub-Timestamp"], request.body, headers["X-PartnerHub-Signature"]
        )

    # A delivery that succeeded is never sent again, e.g. when the broker hands its task out twice.
    deliver_webhook.delay(delivery.pk)
    assert len(receiver.requests) == 3


def test_an_endpoint_that_keeps_failing_is_marked_failed_after_the_last_retry(
    receiver, endpoint, on_commit, eager_retries
):
    receiver.statuses = [500] * 20
    with on_commit():
        content_restore(item=AssetFactory(live=False, archived_at=T0))

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts == WEBHOOK_MAX_RETRIES + 1 == len(receiver.requests)
    assert delivery.last_status_code == 500
    # The status, never what the receiver answered (a scanner's window into the network behind it).
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    assert delivery.delivered_at is None


def test_a_failing_endpoint_never_breaks_the_change_that_is_told(receiver, endpoint, on_commit):
    # Eager tasks propagating errors (the test default) raise at the first failure: the commit logs it and goes on.
    receiver.statuses = [500]
    asset = AssetFactory(live=False)
    with on_commit():
        publish(asset)
    assert fresh(asset).live
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)


def test_a_connection_error_is_a_failed_attempt(endpoint, on_commit, eager_retries):
    endpoint.url = closed_port_url()
    endpoint.save()
    asset = AssetFactory(live=True)
    [delivery] = webhooks.emit(Event.CHANGED, [asset])

    # One attempt, as the service records it: still pending, for the task to retry.
    with pytest.raises(webhooks.WebhookDeliveryError, match="Could not connect"):
        webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error == "Could not connect: connection refused."

    # The task retries it, and gives up after the last retry.
    result = deliver_webhook.delay(delivery.pk)
    assert result.failed()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1 + WEBHOOK_MAX_RETRIES + 1)


def test_a_delivery_to_a_deactivated_endpoint_is_not_sent(receiver, endpoint, on_commit):
    asset = AssetFactory(live=True)
    with on_commit():
        [delivery] = webhooks.emit(Event.CHANGED, [asset])
        endpoint.is_active = False  # before the task runs
        endpoint.save()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 0)
    assert "deactivated" in delivery.last_error
    assert receiver.requests == []


def test_a_redirect_is_not_followed(receiver, endpoint):
    receiver.statuses = [307]
    [delivery] = webhooks.emit(Event.CHANGED, [AssetFactory(live=True)])
    with pytest.raises(webhooks.WebhookDeliveryError):
        webhooks.deliver(delivery.pk, final_attempt=True)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("failed", 307)
    assert delivery.last_error == "HTTP 307 Temporary Redirect (redirects are not followed)"
    assert [r.path for r in receiver.requests] == ["/partnerhub-hook"]


# --- private targets (SSRF) ------------------------------------------------------------------------

PRIVATE_URLS = [
    "http://127.0.0.1/hook",
    "http://localhost:8000/hook",  # a name that resolves to loopback
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/hook",  # shared address space
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",  # multicast
    "http://240.0.0.1/hook",  # reserved
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[fc00::1]/hook",
    "http://[fe80::1]/hook",
    "http://[ff02::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
    "https://[::ffff:a9fe:a9fe]/hook",  # 169.254.169.254, mapped
    "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
]


def endpoint_form(url: str) -> dict:
    return {"name": "Intranet", "url": url, "secret": "s3cret-value", "events": [], "is_active": "on"}


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_the_admin_refuses_an_endpoint_at_a_private_address(superuser_client, url, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    response = superuser_client.post(reverse("webhooks:add"), endpoint_form(url))
    assert response.status_code == 200
    assert "points at a private address" in str(response.context["form"].errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_refuses_changing_an_endpoint_to_a_private_address(superuser_client, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    endpoint = WebhookEndpoint.objects.create(name="Portal", url="https://93.184.215.14/hook")
    response = superuser_client.post(
        reverse("webhooks:edit", args=[endpoint.pk]), endpoint_form("http://169.254.169.254/latest/meta-data/")
    )
    assert response.status_code == 200
    assert "points at a private address (169.254.169.254)" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/hook"


def test_public_addresses_and_allowed_hosts_are_accepted(superuser_client, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost", "10.1.2.3"]
    for url in ("https://93.184.215.14/hook", "http://localhost:8000/hook", "http://10.1.2.3/hook"):
        response = superuser_client.post(reverse("webhooks:add"), endpoint_form(url))
        assert response.status_code == 302, url
    assert sorted(WebhookEndpoint.objects.values_list("url", flat=True)) == [
        "http://10.1.2.3/hook",
        "http://localhost:8000/hook",
        "https://93.184.215.14/hook",
    ]


def _port(receiver) -> int:
    return receiver.server.server_address[1]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/partnerhub-hook",
        "http://localhost:{port}/partnerhub-hook",
        "http://[::ffff:127.0.0.1]:{port}/partnerhub-hook",
        "http://2130706433:{port}/partnerhub-hook",  # 127.0.0.1 as one number
    ],
)
def test_a_delivery_to_a_private_address_is_refused_without_connecting(receiver, settings, url):
    # Saved before the check existed (or straight in the database): refused again when it is sent.
    settings.WEBHOOK_ALLOWED_HOSTS = []
    endpoint = WebhookEndpoint.objects.create(name="Intranet", url=url.format(port=_port(receiver)))
    [delivery] = webhooks.emit(Event.CHANGED, [AssetFactory(live=True)])

    deliver_webhook.delay(delivery.pk)  # not retried: a refused address is not a passing outage

    delivery.refresh_from_db()
    assert receiver.requests == []
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, None)
    assert delivery.last_error.startswith("Refused: the URL points at a private address (")
    assert endpoint.deliveries.get() == delivery


def test_a_name_is_refused_when_any_of_its_addresses_is_private(receiver, settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    port = _port(receiver)
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    WebhookEndpoint.objects.create(name="Rebound", url=f"http://hooks.partner.example:{port}/partnerhub-hook")
    [delivery] = webhooks.emit(Event.CHANGED, [AssetFactory(live=True)])

    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert receiver.requests == []
    assert delivery.last_error == "Refused: the URL points at a private address (127.0.0.1)."


def test_an_allowed_host_is_delivered_to_with_its_own_name(receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost"]
    port = _port(receiver)
    WebhookEndpoint.objects.create(name="On premises", url=f"http://localhost:{port}/partnerhub-hook?team=emea")
    [delivery] = webhooks.emit(Event.CHANGED, [AssetFactory(live=True)])

    webhooks.deliver(delivery.pk)

    [request] = receiver.requests
    assert request.path == "/partnerhub-hook?team=emea"
    assert request.headers["Host"] == f"localhost:{port}"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == ("succeeded", 200, "")


def test_a_non_http_answer_is_recorded_without_what_was_said(settings, eager_retries):
    # E.g. an SSH or Redis port: its banner must not end up in the delivery log.
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()

        def answer():
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"SSH-2.0-OpenSSH_9.2 internal-bastion\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        WebhookEndpoint.objects.create(name="Banner", url=f"http://127.0.0.1:{server.getsockname()[1]}/hook")
        [delivery] = webhooks.emit(Event.CHANGED, [AssetFactory(live=True)])
        with pytest.raises(webhooks.WebhookDeliveryError):
            webhooks.deliver(delivery.pk)
        thread.join(5)

    delivery.refresh_from_db()
    assert delivery.last_status_code is None
    assert delivery.last_error == "Not an HTTP answer (BadStatusLine)."
    assert "SSH" not in delivery.last_error


def test_stored_answer_bodies_are_cleared_by_the_migration(endpoint):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cms.migrations.0010_webhook_deliveries_without_answers")
    payload = {"event": "changed", "kind": "asset", "id": 1, "title": "Deck", "occurred_at": "2027-01-01T00:00:00Z"}
    rows = {
        (500, "HTTP 500 Internal Server Error: root:x:0:0:root:/root:/bin/bash"): "HTTP 500 Internal Server Error",
        (418, "HTTP 418 I'm a teapot: <html>internal dashboard</html>"): "HTTP 418 I'm a Teapot",
        (None, "BadStatusLine: 'SSH-2.0-OpenSSH_9.2'"): "Not an HTTP answer (BadStatusLine).",
        (None, "Could not connect: connection refused."): "Could not connect: connection refused.",
        (None, "ConnectionResetError: [Errno 104] reset"): "Failed (ConnectionResetError).",
        (None, "Not sent: the endpoint was deactivated."): "Not sent: the endpoint was deactivated.",
        (200, ""): "",
    }
    deliveries = {
        WebhookDelivery.objects.create(
            endpoint=endpoint, event="changed", payload=payload, last_status_code=code, last_error=error
        ).pk: cleared
        for (code, error), cleared in rows.items()
    }
    migration.clear_stored_answers(apps, None)
    assert dict(WebhookDelivery.objects.values_list("pk", "last_error")) == deliveries


# --- admin ---------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.test", "admin-password")
    give_second_factor(admin)
    client.force_login(admin)
    return client


def test_endpoints_are_edited_with_event_checkboxes(superuser_client):
    response = superuser_client.get(reverse("webhooks:add"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="checkbox" name="events"') == len(Event.choices)

    response = superuser_client.post(
        reverse("webhooks:add"),
        {
            "name": "Partner portal",
            "url": "https://portal.example.test/hooks",
            "secret": "s3cret-value",
            "events": ["published", "expired"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["published", "expired"]
    assert endpoint.wants("expired") and not endpoint.wants("archived")

    response = superuser_client.post(
        reverse("webhooks:edit", args=[endpoint.pk]),
        {"name": "Partner portal", "url": "ftp://portal.example.test/", "secret": "s3cret-value", "events": []},
    )
    assert response.status_code == 200  # refused: only http(s)
    assert "https://" in response.content.decode()

    listing = superuser_client.get(reverse("webhooks:index")).content.decode()
    assert "Partner portal" in listing and "Published, Expired" in listing
    assert reverse("webhook_deliveries:index") + f"?endpoint={endpoint.pk}" in listing


def test_the_delivery_log_is_listed_read_only(superuser_client, endpoint):
    asset = AssetFactory(live=True, title="Reseller price list")
    ok, failing = webhooks.emit(Event.CHANGED, [asset]) + webhooks.emit(Event.ARCHIVED, [asset])
    WebhookDelivery.objects.filter(pk=ok.pk).update(status="succeeded", attempts=1, last_status_code=200)
    WebhookDelivery.objects.filter(pk=failing.pk).update(
        status="failed", attempts=7, last_status_code=502, last_error="HTTP 502 Bad Gateway"
    )

    response = superuser_client.get(reverse("webhook_deliveries:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Reseller price list", "Succeeded", "Failed", "502", "HTTP 502 Bad Gateway", "Partner portal"):
        assert text in html
    assert reverse("webhook_deliveries:inspect", args=[failing.pk]) in html

    filtered = superuser_client.get(reverse("webhook_deliveries:index"), {"status": "failed"})
    assert [d.pk for d in filtered.context["object_list"]] == [failing.pk]

    inspect = superuser_client.get(reverse("webhook_deliveries:inspect", args=[failing.pk]))
    assert inspect.status_code == 200
    assert "HTTP 502 Bad Gateway" in inspect.content.decode()

    for view_name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"webhook_deliveries:{view_name}", args=[] if view_name == "add" else [failing.pk])


def test_deliveries_whose_task_was_lost_are_queued_again(receiver, endpoint, on_commit):
    from datetime import timedelta

    from django.utils import timezone

    from cms.tasks import requeue_stalled_webhooks

    lost = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="published",
        payload={
            "event": "published",
            "kind": "asset",
            "id": 1,
            "title": "Deck",
            "occurred_at": "2027-01-01T00:00:00Z",
        },
        created_at=timezone.now() - timedelta(minutes=20),
    )
    recent = WebhookDelivery.objects.create(endpoint=endpoint, event="published", payload=lost.payload)
    with on_commit():
        assert requeue_stalled_webhooks() == 1  # the recent one may still be on its way
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == WebhookDelivery.Status.SUCCEEDED
    assert recent.status == WebhookDelivery.Status.PENDING
    assert [r.json["delivery_id"] for r in receiver.requests] == [lost.pk]
