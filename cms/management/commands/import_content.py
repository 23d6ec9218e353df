"""``manage.py import_content FILE.json``: import a manifest (DESIGN §6), all or nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.console import SectionProgress
from core.importer.engine import ManifestError, import_manifest


class Command(BaseCommand):
    help = (
        "Import tiers, partner types, regions, roles, partners and users from a JSON manifest. "
        "The whole file is validated first: a bad file writes nothing and every problem is named. "
        "Re-running updates entries by key and never duplicates them."
    )

    def add_arguments(self, parser):
        parser.add_argument("manifest", type=Path, help="Path to the JSON manifest.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report what would change, then roll back."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def handle(self, *args, manifest: Path, dry_run: bool, no_progress: bool, **options):
        try:
            text = manifest.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{manifest}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{manifest}: cannot be read ({exc})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{manifest}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from None

        with SectionProgress(self.stderr, disable=no_progress) as progress:
            try:
                summary = import_manifest(data, base_dir=manifest.resolve().parent, dry_run=dry_run, progress=progress)
            except ManifestError as exc:
                raise CommandError(str(exc)) from None
        heading = "Dry run, nothing written. Would import:" if dry_run else f"Imported {manifest}:"
        self.stdout.write(self.style.SUCCESS(heading))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
