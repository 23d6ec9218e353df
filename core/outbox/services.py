"""Writes of the outbox: record work in the caller's transaction, hand it to the broker after the commit.

* :func:`outbox_enqueue` (and :func:`outbox_enqueue_each` for many calls of one task) records
  ``OutboxTask`` rows in the current transaction, so the task exists exactly when the change
  does. After the commit this process hands them to the broker at once (:func:`outbox_relay`
  with their ids); what the broker refuses stays, and beat's sweep (``relay-outbox``) or
  ``manage.py relay_outbox`` hands it over later. Nothing raises into the caller: a broker
  that is down costs one refused connection, and then none for ``OUTBOX_OUTAGE_SECONDS``.
* A row is marked relayed once the broker accepted it and deleted when its task has run
  (``task_postrun``, :func:`outbox_task_finished`); one still there ``OUTBOX_REDELIVER_SECONDS``
  after its hand-over is handed over again (the broker lost it). Hand-over is at least once:
  every task behind the outbox is idempotent.
* :func:`outbox_send_mail` records an e-mail under a dedupe key in the caller's transaction (a
  second one under the same key is not recorded) and queues its sending through the outbox;
  :func:`outbox_email_deliver` sends it under a row lock and marks it sent in the same transaction.
"""

import logging
import time
import uuid
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from celery import current_app

from .models import OutboxEmail, OutboxTask

logger = logging.getLogger("partnerhub.outbox")

_ERROR_CHARS = 1000
# Until this monotonic time, commits leave their rows to the sweep: the broker refused a hand-over just now.
_broker_down_until = 0.0


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def outbox_enqueue(*, task, args=(), kwargs=None, dedupe_key: str | None = None) -> None:
    """Record one call of ``task`` (a Celery task or its name) in the current transaction; relayed after the commit.

    With a ``dedupe_key`` the call is not recorded when one under that key is still waiting.
    """
    outbox_enqueue_each(task=task, calls=[(list(args), kwargs or {}, dedupe_key)])


def outbox_enqueue_each(*, task, calls: list[tuple[list, dict, str | None]]) -> None:
    """Record many calls of one task, ``(args, kwargs, dedupe_key)`` each, in one INSERT."""
    if not calls:
        return
    name = _task_name(task)
    rows = [
        OutboxTask(id=uuid.uuid4(), task=name, args=list(args), kwargs=dict(kwargs), dedupe_key=key)
        for args, kwargs, key in calls
    ]
    OutboxTask.objects.bulk_create(rows, ignore_conflicts=True)  # a waiting row with the same key stands for it
    ids, keys = [row.id for row in rows], [row.dedupe_key for row in rows if row.dedupe_key]
    transaction.on_commit(lambda: _relay_after_commit(ids, keys), robust=True)


def _relay_after_commit(ids: list, keys: list[str]) -> None:
    if time.monotonic() < _broker_down_until:
        return  # the sweep hands them over once the broker is back
    try:
        outbox_relay(ids=ids, keys=keys)  # a row that stood in for one of ours (same key) goes too
    except Exception:
        # After the commit the change is done: nothing here may turn it into an error (the rows stay).
        logger.exception("Could not relay %d outbox task(s) after the commit; the sweep will.", len(ids))


def _task(name: str):
    """The registered task of that name; its module (``app.module.function``) is imported first when needed."""
    if name not in current_app.tasks:
        try:
            import_module(name.rpartition(".")[0])
        except ImportError:
            return None  # not a task of this code base: sent by name
    return current_app.tasks.get(name)


def _publish(row: OutboxTask) -> None:
    task = _task(row.task)
    # One reconnection: a pooled connection that died with a restarted Redis is replaced, a dead one is not waited
    # on. No result is kept: waiting on the result backend (Redis too) would retry for 20 s before the hand-over.
    options = {
        "task_id": str(row.id),
        "ignore_result": True,
        "retry": True,
        "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
    }
    if task is None:
        current_app.send_task(row.task, args=row.args, kwargs=row.kwargs, **options)
    else:
        task.apply_async(args=row.args, kwargs=row.kwargs, **options)


