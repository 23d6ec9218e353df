"""``manage.py load_demo``: every app's demo manifests through the importer, then its computed steps.

What is loaded is each app's business (``core.demo``); this command only runs it, keeps the
output short (one progress bar, no per-task log lines) and prints the logins and tokens last.
"""

import logging
from contextlib import contextmanager
from datetime import UTC, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.console import SectionProgress
from core.demo import DemoRun, load_demo
from core.importer.engine import ManifestError, import_manifest


@contextmanager
def quiet_logging(level=logging.INFO):
    """No log records at ``level`` or below (Celery/Wagtail task and edit lines) while the demo loads."""
    previous = logging.root.manager.disable
    logging.disable(level)
    try:
        yield
    finally:
        logging.disable(previous)


class Command(BaseCommand):
    help = (
        "Load realistic demo data: every installed app's manifests under fixtures/demo/ (tiers, partner "
        "types, regions, 48 partners, 180 partner users, 8 courses with question banks and quizzes, "
        "5 certifications), through the importer, then what is computed: 4 editors, 320 assets with real "
        "files, 20 programs, 40 bulletins, partner users' progress in the courses and certificates. "
        "Safe to re-run (it updates, never duplicates). Prints a summary, then the logins and demo tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, no_progress: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates known passwords; it only runs with DEBUG on (or --force).")

        def import_demo_manifest(manifest):
            with SectionProgress(self.stderr, disable=no_progress, prefix="demo ") as progress:
                try:
                    summary = import_manifest(manifest, base_dir=settings.VAR_DIR, progress=progress)
                except ManifestError as exc:
                    raise CommandError(str(exc)) from None
            return summary.lines()

        run = DemoRun(base_dir=settings.VAR_DIR, today=datetime.now(UTC).date())
        with quiet_logging():
            load_demo(run, import_manifest=import_demo_manifest)

        self.stdout.write(self.style.SUCCESS("Demo data loaded:"))
        for line in run.summary:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Logins and tokens:"))
        for line in run.logins:
            self.stdout.write(line)
