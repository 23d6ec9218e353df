"""``manage.py backup``: the database and the files of the hub's storages, as one verified set (core.backups)."""

from django.core.management.base import BaseCommand, CommandError

from core.backups.database import DatabaseBackupError
from core.backups.locations import BackupLocationError
from core.backups.manifest import BackupRefused
from core.backups.selectors import backup_list
from core.backups.services import backup_create, backup_prune
from core.console import SectionProgress


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump in one snapshot; SQLite: its backup API) and every file of the "
        "storages in BACKUP_STORAGES (private files and media), with a manifest of each file's size and SHA-256, "
        "to BACKUP_LOCATION (a folder or s3://bucket/prefix) as one folder named by its UTC time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--location", help="A folder or s3://bucket/prefix (default: BACKUP_LOCATION).")
        parser.add_argument(
            "--keep", type=int, help="Then keep only the newest N finished backups (default: BACKUP_KEEP; 0: all)."
        )
        parser.add_argument("--list", action="store_true", help="List the backups at the location and stop.")
        parser.add_argument("--prune", action="store_true", help="Only delete old backups (needs --keep).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def handle(self, *args, location, keep, list, prune, no_progress, **options):
        try:
            if list:
                for info in backup_list(location=location):
                    self.stdout.write(f"{info.name}  {'finished' if info.complete else 'UNFINISHED (no manifest)'}")
                return
            if prune:
                if not keep:
                    raise CommandError("--prune needs --keep N (N >= 1).")
                for name in backup_prune(location=location, keep=keep):
                    self.stdout.write(f"Deleted backup {name}")
                return
            if keep is not None and keep < 0:
                raise CommandError("--keep takes 0 (keep all) or more.")
            with SectionProgress(self.stderr, disable=no_progress or options["verbosity"] < 1) as bars:
                result = backup_create(location=location, keep=keep, progress=bars)
        except (BackupRefused, BackupLocationError, DatabaseBackupError) as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Backup {result.name} in {result.location}: {manifest.database.vendor} database "
            f"({manifest.database_size} bytes, snapshot taken {manifest.database.taken_at}) and "
            f"{len(manifest.files)} files ({sum(entry.size for entry in manifest.files)} bytes)."
        )
        for name in result.vanished:
            self.stderr.write(f"Deleted while the backup ran (not in it): {name}")
        for name in result.pruned:
            self.stdout.write(f"Deleted old backup {name}")
