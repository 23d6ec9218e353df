"""Webhooks: front ends are told, in signed and retried POSTs, when content changes for partners.

Writes live here, in the style of ``cms.services``; ``cms.tasks.deliver_webhook`` only
calls :func:`deliver` and lets Celery retry it.

* :func:`emit` records one ``WebhookDelivery`` per (active endpoint that wants the
  event, item) pair in a single bulk INSERT, and a ``deliver_webhook`` task for each in
  the outbox (``core.outbox``) in the same transaction: handed to the broker after the
  commit, or by the outbox's sweep when Redis was down. Without endpoints it costs one query.
* :func:`deliver` POSTs one delivery and records the attempt. A 2xx answer marks it
  succeeded (and a succeeded delivery is never sent again); anything else raises
  :class:`WebhookDeliveryError` so that the task retries with backoff, and the last
  attempt marks it failed. Only public addresses are reached, checked after DNS resolution
  (:mod:`cms.webhook_targets`; ``WEBHOOK_ALLOWED_HOSTS`` names exceptions): a refused
  address fails the delivery at once. Redirects are not followed, and the log keeps the
  status code of an answer, never its body.

Events (``WebhookEndpoint.Event``): ``published`` when an item goes live (its first
publish, or again after it was unpublished, expired or restored), ``changed`` when a
live item is published again, ``unpublished``, ``expired``, ``archived`` (by an
editor or automatically after expiry) and ``restored`` (back to a draft).

What a receiver gets: a JSON body, compact with sorted keys, e.g.::

    {"delivery_id":42,"event":"published","id":7,"kind":"asset","occurred_at":"2027-03-01T09:00:00+00:00",
     "title":"Q3 battlecard"}

with headers ``X-PartnerHub-Event``, ``X-PartnerHub-Delivery`` (the same id on every
retry: use it to ignore a repeat, delivery is at least once), ``X-PartnerHub-Timestamp``
(unix seconds of this attempt) and ``X-PartnerHub-Signature: sha256=<hex>``, the
HMAC-SHA256 of ``f"{timestamp}.{body}"`` with the endpoint's secret. Check it with
:func:`verify_signature` (or its few lines in the receiver's own language) on the raw
body as received, before parsing it. ``kind`` and ``id`` say what to fetch from the
content API; the payload carries no more than the title, so a receiver never learns
more than it could read there.
"""

import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
import time
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from core.outbox.services import outbox_enqueue_each
from core.signals import content_event

from . import webhook_targets
from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

Event = WebhookEndpoint.Event

USER_AGENT = "PartnerHub-Webhooks/1"
TIMEOUT_SECONDS = 5
DELIVER_TASK = "cms.tasks.deliver_webhook"
SIGNATURE_TOLERANCE_SECONDS = 300
_ERROR_CHARS = 1000


class WebhookDeliveryError(Exception):
    """An attempt that did not get a 2xx answer: the task retries it."""


# --- emitting --------------------------------------------------------------------------------

_muted: ContextVar[frozenset] = ContextVar("cms_webhooks_muted", default=frozenset())


@contextmanager
def muted(*events: str):
    """Emit nothing for ``events`` inside the block, e.g. the unpublish that is part of an archive."""
    token = _muted.set(_muted.get() | frozenset(events))
    try:
        yield
    finally:
        _muted.reset(token)


def emit(event: str, items: Iterable, *, occurred_at=None) -> list[WebhookDelivery]:
    """Tell every active endpoint that wants ``event`` about each of ``items`` (assets, programs, bulletins)."""
    return _emit(event, [(type(item), item.pk, item.title) for item in items], occurred_at=occurred_at)


def emit_rows(event: str, *, model, rows: Iterable[tuple], occurred_at=None) -> list[WebhookDelivery]:
    """Like :func:`emit` for ``(pk, title)`` rows of ``model``: what a bulk UPDATE of the sweep has at hand."""
    return _emit(event, [(model, pk, title) for pk, title in rows], occurred_at=occurred_at)


