"""Faults of the queue, with real processes: Redis killed and restarted, a worker killed with SIGKILL mid-task.

* Redis (broker and cache) killed: the API and the portal keep answering (the cache is django-redis with
  IGNORE_EXCEPTIONS); a webhook, a search index rebuild, an e-mail and a certificate follow-up enqueued
  during the outage wait in the outbox (``core.outbox``) and reach the worker once Redis is back, handed
  over by beat's sweep (``relay-outbox``, every 2 s here).
* A worker (prefork, 2 processes) killed with SIGKILL, its whole process group, while both of its processes
  wait for a receiver's answer: after a new worker starts, the tasks it held come back (late acknowledgement,
  a Redis visibility timeout of 4 s here) and every one completes once: each webhook delivery id answered
  once, each e-mail written once, each certificate issued once. (A kill in the instant between a
  receiver's 200 and the commit that records it sends that delivery id again: receivers dedupe by it.)

The workers and beat are started by the tests, on the test database, with ``cms.settings.test``.
"""

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_string
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.db import connection, transaction

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from cms.celery import app
from cms.factories import AssetFactory
from cms.models import WebhookDelivery, WebhookEndpoint
from core.outbox import services as outbox_services
from core.outbox.models import OutboxEmail, OutboxTask
from core.outbox.services import outbox_send_mail
from courses.factories import course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from devtools.stack import control
from partners.factories import partner_user
from search.client import get_client
from search.index import alias_name
from search.models import Synonym
from tests.conftest import make_token_user
from tests.integration.conftest import ROOT, _database_url_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- a webhook receiver that counts what it answered ---------------------------------------------------------


class Receiver:
    """Records every delivery id it answered to a sender still waiting for the answer (``answered``), and those
    whose sender was gone by then (``abandoned``: the sender died mid-request and will try again). While ``hold``
    is not set, requests wait for it (at most 30 s) before being answered: a sender is caught mid-request."""

    def __init__(self):
        self.answered, self.abandoned, self.seen = [], [], 0
        self.hold = threading.Event()
        self.hold.set()
        receiver, lock = self, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                delivery = int(self.headers["X-PartnerHub-Delivery"])
                with lock:
                    receiver.seen += 1
                receiver.hold.wait(30)
                readable, _, _ = select.select([self.connection], [], [], 0)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    with lock:
                        receiver.abandoned.append(delivery)
                    return
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                with lock:
                    receiver.answered.append(delivery)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    yield receiver
    receiver.hold.set()
    receiver.server.shutdown()
    receiver.server.server_close()


# --- worker and beat processes ------------------------------------------------------------------------------


@pytest.fixture
def processes(tmp_path):
    """``start(kind, name, **env)``: a ``celery worker`` (prefork, 2) or ``celery beat``, on the test database, in
    its own process group; all stopped after the test. E-mails go to files in ``tmp_path / "mail"``."""
    started = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    app.conf.task_always_eager = False
    outbox_services._broker_down_until = 0.0  # no outage remembered from an earlier test

    def start(kind: str, name: str, **extra) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "TEST_EMAIL_FILE_PATH": str(mail_dir),
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "PARTNERHUB_VAR_DIR": str(tmp_path / "var"),
            **extra,
        }
        if kind == "worker":
            args = ["worker", "-P", "prefork", "-c", "2", "-n", f"{name}@%h", "--without-gossip", "--without-mingle"]
        else:
            args = ["beat", "-s", str(tmp_path / f"{name}-schedule")]
        log = open(ROOT / ".stack" / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cms", *args, "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append((process, log))
        if kind == "worker":
            wait_for(lambda: app.control.ping(timeout=0.5, destination=[f"{name}@{os.uname().nodename}"]), 60, name)
        return process

    (ROOT / ".stack").mkdir(exist_ok=True)
    start.mail_dir = mail_dir
    yield start
    for process, _log in started:
        with_group(process, signal.SIGTERM)
    for process, log in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with_group(process, signal.SIGKILL)
            process.wait()
        log.close()
    app.conf.task_always_eager = True


def with_group(process: subprocess.Popen, sig) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # the worker and its pool processes


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    pytest.fail(f"{what}: not done within {seconds:.0f}s")


def mails(mail_dir: Path) -> Counter:
    """Message-IDs of the e-mails written by the workers' file backend, counted."""
    ids = Counter()
    for path in mail_dir.iterdir():
        for part in path.read_text().split("-" * 79):
            if part.strip():
                ids[message_from_string(part.strip())["Message-ID"]] += 1
    return ids


def earners(count: int):
    """A course, ``count`` partner users who completed it, and a draft certification of it (published later)."""
    course = course_with()
    users = [partner_user() for _ in range(count)]
    for user in users:
        enrollment, _ = course_enroll(user=user, course=course)
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=enrollment.enrolled_at)
    return users, CertificationFactory(live=False, required_courses=[course])


