"""The database's part of a backup: PostgreSQL with pg_dump/pg_restore, SQLite with its online backup API.

PostgreSQL: one REPEATABLE READ transaction exports its snapshot and ``pg_dump --format=custom
--snapshot`` dumps exactly that snapshot, so the manifest can say which transactions the backup holds
(``pg_current_snapshot()``) and the applied migrations are read in the same snapshot. The client
programs come from Debian's ``postgresql-client-N`` (``/usr/lib/postgresql/N/bin``): the one matching the
server's major version, else the oldest newer one (a pg_dump older than its server refuses to run).
Restoring runs ``pg_restore --clean --if-exists --single-transaction``: all of it, or nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections


class DatabaseBackupError(RuntimeError):
    """pg_dump / pg_restore missing or failing, or a database the backup cannot read or write (says why)."""


@dataclass
class DatabaseDump:
    vendor: str
    taken_at: str
    server_version: int = 0
    tool: str = ""
    tool_major: int = 0
    snapshot: str = ""  # PostgreSQL: the pg_snapshot the dump holds (xmin:xmax:xip,...)
    migrations: list[str] = field(default_factory=list)  # "app_label.name" applied in the dump


DUMP_FILENAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
SUPPORTED = tuple(DUMP_FILENAMES)
PG_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}


def database_vendor(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in SUPPORTED:
        raise DatabaseBackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def database_describe(alias: str = "default") -> str:
    """Which database this is, for the restore prompt (never the password)."""
    conn = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"SQLite {conn['NAME']}"
    return f"PostgreSQL database {conn['NAME']!r} on {conn.get('HOST') or 'localhost'}:{conn.get('PORT') or 5432}"


def database_dump(*, alias: str, target: Path) -> DatabaseDump:
    """Dump the database ``alias`` into the file ``target``: one consistent snapshot."""
    if database_vendor(alias) == "sqlite":
        return _sqlite_dump(alias, target)
    return _postgres_dump(alias, target)


def database_restore(*, alias: str, source: Path, dump: DatabaseDump) -> None:
    """Replace the contents of the database ``alias`` with the dump in ``source`` (all or nothing)."""
    if database_vendor(alias) != dump.vendor:
        raise DatabaseBackupError(
            f"This backup holds a {dump.vendor} database; this hub runs on {database_vendor(alias)}."
        )
    if dump.vendor == "sqlite":
        _sqlite_restore(alias, source)
    else:
        _postgres_restore(alias, source, dump)


# --- PostgreSQL ----------------------------------------------------------------------------------------


def pg_tool(name: str, *, at_least: int) -> tuple[str, str, int]:
    """``(path, version text, major)`` of the client program ``name`` (pg_dump, pg_restore) for a server of
    major version ``at_least``: the same major if installed, else the oldest newer one."""
    if settings.BACKUP_PG_BINDIR:
        candidates = [Path(settings.BACKUP_PG_BINDIR) / name]
    else:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        if found := shutil.which(name):
            candidates.append(Path(found))
    usable = []
    for candidate in candidates:
        if not candidate.exists():
            continue
        result = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
        if match := re.search(r"\)\s*(\d+)", result.stdout):
            usable.append((int(match.group(1)), str(candidate), result.stdout.strip()))
    fitting = sorted(entry for entry in usable if entry[0] >= at_least)
    if not fitting:
        seen = ", ".join(f"{path} ({major})" for major, path, _ in usable) or "none"
        raise DatabaseBackupError(
            f"{name} of PostgreSQL {at_least} or newer is needed (found: {seen}). Install Debian's "
            f"postgresql-client-{at_least} (apt-get install postgresql-client-{at_least}) or set BACKUP_PG_BINDIR."
        )
    major, path, version = fitting[0]
    return path, version, major


def _pg_env(alias: str) -> dict[str, str]:
    conn = connections[alias].settings_dict
    env = {**os.environ, "PGDATABASE": conn["NAME"], "PGCONNECT_TIMEOUT": "10"}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conn.get(key):
            env[variable] = str(conn[key])
    for option, variable in PG_ENV.items():
        if conn.get("OPTIONS", {}).get(option):
            env[variable] = str(conn["OPTIONS"][option])
    return env


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise DatabaseBackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")


def _postgres_dump(alias: str, target: Path) -> DatabaseDump:
    connection = connections[alias]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(
                "SELECT pg_export_snapshot(), pg_current_snapshot()::text, now(), "
                "current_setting('server_version_num')"
            )
            exported, snapshot, taken_at, server_version = cursor.fetchone()
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
            server_version = int(server_version)
            tool, version, major = pg_tool("pg_dump", at_least=server_version // 10000)
            command = [tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={exported}"]
            _run([*command, "--file", str(target)], env=_pg_env(alias), what="pg_dump")
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return DatabaseDump(
        vendor="postgresql",
        taken_at=taken_at.astimezone(UTC).isoformat(),
        server_version=server_version,
        tool=version,
        tool_major=major,
        snapshot=snapshot,
        migrations=migrations,
    )


def _postgres_restore(alias: str, source: Path, dump: DatabaseDump) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    connection.close()  # our own session holds no lock on what pg_restore drops
    tool, _version, _major = pg_tool("pg_restore", at_least=max(server_major, dump.tool_major))
    command = [tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    env = _pg_env(alias)
    _run([*command, "--exit-on-error", f"--dbname={env['PGDATABASE']}", str(source)], env=env, what="pg_restore")


# --- SQLite --------------------------------------------------------------------------------------------


def _sqlite_dump(alias: str, target: Path) -> DatabaseDump:
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # the online backup API: one consistent copy
        migrations = [f"{app}.{name}" for app, name in destination.execute("SELECT app, name FROM django_migrations")]
    finally:
        destination.close()
    return DatabaseDump(
        vendor="sqlite",
        taken_at=datetime.now(UTC).isoformat(),
        server_version=sqlite3.sqlite_version_info[0] * 10000 + sqlite3.sqlite_version_info[1],
        tool=f"sqlite3 {sqlite3.sqlite_version}",
        migrations=sorted(migrations),
    )


def _sqlite_restore(alias: str, source: Path) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise DatabaseBackupError("Cannot restore the database inside a transaction.")
    connection.ensure_connection()
    backup = sqlite3.connect(source)
    try:
        backup.backup(connection.connection)  # replaces every page of the live database in one step
    finally:
        backup.close()
