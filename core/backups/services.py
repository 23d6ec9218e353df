"""Taking, restoring and pruning backups: the database and the files of the hub's storages as one set.

A backup is the folder ``<location>/<UTC timestamp>/`` with ``database.dump`` (or ``database.sqlite3``),
``files/<storage alias>/<name>`` for every file of the storages in ``BACKUP_STORAGES`` and, written last,
``manifest.json`` (each file's size and SHA-256). The database is dumped first, in one snapshot, and the
files are listed after it: every file a row of the dump points to was stored before that row committed,
so it is in the set (files stored later are in it too, harmlessly).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages as configured_storages
from django.db.migrations.loader import MigrationLoader

from .database import database_dump, database_restore, database_vendor
from .locations import backup_location_storage, delete_tree, storage_root, walk
from .manifest import MANIFEST, BackupRefused, FileEntry, Manifest, copy_hashing, manifest_verify
from .selectors import backup_list, backup_manifest

SPOOL_BYTES = 16 * 1024 * 1024  # files up to this size are copied through memory, larger ones through a temp file

Progress = Callable[..., Callable[[int], object]]


def no_progress(section: str, total: int, unit: str = "entry") -> Callable[[int], object]:
    return lambda n: None


@dataclass
class BackupResult:
    name: str
    location: str
    manifest: Manifest
    vanished: list[str]  # listed, then deleted before they could be copied
    pruned: list[str]


def _now_name() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _save_exactly(storage, name: str, content) -> None:
    saved = storage.save(name, content)
    if saved != name:
        raise RuntimeError(f"The storage saved {name} as {saved}; a backup needs the exact name.")


def _spooled(handle, update) -> tuple[tempfile.SpooledTemporaryFile, int, str]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller closes it
    size, sha256 = copy_hashing(handle, spool, update=update)
    spool.seek(0)
    return spool, size, sha256


def backup_create(
    *,
    location: str | None = None,
    keep: int | None = None,
    aliases: list[str] | None = None,
    database: str = "default",
    progress: Progress = no_progress,
) -> BackupResult:
    """Back up the database ``database`` and the files of the storages ``aliases`` (``BACKUP_STORAGES``) to
    ``location`` (``BACKUP_LOCATION``); then keep only the newest ``keep`` backups (``BACKUP_KEEP``; 0: all)."""
    description, target = backup_location_storage(location)
    aliases = list(aliases if aliases is not None else settings.BACKUP_STORAGES)
    unknown = [alias for alias in aliases if alias not in settings.STORAGES]
    if unknown:
        raise BackupRefused(f"BACKUP_STORAGES names storages this hub does not have: {', '.join(unknown)}.")
    database_vendor(database)  # PostgreSQL or SQLite, else a clear error before anything is written
    name = _now_name()
    created_at = datetime.now(UTC).isoformat()
    with tempfile.TemporaryDirectory(prefix="partnerhub-backup-") as scratch:
        dump_path = Path(scratch) / "dump"
        progress("database dump", 1)
        dump = database_dump(alias=database, target=dump_path)
        update = progress("database upload", dump_path.stat().st_size, "B")
        with dump_path.open("rb") as handle:
            spool, dump_size, dump_sha256 = _spooled(handle, update)
        with spool:
            manifest = Manifest(
                name=name,
                created_at=created_at,
                completed_at="",
                database=dump,
                database_size=dump_size,
                database_sha256=dump_sha256,
                storages={alias: storage_root(configured_storages[alias]) for alias in aliases},
            )
            _save_exactly(target, f"{name}/{manifest.database_file}", File(spool))
    vanished = _copy_files(target, name, manifest, progress)
    manifest.completed_at = datetime.now(UTC).isoformat()
    _save_exactly(target, f"{name}/{MANIFEST}", ContentFile(manifest.to_json()))
    keep = settings.BACKUP_KEEP if keep is None else keep
    pruned = backup_prune(location=location, keep=keep) if keep else []
    return BackupResult(name=name, location=description, manifest=manifest, vanished=vanished, pruned=pruned)


def _copy_files(target, name: str, manifest: Manifest, progress: Progress) -> list[str]:
    """Copy every file of the manifest's storages into the backup, adding each to the manifest. A storage nested
    in another (``private/`` in the bucket of the media) and the backups themselves are left out of the outer one."""
    roots = (*manifest.storages.values(), storage_root(target))
    listed = [
        (alias, stored)
        for alias in manifest.storages
        for stored in walk(configured_storages[alias], exclude_roots=roots)
    ]
    update = progress("files", sum(stored.size for _alias, stored in listed), "B")
    vanished = []
    for alias, stored in listed:
        try:
            handle = configured_storages[alias].open(stored.name, "rb")
        except FileNotFoundError:
            vanished.append(f"{alias}:{stored.name}")
            continue
        with handle:
            spool, size, sha256 = _spooled(handle, update)
        with spool:
            entry = FileEntry(storage=alias, name=stored.name, size=size, sha256=sha256)
            _save_exactly(target, f"{name}/{entry.path}", File(spool))
        manifest.files.append(entry)
    return vanished


def backup_prune(*, location: str | None = None, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` complete backups, and unfinished ones older than the oldest kept."""
    if keep < 1:
        raise BackupRefused("Keep at least one backup.")
    _description, target = backup_location_storage(location)
    backups = backup_list(location=location)
    complete = [info.name for info in backups if info.complete]
    kept = complete[-keep:]
    if not kept:
        return []
    doomed = [info.name for info in backups if info.name < kept[0] or (info.complete and info.name not in kept)]
    for name in doomed:
        delete_tree(target, name)
    return doomed


