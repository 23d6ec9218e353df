"""``manage.py restore [NAME]``: a backup of ``manage.py backup`` back into the database and the storages."""

from django.core.management.base import BaseCommand, CommandError

from core.backups.database import DatabaseBackupError, database_describe
from core.backups.locations import BackupLocationError
from core.backups.manifest import BackupRefused
from core.backups.services import backup_restore
from core.console import SectionProgress


class Command(BaseCommand):
    help = (
        "Restore a backup (default: the newest finished one at BACKUP_LOCATION): checks the manifest and every "
        "file's size and SHA-256 first and refuses, changing nothing, when they do not match; asks before it "
        "replaces the database's tables and writes the files into the storages; then clears the cache. Stop the "
        "web processes, workers and beat first; rebuild the search index after (manage.py search_reindex)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The backup's folder name (see `manage.py backup --list`).")
        parser.add_argument("--location", help="A folder or s3://bucket/prefix (default: BACKUP_LOCATION).")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def handle(self, *args, name, location, interactive, no_progress, **options):
        def confirm(plan) -> bool:
            self.stdout.write(plan.describe(database_describe(plan.database)))
            if not interactive:
                return True
            return input("Type 'yes' to restore: ").strip().lower() == "yes"

        try:
            with SectionProgress(self.stderr, disable=no_progress or options["verbosity"] < 1) as bars:
                plan = backup_restore(name=name, location=location, confirm=confirm, progress=bars)
        except (BackupRefused, BackupLocationError, DatabaseBackupError) as error:
            raise CommandError(str(error)) from None
        for alias in plan.cache_kept:
            self.stderr.write(
                f"The cache {alias!r} was not cleared: it is the Celery broker's Redis database (CELERY_BROKER_URL), "
                "and clearing it would drop queued tasks. Give the cache its own database (REDIS_URL=redis://…/1)."
            )
        self.stdout.write(
            f"Restored backup {plan.manifest.name}: the database and {len(plan.manifest.files)} files. "
            "Run `manage.py migrate` if this code is newer than the backup, then rebuild the search index "
            "(`manage.py search_reindex`)."
        )
