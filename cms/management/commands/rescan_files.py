"""``manage.py rescan_files``: scan every file waiting for its virus scan, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from cms.scanning.gate import scanning_enabled
from cms.services.scanning import file_scans_rescan
from core.console import SectionProgress


class Command(BaseCommand):
    help = (
        "Scan with ClamAV (CLAMAV_URL) the files that wait for it: stored while the scanner was down, stored "
        "before scanning was switched on, or that it could not scan (tried up to CLAMAV_MAX_ATTEMPTS times). "
        "Files found clean can be published and downloaded; infected ones are quarantined and their uploader "
        "and owner told. Stops when the scanner is down: what is left stays pending for the next run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, no_progress: bool, **options):
        if not scanning_enabled():
            raise CommandError("Scanning is off: set CLAMAV_URL (tcp://host:port of ClamAV's daemon).")
        with SectionProgress(self.stderr, disable=no_progress) as bars:
            counts = file_scans_rescan(progress=lambda total: bars("files", total))
        self.stdout.write(
            f"Clean: {counts['clean']}, infected (quarantined): {counts['infected']}, "
            f"could not be scanned: {counts['error']}, still pending: {counts['pending']}."
        )
        if counts["pending"]:
            raise CommandError("The scanner is unavailable: the files left stay pending.", returncode=1)
