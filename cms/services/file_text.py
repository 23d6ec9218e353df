"""Writes of file text: asking for a version's text, reading it (the worker), and the catch-up of lost requests.

* ``file_text_request`` marks versions' text pending and, through the outbox (``core.outbox``,
  in the same transaction), hands each to the worker (``cms.tasks.extract_file_text``); ``cms.signals`` calls it for
  every new version (``core.signals.asset_file_stored``).
* ``file_text_extract`` reads one version's file (``cms.extraction.readers``) within the
  ``FILE_TEXT_*`` limits and stores its units. A file that cannot be parsed, is too large or
  takes too long is marked at once (reading it again would end the same way); a file the
  worker could not fetch (storage down) raises ``FileTextUnavailable`` for the task to retry
  with backoff, and is marked failed on the last attempt. Every run counts an attempt
  before reading, so a file that kills the worker is given up after
  ``FILE_TEXT_MAX_ATTEMPTS`` redeliveries too: nothing is retried forever.
* Once stored, search is told (``core.signals.items_changed``), so the asset's document
  carries the new text.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from celery.exceptions import SoftTimeLimitExceeded

from cms.extraction import readers
from cms.models import Asset, AssetTextUnit, AssetVersion, AssetVersionText
from cms.uploads import extension_of
from core.outbox.services import outbox_enqueue_each
from core.signals import items_changed

State = AssetVersionText.State


class FileTextUnavailable(Exception):
    """The file could not be fetched from storage just now: worth another try later."""


def file_text_request(*, version_ids, queue: bool = True) -> int:
    """Mark the text of these versions pending (anew, attempts reset) and, unless ``queue`` is false, have the
    worker read each after the transaction commits. Answers how many were marked."""
    version_ids = sorted({int(pk) for pk in version_ids})
    if not version_ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        texts = AssetVersionText.objects.filter(version_id__in=version_ids)
        existing = set(texts.values_list("version_id", flat=True))
        AssetVersionText.objects.filter(version_id__in=existing).update(
            state=State.PENDING, reason="", attempts=0, requested_at=now, finished_at=None
        )
        AssetVersionText.objects.bulk_create(
            [AssetVersionText(version_id=pk, requested_at=now) for pk in version_ids if pk not in existing],
            ignore_conflicts=True,
        )
        if queue:
            _queue(version_ids)
    return len(version_ids)


def _queue(version_ids):
    """A task per version in the outbox: it commits with the request, and reaches the worker once the broker can."""
    outbox_enqueue_each(
        task="cms.tasks.extract_file_text", calls=[([pk], {}, f"file-text:{pk}") for pk in version_ids]
    )


def file_text_requeue_stalled(*, older_than: timedelta = timedelta(minutes=30)) -> int:
    """Hand to the worker again the pending texts whose request was lost (a broker or worker down)."""
    stalled = list(
        AssetVersionText.objects.filter(
            state=State.PENDING,
            requested_at__lt=timezone.now() - older_than,
            attempts__lt=settings.FILE_TEXT_MAX_ATTEMPTS,
        ).values_list("version_id", flat=True)[:1000]
    )
    _queue(stalled)
    return len(stalled)


def _finish(record: AssetVersionText, state: str, *, reason: str = "", **fields) -> str:
    record.state, record.reason, record.finished_at = state, reason[:255], timezone.now()
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean(exclude=["version"])
    record.save()
    return state


def file_text_extract(*, version_id: int, final_attempt: bool = False) -> str:
    """Read the text of one version's file and store it; answers the state it ends in (``"gone"``: no version).

    Idempotent: a text that is not pending any more (read already) is left as it is.
    """
    with transaction.atomic():
        version = AssetVersion.objects.filter(pk=version_id).first()
        if version is None:
            return "gone"
        record, _ = AssetVersionText.objects.select_for_update().get_or_create(version=version)
        if record.state != State.PENDING:
            return record.state
        record.attempts += 1
        record.save(update_fields=["attempts"])
    if record.attempts > settings.FILE_TEXT_MAX_ATTEMPTS:
        return _finish(record, State.FAILED, reason=f"Given up after {record.attempts - 1} attempts.")

    extension = extension_of(version.file.name)
    if readers.reader_for(extension) is None:
        return _finish(record, State.SKIPPED, reason=f"No text is read from .{extension or '?'} files.")
    try:
        data = _read_file(version, record)
    except FileNotFoundError:
        return _finish(record, State.FAILED, reason="The stored file is missing.")
    except _TooLarge as error:
        return _finish(record, State.TOO_LARGE, reason=str(error))
    except Exception as error:  # storage errors (S3, disk): worth retrying, except the last time
        if final_attempt:
            return _finish(record, State.FAILED, reason=f"The file could not be fetched: {error}")
        raise FileTextUnavailable(str(error)) from error

    limits = readers.Limits(
        seconds=settings.FILE_TEXT_SECONDS,
        max_units=settings.FILE_TEXT_MAX_UNITS,
        max_chars=settings.FILE_TEXT_MAX_CHARS,
    )
    started = time.monotonic()
    try:
        reading = readers.read_units(extension, data, limits)
    except readers.Unreadable as error:
        return _finish(record, State.FAILED, reason=str(error))
    except (readers.TookTooLong, SoftTimeLimitExceeded):
        return _finish(record, State.FAILED, reason=f"Reading took longer than {settings.FILE_TEXT_SECONDS:g} s.")
    except Exception as error:  # the libraries raise many kinds for a broken file; reading it again ends the same
        return _finish(record, State.FAILED, reason=f"The file cannot be read ({type(error).__name__}).")
    return _store(record, reading, seconds=time.monotonic() - started)


class _TooLarge(Exception):
    pass


def _read_file(version: AssetVersion, record: AssetVersionText) -> bytes:
    storage, name = version.file.storage, version.file.name
    size = storage.size(name)
    if size > settings.FILE_TEXT_MAX_BYTES:
        raise _TooLarge(
            f"The file ({filesizeformat(size)}) is larger than the {filesizeformat(settings.FILE_TEXT_MAX_BYTES)} "
            "read for its text."
        )
    with storage.open(name, "rb") as handle:
        return handle.read(settings.FILE_TEXT_MAX_BYTES + 1)


def _store(record: AssetVersionText, reading: readers.Reading, *, seconds: float) -> str:
    units = [
        AssetTextUnit(version_id=record.version_id, number=unit.number, kind=unit.kind, name=unit.name, text=unit.text)
        for unit in reading.units
    ]
    for unit in units[:1]:
        unit.full_clean(exclude=["version"])
    with transaction.atomic():
        AssetTextUnit.objects.filter(version_id=record.version_id).delete()
        AssetTextUnit.objects.bulk_create(units, batch_size=500)
        state = _finish(
            record,
            State.EXTRACTED if units else State.EMPTY,
            truncated=reading.truncated,
            unit_count=len(units),
            char_count=reading.chars,
            seconds=round(seconds, 3),
        )
        items_changed.send(sender=Asset, pks=[record.version.asset_id])
    return state
