"""A backup's manifest: what the set holds (the database dump and every file, each with its size and SHA-256).

``manifest.json`` is written last, so a folder without one is an unfinished backup. ``manifest_load``
reads and checks its shape; ``manifest_verify`` reads every file of the backup and compares it with the
manifest. Either refuses with ``BackupRefused``, saying what is wrong, before anything is restored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.files.storage import Storage

from .database import DUMP_FILENAMES, DatabaseDump
from .locations import safe_name

FORMAT = "partnerhub-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
MAX_PROBLEMS_SHOWN = 10


class BackupRefused(Exception):
    """The backup cannot be restored (missing, unfinished, not matching its manifest...): nothing was changed."""


@dataclass(frozen=True)
class FileEntry:
    storage: str  # the STORAGES alias it came from ("private", "default")
    name: str
    size: int
    sha256: str

    @property
    def path(self) -> str:
        """Where the copy is inside the backup folder."""
        return f"files/{self.storage}/{self.name}"


@dataclass
class Manifest:
    name: str
    created_at: str
    completed_at: str
    database: DatabaseDump
    database_size: int
    database_sha256: str
    storages: dict[str, str]  # alias -> the root it was read from (file:///..., s3://bucket/prefix/)
    files: list[FileEntry] = field(default_factory=list)

    @property
    def database_file(self) -> str:
        return DUMP_FILENAMES[self.database.vendor]

    @property
    def total_bytes(self) -> int:
        return self.database_size + sum(entry.size for entry in self.files)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "name": self.name,
            "created_at": self.created_at,
            "completed_at": self.completed_at,
            "database": {
                **asdict(self.database),
                "file": self.database_file,
                "size": self.database_size,
                "sha256": self.database_sha256,
            },
            "storages": self.storages,
            "files": [asdict(entry) for entry in self.files],
        }
        return json.dumps(data, indent=1).encode()


def _refuse_unless(condition: bool, message: str) -> None:
    if not condition:
        raise BackupRefused(message)


def _is_sha256(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _is_size(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def manifest_parse(raw: bytes, *, name: str) -> Manifest:
    """The manifest in ``raw``, or ``BackupRefused`` saying what is wrong with it."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupRefused(f"Backup {name}: its manifest is not valid JSON ({error}).") from None
    _refuse_unless(isinstance(data, dict), f"Backup {name}: its manifest is not a JSON object.")
    found_format, found_name = data.get("format"), data.get("name")
    _refuse_unless(found_format == FORMAT, f"Backup {name}: unknown manifest format {found_format!r} (not {FORMAT}).")
    _refuse_unless(found_name == name, f"Backup {name}: its manifest names another backup ({found_name!r}).")
    database = data.get("database")
    _refuse_unless(isinstance(database, dict), f"Backup {name}: the manifest describes no database dump.")
    vendor = database.get("vendor")
    _refuse_unless(vendor in DUMP_FILENAMES, f"Backup {name}: unknown database vendor {vendor!r}.")
    _refuse_unless(
        database.get("file") == DUMP_FILENAMES[vendor] and _is_size(database.get("size")),
        f"Backup {name}: the database dump's file name or size in the manifest is wrong.",
    )
    _refuse_unless(_is_sha256(database.get("sha256")), f"Backup {name}: the database dump has no valid SHA-256.")
    migrations = database.get("migrations")
    _refuse_unless(
        isinstance(migrations, list) and all(isinstance(m, str) for m in migrations),
        f"Backup {name}: the manifest's list of migrations is malformed.",
    )
    storages = data.get("storages")
    _refuse_unless(
        isinstance(storages, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in storages.items()),
        f"Backup {name}: the manifest's storages are malformed.",
    )
    files = []
    seen = set()
    for index, entry in enumerate(data.get("files") if isinstance(data.get("files"), list) else [None]):
        ok = (
            isinstance(entry, dict)
            and entry.get("storage") in storages
            and isinstance(entry.get("name"), str)
            and safe_name(entry["name"])
            and _is_size(entry.get("size"))
            and _is_sha256(entry.get("sha256"))
        )
        _refuse_unless(ok, f"Backup {name}: file entry {index} of the manifest is malformed or unsafe: {entry!r}.")
        key = (entry["storage"], entry["name"])
        _refuse_unless(key not in seen, f"Backup {name}: the manifest lists {entry['storage']}:{entry['name']} twice.")
        seen.add(key)
        files.append(FileEntry(**{key: entry[key] for key in ("storage", "name", "size", "sha256")}))
    dump_fields = {key: database.get(key) for key in DatabaseDump.__dataclass_fields__ if key in database}
    try:
        dump = DatabaseDump(**dump_fields)
    except TypeError as error:
        raise BackupRefused(f"Backup {name}: the manifest's database entry is malformed ({error}).") from None
    return Manifest(
        name=name,
        created_at=str(data.get("created_at", "")),
        completed_at=str(data.get("completed_at", "")),
        database=dump,
        database_size=database["size"],
        database_sha256=database["sha256"],
        storages=storages,
        files=files,
    )


def copy_hashing(source, destination, *, update: Callable[[int], object] = lambda n: None) -> tuple[int, str]:
    """Copy the open binary file ``source`` into ``destination`` (a writable file or ``None``): ``(size, sha256)``."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if destination is not None:
            destination.write(chunk)
        update(len(chunk))
    return size, digest.hexdigest()


def manifest_verify(
    storage: Storage, folder: str, manifest: Manifest, *, update: Callable[[int], object] = lambda n: None
) -> None:
    """Read every file of the backup in ``folder`` and compare it with ``manifest``; ``BackupRefused`` lists
    the files that are missing or differ (nothing is written)."""
    expected = [(manifest.database_file, manifest.database_size, manifest.database_sha256)]
    expected += [(entry.path, entry.size, entry.sha256) for entry in manifest.files]
    problems = []
    for path, size, sha256 in expected:
        try:
            with storage.open(f"{folder}/{path}", "rb") as handle:
                found_size, found_sha256 = copy_hashing(handle, None, update=update)
        except FileNotFoundError:
            problems.append(f"{path}: missing")
            continue
        if found_size != size:
            problems.append(f"{path}: {found_size} bytes, the manifest says {size}")
        elif found_sha256 != sha256:
            problems.append(f"{path}: SHA-256 {found_sha256[:12]}…, the manifest says {sha256[:12]}…")
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise BackupRefused(
            f"Backup {manifest.name} does not match its manifest: {shown}{more}. Nothing was restored."
        )
