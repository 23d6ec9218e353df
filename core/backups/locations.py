"""Where backups are kept and what a storage holds: a local folder or an S3 bucket/prefix, walked file by file.

A backup location is written as a path (``/var/backups/partnerhub``, ``file:///…``) or as
``s3://bucket/prefix``; either becomes a Django storage (``FileSystemStorage`` or django-storages'
``S3Storage``, with the process's AWS credentials), so every step reads and writes through one interface.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage


class BackupLocationError(ValueError):
    """The backup location cannot be understood (a clear message for the command)."""


def backup_location_storage(location: str | None = None) -> tuple[str, Storage]:
    """``(description, storage)`` for ``location``, default ``BACKUP_LOCATION`` (or ``VAR_DIR/backups``)."""
    location = (location or settings.BACKUP_LOCATION or str(Path(settings.VAR_DIR) / "backups")).strip()
    if location.startswith("s3://"):
        parsed = urlparse(location)
        if not parsed.netloc:
            raise BackupLocationError(f"{location!r} names no bucket: write s3://bucket/prefix.")
        from storages.backends.s3 import S3Storage  # only where a backup goes to S3

        prefix = parsed.path.strip("/")
        storage = S3Storage(bucket_name=parsed.netloc, location=prefix, default_acl="private", file_overwrite=True)
        return f"s3://{parsed.netloc}/{prefix}", storage
    if "://" in location and not location.startswith("file://"):
        raise BackupLocationError(f"{location!r}: a backup goes to a local folder or to s3://bucket/prefix.")
    path = Path(location.removeprefix("file://")).expanduser().resolve()
    return str(path), FileSystemStorage(location=str(path))


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int


def storage_root(storage: Storage) -> str:
    """Where a storage keeps its files, as one comparable string: ``file:///abs/dir/`` or ``s3://bucket/prefix/``."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        prefix = str(getattr(storage, "location", "") or "").strip("/")
        return f"s3://{bucket}/{prefix}/" if prefix else f"s3://{bucket}/"
    return f"file://{Path(storage.location).resolve()}/"


def walk(storage: Storage, *, under: str = "", exclude_roots: tuple[str, ...] = ()) -> Iterator[StoredFile]:
    """Every file of ``storage`` (below the folder ``under``) with its size, in name order; names are the storage's.

    Files under one of ``exclude_roots`` (another storage's root nested inside this one, e.g. the ``private/``
    prefix of the bucket whose root is the public storage) are left out.
    """
    root = storage_root(storage)
    nested = tuple(other for other in exclude_roots if other != root and other.startswith(root))
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        yield from _walk_s3(storage, root, under, nested)
        return
    yield from _walk_listdir(storage, root, under.strip("/"), nested)


def _walk_s3(storage, root: str, under: str, nested: tuple[str, ...]) -> Iterator[StoredFile]:
    location = str(storage.location or "").strip("/")
    prefix = "/".join(part for part in (location, under.strip("/")) if part)
    found = []
    for summary in storage.bucket.objects.filter(Prefix=f"{prefix}/" if prefix else ""):
        name = summary.key[len(location) + 1 :] if location else summary.key
        if name and not name.endswith("/") and not _under_any(root + name, nested):
            found.append(StoredFile(name=name, size=summary.size))
    yield from sorted(found, key=lambda stored: stored.name)


def _walk_listdir(storage: Storage, root: str, folder: str, nested: tuple[str, ...]) -> Iterator[StoredFile]:
    if folder and _under_any(root + folder + "/", nested):
        return
    try:
        directories, files = storage.listdir(folder or "")
    except FileNotFoundError:
        return
    entries = [(name, True) for name in directories] + [(name, False) for name in files]
    for entry, is_directory in sorted(entries):
        name = f"{folder}/{entry}" if folder else entry
        if is_directory:
            yield from _walk_listdir(storage, root, name, nested)
        elif not _under_any(root + name, nested):
            yield StoredFile(name=name, size=storage.size(name))


def _under_any(path: str, roots: tuple[str, ...]) -> bool:
    return any(path.startswith(root) for root in roots)


def safe_name(name: str) -> bool:
    """A relative name without ``..`` or empty parts: what a manifest may ask restore to write."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def delete_tree(storage: Storage, folder: str) -> int:
    """Delete every file below ``folder`` (then the emptied local folders); answers how many files went."""
    files = list(walk(storage, under=folder))
    for stored in files:
        storage.delete(stored.name)
    if isinstance(storage, FileSystemStorage):
        top = Path(storage.path(folder))
        for directory, _subdirs, _files in sorted(os.walk(top), key=lambda item: -len(item[0])):
            Path(directory).rmdir()
    return len(files)