def outbox_relay(*, ids: list | None = None, keys: list[str] = (), limit: int | None = None) -> int:
    """Hand waiting tasks to the broker (those of ``ids`` or ``keys``, or the oldest ``limit``); answers how many.

    Stops at the first refusal (the broker is down: the next try would fail the same way),
    counting it on the refused row, which then waits behind the others. Rows are locked with
    SKIP LOCKED, so two relays never hand over the same row at the same time. With eager
    Celery (the embedded default, unit tests) the tasks run here, after their rows are gone.
    """
    global _broker_down_until
    limit = limit or settings.OUTBOX_RELAY_BATCH
    eager = current_app.conf.task_always_eager
    due = timezone.now() - timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS)
    rows = OutboxTask.objects.filter(Q(relayed_at__isnull=True) | Q(relayed_at__lt=due))
    if ids is not None:
        rows = rows.filter(Q(pk__in=ids) | Q(dedupe_key__in=keys)) if keys else rows.filter(pk__in=ids)
    taken: list[OutboxTask] = []
    with transaction.atomic():
        batch = list(rows.select_for_update(skip_locked=True).order_by("attempts", "created_at")[:limit])
        for row in batch:
            if not eager:
                try:
                    _publish(row)
                except Exception as error:
                    _broker_down_until = time.monotonic() + settings.OUTBOX_OUTAGE_SECONDS
                    logger.warning("The broker refused outbox task %s (%s): %s", row.pk, row.task, error)
                    OutboxTask.objects.filter(pk=row.pk).update(
                        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:_ERROR_CHARS]
                    )
                    break
            taken.append(row)
        taken_ids = [row.pk for row in taken]
        if eager:  # run below, outside this transaction: nothing left to wait for
            OutboxTask.objects.filter(pk__in=taken_ids).delete()
        else:  # the worker deletes each row when its task has run
            OutboxTask.objects.filter(pk__in=taken_ids).update(relayed_at=timezone.now())
    if eager:
        for row in taken:
            try:
                _publish(row)
            except Exception:
                logger.exception("Outbox task %s (%s) failed", row.pk, row.task)
    return len(taken)


def _outbox_pk(task_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(task_id))
    except ValueError:
        return None


def outbox_task_finished(*, task_id: str) -> None:
    """A task has run (succeeded, or failed for good): its outbox row, if it had one, is done."""
    if pk := _outbox_pk(task_id):
        OutboxTask.objects.filter(pk=pk).delete()


def outbox_task_retrying(*, task_id: str) -> None:
    """A task will run again later (a retry with a countdown): its row counts as handed over from now."""
    if pk := _outbox_pk(task_id):
        OutboxTask.objects.filter(pk=pk).update(relayed_at=timezone.now())


def outbox_sweep() -> int:
    """Hand over everything waiting, batch after batch, until the broker refuses; forget old sent e-mails."""
    relayed = 0
    while True:
        count = outbox_relay()
        relayed += count
        if count < settings.OUTBOX_RELAY_BATCH:
            break
    keep = timedelta(days=settings.OUTBOX_EMAIL_KEEP_DAYS)
    OutboxEmail.objects.filter(sent_at__lt=timezone.now() - keep).delete()
    return relayed


# --- e-mail ---------------------------------------------------------------------------------------


def outbox_send_mail(
    *, dedupe_key: str, subject: str, message: str, recipient_list: list[str], from_email: str | None = None
) -> OutboxEmail | None:
    """Record an e-mail in the current transaction and have the worker send it after the commit, once.

    ``dedupe_key`` names the decision (e.g. ``certificate-expiry:42:30``): an e-mail already
    recorded under it is not recorded again, and ``None`` is answered.
    """
    email = OutboxEmail(
        dedupe_key=dedupe_key,
        subject=subject.replace("\n", " ").strip(),
        body=message,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(recipient_list),
    )
    email.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's transaction usable
            email.save()
    except IntegrityError:
        return None
    outbox_enqueue(task="core.outbox.tasks.send_outbox_email", args=[email.pk], dedupe_key=f"email:{email.pk}")
    return email


def outbox_mail_now(*, decided=None, **mail) -> OutboxEmail | None:
    """For a task deciding e-mails one by one: record the e-mail (:func:`outbox_send_mail`, same arguments) and
    what ``decided()`` writes (e.g. a reminder's sent mark) in one transaction, then send it at once.

    A run killed before its commit decided nothing; one killed after it leaves the sending to the outbox's task;
    a mail server that is down leaves it to that task's retries. Either way, each decision is sent once.
    """
    with transaction.atomic():
        email = outbox_send_mail(**mail)
        if decided is not None:
            decided()
    if email is not None:
        try:
            outbox_email_deliver(email_id=email.pk)
        except Exception:
            logger.exception("Could not send e-mail %s now; the outbox's task retries it.", email.pk)
    return email


def outbox_email_deliver(*, email_id: int) -> bool:
    """Send one recorded e-mail unless it was sent; answers whether it was sent now.

    The row is locked while it is sent and marked sent in the same transaction: a worker
    killed before the mark leaves it unsent (and the task, acknowledged late, comes back);
    two workers never send it at the same time.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False
        EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            headers={"Message-ID": email.message_id},
        ).send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
    return True
