"""Reading a backup location: which backups it holds (finished ones have a manifest) and one backup's manifest."""

from __future__ import annotations

from dataclasses import dataclass

from .locations import backup_location_storage
from .manifest import MANIFEST, BackupRefused, Manifest, manifest_parse


@dataclass(frozen=True)
class BackupInfo:
    name: str
    complete: bool  # its manifest was written: the set is whole


def backup_list(*, location: str | None = None) -> list[BackupInfo]:
    """Every backup folder at ``location``, oldest first (their names are UTC timestamps)."""
    _description, storage = backup_location_storage(location)
    try:
        folders, _files = storage.listdir("")
    except FileNotFoundError:
        return []
    return [BackupInfo(name=name, complete=storage.exists(f"{name}/{MANIFEST}")) for name in sorted(folders)]


def backup_manifest(*, location: str | None = None, name: str | None = None) -> Manifest:
    """The manifest of backup ``name`` (the newest finished one when ``None``), or ``BackupRefused``."""
    description, storage = backup_location_storage(location)
    if name is None:
        complete = [info.name for info in backup_list(location=location) if info.complete]
        if not complete:
            raise BackupRefused(f"No finished backup in {description}.")
        name = complete[-1]
    if "/" in name or name in ("", ".", ".."):
        raise BackupRefused(f"{name!r} is not a backup name (a folder of {description}).")
    try:
        with storage.open(f"{name}/{MANIFEST}", "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        if any(info.name == name for info in backup_list(location=location)):
            raise BackupRefused(
                f"Backup {name} in {description} is unfinished (no {MANIFEST}): it cannot be restored."
            ) from None
        raise BackupRefused(f"No backup {name} in {description}.") from None
    return manifest_parse(raw, name=name)
