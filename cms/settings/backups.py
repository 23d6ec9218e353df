"""Settings of backups (``manage.py backup`` / ``restore``, core.backups), read from the environment; star-imported
by ``base``."""

import environ

env = environ.Env()

# Where backups go: a local folder (default: VAR_DIR/backups) or s3://bucket/prefix (the process's AWS credentials).
BACKUP_LOCATION = env.str("BACKUP_LOCATION", default="")
# How many finished backups `manage.py backup` keeps (the oldest beyond are deleted); 0 keeps every one.
BACKUP_KEEP = env.int("BACKUP_KEEP", default=0)
# The storages (STORAGES aliases) whose files are in a backup: the private files and the public media.
BACKUP_STORAGES = env.list("BACKUP_STORAGES", default=["private", "default"])
# The folder of pg_dump / pg_restore; empty: Debian's /usr/lib/postgresql/<major>/bin matching the server, or PATH.
BACKUP_PG_BINDIR = env.str("BACKUP_PG_BINDIR", default="")