def _emit(event: str, subjects: list[tuple], *, occurred_at=None) -> list[WebhookDelivery]:
    if event not in Event.values:
        raise ValueError(f"Unknown webhook event {event!r}.")
    if not subjects or event in _muted.get():
        return []
    for model in {model for model, _pk, _title in subjects}:
        content_event.send(sender=model, event=event, pks=[pk for m, pk, _title in subjects if m is model])
    endpoints = [endpoint for endpoint in WebhookEndpoint.objects.filter(is_active=True) if endpoint.wants(event)]
    if not endpoints:
        return []
    occurred_at = occurred_at or timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            # The delivery's own id is added when it is sent (``_body``): a bulk INSERT only learns it afterwards.
            payload={
                "event": event,
                "kind": model._meta.model_name,
                "id": pk,
                "title": title,
                "occurred_at": occurred_at.isoformat(),
            },
            created_at=occurred_at,
        )
        for endpoint in endpoints
        for model, pk, title in subjects
    )
    _queue([delivery.pk for delivery in deliveries])
    return deliveries


def _queue(delivery_ids: list[int]) -> None:
    """A ``deliver_webhook`` task per delivery, in the outbox: it commits with the deliveries, and nothing raises
    into the change when the broker is down (the outbox's sweep hands them over once it is back)."""
    outbox_enqueue_each(
        task=DELIVER_TASK,
        calls=[([delivery_id], {}, f"webhook-delivery:{delivery_id}") for delivery_id in delivery_ids],
    )


# --- signing ---------------------------------------------------------------------------------


def _as_text(value) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def sign(secret: str, timestamp, body) -> str:
    """The ``X-PartnerHub-Signature`` value: ``sha256=`` and the hex HMAC-SHA256 of ``f"{timestamp}.{body}"``."""
    message = f"{_as_text(timestamp)}.{_as_text(body)}".encode()
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str, timestamp, body, signature: str, *, tolerance: int | None = SIGNATURE_TOLERANCE_SECONDS, now=None
) -> bool:
    """Whether a request was signed with ``secret``: for receivers of our webhooks.

    Pass the headers ``X-PartnerHub-Timestamp`` and ``X-PartnerHub-Signature`` and the raw
    body (bytes or text) exactly as received. The comparison takes constant time. A
    timestamp more than ``tolerance`` seconds away from ``now`` (unix seconds, default
    the clock) fails too, so that a captured request cannot be replayed later; every
    retry is signed afresh, so a late retry still passes. ``tolerance=None`` skips that.
    """
    if not secret or not signature:
        return False
    try:
        sent_at = int(_as_text(timestamp))
    except ValueError:
        return False
    if tolerance is not None and abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), _as_text(signature))


# --- delivering ------------------------------------------------------------------------------


class _CheckedHTTPConnection(http.client.HTTPConnection):
    """Connects only to an address :func:`webhook_targets.connect` checked (the Host header stays the URL's)."""

    def connect(self):
        self.sock = webhook_targets.connect(self.host, self.port, self.timeout)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is verified for the URL's host name, sent as SNI."""

    def __init__(self, host, port=None, *, timeout):
        self.tls_context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls_context)

    def connect(self):
        sock = webhook_targets.connect(self.host, self.port, self.timeout)
        self.sock = self.tls_context.wrap_socket(sock, server_hostname=self.host)