def send_mail(key: str):
    with transaction.atomic():  # as a service deciding an e-mail does: the record commits with the decision
        return outbox_send_mail(dedupe_key=key, subject=f"Mail {key}", message="Hello", recipient_list=["a@x.test"])


# --- Redis killed and restarted -----------------------------------------------------------------------------


def test_redis_killed_requests_keep_answering_and_work_enqueued_meanwhile_arrives_after(client, receiver, processes):
    base = control.stack_dir()
    # The broker lost what it held (killed without persistence): the outbox hands those tasks over again after 15 s.
    worker_env = {"CELERY_UNACKED_RESTORE_SECONDS": "1", "OUTBOX_REDELIVER_SECONDS": "15"}
    workers = [processes("worker", "faults-redis", **worker_env)]
    processes("beat", "faults-beat", OUTBOX_RELAY_SECONDS="2")
    WebhookEndpoint.objects.create(name="Portal", url=receiver.url)
    token_user = make_token_user()
    portal_user = partner_user()
    client.force_login(portal_user)
    _users, certification = earners(2)
    asset = AssetFactory(title="Published in the outage", live=False)
    index_before = set(get_client().indices.get_alias(name=alias_name())) if _alias_exists() else set()
    started = time.monotonic()

    control.stop_service(base, "redis", kill=True)
    phases, requests = {"kill": time.monotonic() - started}, []

    def lap() -> float:
        return round(time.monotonic() - started - sum(phases.values()), 1)

    try:
        for _ in range(3):  # the API (its rate limits live in the cache) and the portal keep answering
            t0 = time.monotonic()
            assert client.get("/api/v1/assets", HTTP_AUTHORIZATION=f"Bearer {token_user.token}").status_code == 200
            t1 = time.monotonic()
            assert client.get("/certifications/").status_code == 200
            requests.append((round(t1 - t0, 1), round(time.monotonic() - t1, 1)))
        phases["6 requests"] = lap()
        asset.save_revision().publish()  # a webhook; the index is written directly (Elasticsearch is up)
        phases["publish asset"] = lap()
        certification.save_revision().publish()  # a certificate follow-up: issue it to who earned it
        phases["publish certification"] = lap()
        Synonym.objects.create(terms="outage, downtime")  # an index rebuild
        email = send_mail("redis-outage")
        phases["synonym, e-mail"] = lap()
        waiting = set(OutboxTask.objects.filter(relayed_at__isnull=True).values_list("task", flat=True))
        assert {
            "cms.tasks.deliver_webhook",
            "certifications.tasks.issue_to_earners",
            "search.tasks.rebuild_search_index",
            "core.outbox.tasks.send_outbox_email",
        } <= waiting
    finally:
        control.start_service(base, "redis")
    outage = time.monotonic() - started

    def outbox_empty() -> bool:
        # A worker holding unacknowledged tasks when Redis dies exits ("Unrecoverable error", a kombu bug on
        # closing the lost channel): its supervisor (systemd's Restart=always, Kubernetes) starts it again.
        if workers[-1].poll() is not None:
            workers.append(processes("worker", f"faults-redis-{len(workers)}", **worker_env))
        return not OutboxTask.objects.exists()

    wait_for(outbox_empty, 60, "the outbox empties once Redis is back")
    delivery = WebhookDelivery.objects.get(payload__kind="asset", payload__id=asset.pk)
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    deliveries = WebhookDelivery.objects.values_list("pk", flat=True)  # the asset's and the certification's
    assert Counter(receiver.answered) == dict.fromkeys(deliveries, 1)
    assert Certificate.objects.filter(certification=certification).count() == 2
    assert mails(processes.mail_dir) == {OutboxEmail.objects.get(pk=email.pk).message_id: 1}
    assert set(get_client().indices.get_alias(name=alias_name())) - index_before  # rebuilt into a new index
    print(
        f"Redis down for {outage:.1f}s; everything delivered {time.monotonic() - started:.1f}s after the kill; "
        f"worker restarts: {len(workers) - 1}; seconds: {phases}; each (api, portal) request: {requests}"
    )


