"""``manage.py extract_file_text``: read the text of asset files for search, those missing it or all of them."""

from collections import Counter

from django.core.management.base import BaseCommand

from tqdm import tqdm

from cms.extraction.selectors import versions_for_text
from cms.services.file_text import file_text_extract, file_text_request


class Command(BaseCommand):
    help = (
        "Read the text of assets' current files (per page, slide or sheet) for search: by default those never "
        "read or still pending; --failed those that failed or were too large (after a fix or a change of the "
        "FILE_TEXT_* limits); --all every one again. Reads here with a progress bar, or --queue hands them to "
        "the worker. Search is updated as each one is stored."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_const", const="all", dest="which", help="Every file again.")
        which.add_argument(
            "--failed", action="store_const", const="failed", dest="which", help="Files that failed or were too large."
        )
        parser.add_argument("--every-version", action="store_true", help="Older versions too, not only current ones.")
        parser.add_argument("--queue", action="store_true", help="Hand them to the Celery worker instead.")

    def handle(self, *args, which=None, every_version=False, queue=False, verbosity=1, **options):
        which = which or "missing"
        ids = list(versions_for_text(which=which, every_version=every_version))
        if not ids:
            self.stdout.write(self.style.SUCCESS(f"No file to read ({which})."))
            return
        file_text_request(version_ids=ids, queue=queue)
        if queue:
            self.stdout.write(self.style.SUCCESS(f"{len(ids)} file(s) handed to the worker."))
            return
        states = Counter()
        for version_id in tqdm(ids, desc="Reading file text", unit="file", disable=verbosity < 1, file=self.stderr):
            states[file_text_extract(version_id=version_id, final_attempt=True)] += 1
        summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} file(s) read: {summary}."))