def _body(delivery: WebhookDelivery) -> str:
    return json.dumps({**delivery.payload, "delivery_id": delivery.pk}, separators=(",", ":"), sort_keys=True)


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _post(url: str, body: str, headers: dict) -> tuple[int | None, str]:
    """POST and return ``(status code or None, error text)``; the error text is empty for a 2xx answer.

    Only the status code is kept of an answer: never its body, reason phrase or headers, so
    that the delivery log cannot be used to read what a server behind an endpoint says.
    Redirects are not followed: the signed POST is never re-sent elsewhere. Raises
    :class:`webhook_targets.TargetRefused` for an address webhooks may not reach.
    """
    parts = urlsplit(url)
    connection_class = _CheckedHTTPSConnection if parts.scheme == "https" else _CheckedHTTPConnection
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        port = parts.port or connection_class.default_port
    except ValueError:
        port = None
    if not parts.hostname or not port:
        return None, "Not sent: the endpoint's URL is not valid."
    connection = connection_class(parts.hostname, port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        status = connection.getresponse().status
    except socket.gaierror:
        return None, f"Could not connect: {parts.hostname} was not found."
    except TimeoutError:
        return None, f"No answer within {TIMEOUT_SECONDS} seconds."
    except ConnectionRefusedError:
        return None, "Could not connect: connection refused."
    except ssl.SSLError as error:
        return None, f"TLS error: {error.reason or type(error).__name__}."
    except http.client.HTTPException as error:
        return None, f"Not an HTTP answer ({type(error).__name__})."
    except OSError as error:
        return None, f"Could not connect: {error.strerror or type(error).__name__}."
    finally:
        connection.close()
    if 200 <= status < 300:
        return status, ""
    if 300 <= status < 400:
        return status, f"{_status_text(status)} (redirects are not followed)"
    return status, _status_text(status)


def deliver(delivery_id: int, *, final_attempt: bool = False) -> WebhookDelivery | None:
    """Send one delivery now and record the attempt; raise ``WebhookDeliveryError`` unless it succeeded.

    A delivery that already succeeded is not sent again (a task the broker hands out
    twice does nothing), and one whose endpoint was deleted is gone. The delivery's row is
    locked while it is sent, so two workers never send it at once: the second one waits and
    then finds it succeeded. After a failed ``final_attempt`` the delivery is marked failed,
    before the error is raised.
    """
    with transaction.atomic():
        delivery, error = _attempt(delivery_id, final_attempt=final_attempt)
    if error:
        raise WebhookDeliveryError(f"Webhook delivery {delivery.pk} to {delivery.endpoint.url}: {error}")
    return delivery


def _attempt(delivery_id: int, *, final_attempt: bool) -> tuple[WebhookDelivery | None, str]:
    rows = WebhookDelivery.objects.select_for_update(of=("self",)).select_related("endpoint")
    delivery = rows.filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.SUCCEEDED:
        return delivery, ""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return _give_up(delivery, "Not sent: the endpoint was deactivated."), ""
    if urlsplit(endpoint.url).scheme not in webhook_targets.SCHEMES:
        return _give_up(delivery, "Not sent: the endpoint's URL is not http(s)."), ""

    body = _body(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-PartnerHub-Event": delivery.event,
        "X-PartnerHub-Delivery": str(delivery.pk),
        "X-PartnerHub-Timestamp": timestamp,
        "X-PartnerHub-Signature": sign(endpoint.secret, timestamp, body),
    }
    try:
        status_code, error = _post(endpoint.url, body, headers)
    except webhook_targets.TargetRefused as refused:
        # Not a passing outage: retrying would only knock on the same door again.
        delivery.attempts += 1
        delivery.last_status_code = None
        return _give_up(delivery, f"Refused: {refused}."), ""

    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:_ERROR_CHARS]
    if not error:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = timezone.now()
    elif final_attempt:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at"])
    return delivery, error


def _give_up(delivery: WebhookDelivery, reason: str) -> WebhookDelivery:
    delivery.status = WebhookDelivery.Status.FAILED
    delivery.last_error = reason
    delivery.save(update_fields=["status", "attempts", "last_status_code", "last_error"])
    return delivery


def requeue_stalled(*, older_than_minutes: int = 15) -> int:
    """Queue again deliveries never attempted (their task was lost, e.g. the broker was down at commit).

    Deliveries are at least once: receivers recognise a repeat by ``X-PartnerHub-Delivery``.
    Deliveries being retried (attempted at least once) are left to their retries.
    """
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    stalled = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, attempts=0, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    _queue(stalled)  # a delivery still waiting in the outbox is not queued twice (its dedupe key)
    return len(stalled)