def _alias_exists() -> bool:
    return get_client().indices.exists_alias(name=alias_name())


# --- a worker killed with SIGKILL in the middle of tasks ----------------------------------------------------


def test_a_worker_killed_mid_task_leaves_every_task_done_exactly_once(receiver, processes):
    receiver.hold.clear()  # deliveries wait for an answer: the kill finds both worker processes mid-request
    fast_restore = {"CELERY_VISIBILITY_TIMEOUT": "4", "CELERY_UNACKED_RESTORE_SECONDS": "1"}
    first = processes("worker", "faults-first", **fast_restore)
    WebhookEndpoint.objects.create(name="Portal", url=receiver.url)
    users, certification = earners(3)
    assets = [AssetFactory(title=f"Asset {n}", live=False) for n in range(6)]
    with transaction.atomic():
        for asset in assets:
            asset.save_revision().publish()
        certification.save_revision().publish()
        emails = [send_mail(f"kill-{n}") for n in range(3)]

    wait_for(lambda: receiver.seen >= 1, 30, "the first worker delivers")
    deadline = time.monotonic() + 2  # its second process too, soon (a held request times out after 5 s)
    while receiver.seen < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    with_group(first, signal.SIGKILL)
    first.wait()
    wait_for(lambda: not control.group_alive(first.pid), 10, "the pool processes die too")  # their sockets close
    receiver.hold.set()
    total = WebhookDelivery.objects.count()  # the assets' and the certification's
    done_at_kill = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.SUCCEEDED).count()
    assert done_at_kill < total  # it died with work in hand

    processes("worker", "faults-second", **fast_restore)
    wait_for(
        lambda: (
            WebhookDelivery.objects.filter(status=WebhookDelivery.Status.SUCCEEDED).count() == total
            and not OutboxEmail.objects.filter(sent_at__isnull=True).exists()
            and Certificate.objects.filter(certification=certification).count() == len(users)
        ),
        120,  # ~30 s on a quiet machine; a busy CI machine takes longer to restore and rerun them
        "the second worker finishes what the first one held",
    )
    deliveries = list(WebhookDelivery.objects.values_list("pk", flat=True))
    assert Counter(receiver.answered) == dict.fromkeys(deliveries, 1)  # each delivery id answered once
    events = {(d.payload["kind"], d.payload["id"]) for d in WebhookDelivery.objects.all()}
    assert len(events) == len(deliveries)  # one delivery id per event
    message_ids = {OutboxEmail.objects.get(pk=e.pk).message_id for e in emails}
    assert mails(processes.mail_dir) == dict.fromkeys(message_ids, 1)  # each e-mail written once
    for user in users:
        assert Certificate.objects.filter(user=user, certification=certification).count() == 1
    assert receiver.abandoned  # the killed worker really was mid-request
    print(f"killed with {done_at_kill} of {total} deliveries done; abandoned mid-request: {receiver.abandoned}")
