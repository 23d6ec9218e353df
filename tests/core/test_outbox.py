"""The transactional outbox (core.outbox): work commits with its transaction, reaches the broker after it or later."""

from django.core import mail
from django.core.management import call_command
from django.db import transaction

import pytest

from cms.celery import app
from core.outbox import services
from core.outbox.models import OutboxEmail, OutboxTask
from core.outbox.selectors import outbox_depth
from core.outbox.services import outbox_email_deliver, outbox_enqueue, outbox_relay, outbox_send_mail

pytestmark = pytest.mark.django_db

PROBE = "cms.tasks.worker_probe"


@pytest.fixture
def broker_down(settings):
    """A real broker connection to a closed port: Celery is not eager, and every hand-over is refused."""
    before = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # discard: nothing listens there
    app.conf.broker_connection_timeout = 0.5
    app._pool = app.amqp._producer_pool = None  # connections made anew, to the closed port
    services._broker_down_until = 0.0
    yield
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout = before
    app._pool = app.amqp._producer_pool = None
    services._broker_down_until = 0.0


def test_work_commits_with_its_transaction_or_not_at_all(django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(task=PROBE)
        raise RuntimeError("the change fails")
    assert not OutboxTask.objects.exists()  # rolled back with it

    with django_capture_on_commit_callbacks() as callbacks:
        outbox_enqueue(task=PROBE, dedupe_key="probe")
        outbox_enqueue(task=PROBE, dedupe_key="probe")  # the same work still waiting: not recorded twice
    assert OutboxTask.objects.count() == 1
    for callback in callbacks:
        callback()  # the commit: eager Celery runs the task, and the row is gone
    assert not OutboxTask.objects.exists()


def test_a_broker_that_is_down_keeps_the_row_and_raises_into_no_one(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(task=PROBE, args=[], dedupe_key="probe")  # the after-commit hand-over is refused quietly
    row = OutboxTask.objects.get()
    assert row.attempts == 1 and "Error" in row.last_error
    assert outbox_depth()["tasks"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(task=PROBE, dedupe_key="second")  # within the outage: left to the sweep, not even tried
    assert OutboxTask.objects.get(dedupe_key="second").attempts == 0

    assert outbox_relay() == 0  # the sweep stops at the first refusal
    assert OutboxTask.objects.count() == 2


def test_the_sweep_hands_over_what_waited(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # never committed here: as if the process died at the commit
        outbox_enqueue(task=PROBE, dedupe_key="a")
        outbox_enqueue(task=PROBE, dedupe_key="b")
    call_command("relay_outbox")
    assert "Relayed 2 task(s); 0 still waiting" in capsys.readouterr().out
    assert not OutboxTask.objects.exists()


def test_readyz_reports_the_work_still_waiting_in_the_outbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # never handed over: as if the broker had been down at the commit
        outbox_enqueue(task=PROBE, dedupe_key="a")
        outbox_enqueue(task=PROBE, dedupe_key="b")
        outbox_send_mail(dedupe_key="reminder:9", subject="Hello", message="Body", recipient_list=["a@x.test"])

    checks = client.get("/readyz").json()["checks"]

    assert checks["outbox_tasks"]["pending"] == 3  # the two, and the e-mail's delivery
    assert checks["outbox_emails"]["pending"] == 1
    call_command("relay_outbox")
    assert client.get("/readyz").json()["checks"]["outbox_tasks"]["pending"] == 0


def test_an_e_mail_is_recorded_once_per_decision_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox_send_mail(dedupe_key="reminder:1", subject="Hello", message="Body", recipient_list=["a@x.test"])
        assert (
            outbox_send_mail(dedupe_key="reminder:1", subject="Hi", message="B", recipient_list=["a@x.test"]) is None
        )
    assert OutboxEmail.objects.count() == 1
    (sent,) = mail.outbox  # sent by the outbox's task after the commit
    assert sent.subject == "Hello" and sent.extra_headers["Message-ID"] == email.message_id
    assert outbox_email_deliver(email_id=email.pk) is False  # a task handed out twice sends nothing
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().sent_at is not None
    assert outbox_depth() == {"tasks": 0, "in_flight": 0, "oldest_seconds": 0.0, "emails_unsent": 0}


def test_a_task_the_broker_took_but_no_worker_finished_is_handed_over_again(settings):
    from datetime import timedelta

    from django.utils import timezone

    from core.outbox.services import outbox_task_finished, outbox_task_retrying

    now = timezone.now()
    long_ago = now - timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS + 1)
    lost = OutboxTask.objects.create(task=PROBE, relayed_at=long_ago)
    running = OutboxTask.objects.create(task=PROBE, relayed_at=now)
    assert outbox_depth()["in_flight"] == 2
    assert outbox_relay() == 1  # the broker lost the first (a Redis killed without persistence): sent again
    assert list(OutboxTask.objects.all()) == [running]
    outbox_task_retrying(task_id=str(running.pk))  # a retry is a sign of life
    assert OutboxTask.objects.get().relayed_at > now
    outbox_task_finished(task_id=str(running.pk))  # the worker's task_postrun
    outbox_task_finished(task_id="not-an-outbox-task")
    assert not OutboxTask.objects.filter(pk__in=[lost.pk, running.pk]).exists()