@dataclass
class RestorePlan:
    """What a restore is about to do: shown to the operator before anything changes."""

    manifest: Manifest
    location: str
    database: str
    storages: dict[str, str]  # alias -> where its files will be written
    cache_kept: list[str] = field(default_factory=list)  # caches not cleared: they share the broker's database

    def describe(self, database_description: str) -> str:
        lines = [
            f"Backup {self.manifest.name} from {self.location} (taken {self.manifest.database.taken_at}):",
            f"  replaces every table of {database_description},",
        ]
        for alias, root in self.storages.items():
            count = sum(1 for entry in self.manifest.files if entry.storage == alias)
            lines.append(f"  writes {count} files into the {alias!r} storage ({root}),")
        lines.append("  and clears the cache (unless it shares the Celery broker's Redis database).")
        return "\n".join(lines)


def backup_restore(
    *,
    name: str | None = None,
    location: str | None = None,
    database: str = "default",
    confirm: Callable[[RestorePlan], bool] = lambda plan: True,
    progress: Progress = no_progress,
) -> RestorePlan:
    """Restore the backup ``name`` (the newest complete one when ``None``) into the database ``database`` and the
    configured storages. Every check runs first (manifest, vendor, migrations, every file's size and SHA-256),
    then ``confirm(plan)``; a refusal or a ``False`` raises ``BackupRefused`` with nothing changed."""
    description, source = backup_location_storage(location)
    manifest = backup_manifest(location=location, name=name)
    plan = _restore_plan(manifest, description, database)
    with tempfile.TemporaryDirectory(prefix="partnerhub-restore-") as scratch:
        update = progress("verify", manifest.total_bytes, "B")
        manifest_verify(source, manifest.name, manifest, update=update)
        dump_path = Path(scratch) / manifest.database_file
        with source.open(f"{manifest.name}/{manifest.database_file}", "rb") as handle, dump_path.open("wb") as out:
            _size, sha256 = copy_hashing(handle, out)
        if sha256 != manifest.database_sha256:
            raise BackupRefused(f"Backup {manifest.name}: the dump changed while it was read. Nothing changed.")
        if not confirm(plan):
            raise BackupRefused("Restore cancelled: nothing was changed.")
        progress("database restore", 1)
        database_restore(alias=database, source=dump_path, dump=manifest.database)
    _restore_files(source, manifest, progress)
    plan.cache_kept = caches_clear_after_restore()
    return plan


def _redis_address(url) -> tuple:
    parsed = urlparse(str(url))
    return (parsed.scheme, parsed.hostname, parsed.port, parsed.path.strip("/") or "0")


def caches_clear_after_restore() -> list[str]:
    """Clear every cache (its answers, tokens and counters describe the data before the restore), except one in
    the Celery broker's own Redis database, which ``clear()`` (FLUSHDB) would empty of queued tasks: answered."""
    broker = _redis_address(settings.CELERY_BROKER_URL)
    kept = []
    for alias, config in settings.CACHES.items():
        locations = config.get("LOCATION") or []
        locations = [locations] if isinstance(locations, str) else locations
        if any(_redis_address(location) == broker for location in locations):
            kept.append(alias)
        else:
            caches[alias].clear()
    return kept


def _restore_plan(manifest: Manifest, location: str, database: str) -> RestorePlan:
    vendor = database_vendor(database)
    if vendor != manifest.database.vendor:
        raise BackupRefused(
            f"Backup {manifest.name} holds a {manifest.database.vendor} database; this hub runs on {vendor}. "
            "Nothing restored."
        )
    missing = sorted(set(manifest.storages) - set(settings.STORAGES))
    if missing:
        raise BackupRefused(f"Backup {manifest.name} has files of storages this hub lacks: {', '.join(missing)}.")
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known = {f"{app}.{migration}" for app, migration in on_disk}
    newer = sorted(set(manifest.database.migrations) - known)
    if newer:
        shown = ", ".join(newer[:5]) + (" …" if len(newer) > 5 else "")
        raise BackupRefused(
            f"Backup {manifest.name} was taken by a newer version of the hub (migrations this code lacks: {shown}). "
            "Deploy that version, then restore. Nothing restored."
        )
    targets = {alias: storage_root(configured_storages[alias]) for alias in manifest.storages}
    return RestorePlan(manifest=manifest, location=location, database=database, storages=targets)


def _restore_files(source, manifest: Manifest, progress: Progress) -> None:
    update = progress("files", sum(entry.size for entry in manifest.files), "B")
    for entry in manifest.files:
        storage = configured_storages[entry.storage]
        with source.open(f"{manifest.name}/{entry.path}", "rb") as handle:
            spool, _size, sha256 = _spooled(handle, update)
        with spool:
            if sha256 != entry.sha256:
                raise BackupRefused(f"Backup {manifest.name}: {entry.path} changed while it was restored.")
            if storage.exists(entry.name):
                if storage.size(entry.name) == entry.size and _sha256_of(storage, entry.name) == entry.sha256:
                    continue
                storage.delete(entry.name)
            _save_exactly(storage, entry.name, File(spool))


def _sha256_of(storage, name: str) -> str:
    with storage.open(name, "rb") as handle:
        return copy_hashing(handle, None)[1]
