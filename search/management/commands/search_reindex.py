"""``manage.py search_reindex``: rebuild the search index from the database and swap the alias (no downtime)."""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from search.backends import SearchUnavailable
from search.services import SearchError, live_item_count, search_reindex


class Command(BaseCommand):
    help = (
        "Build a new Elasticsearch index of every live asset, program and bulletin with bulk requests, then move "
        "the alias to it in one atomic step: searches keep answering from the old index until then. Changes made "
        "while it runs are caught up afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=1000, help="Documents per bulk request (default 1000).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, chunk_size: int, no_progress: bool, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        with tqdm(total=live_item_count(), unit="doc", disable=no_progress, file=self.stderr) as bar:
            try:
                result = search_reindex(progress=bar.update, chunk_size=chunk_size)
            except SearchError as error:
                raise CommandError(str(error)) from error
            except (SearchUnavailable, ConnectionError) as error:
                raise CommandError(f"Elasticsearch did not answer: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {result.documents} documents into {result.index} in {result.seconds:.1f}s "
                f"({result.per_second:.0f}/s); the alias now points there"
                + (f", {len(result.removed_indices)} old index(es) removed" if result.removed_indices else "")
                + (f", {result.caught_up} changed meanwhile re-synced." if result.caught_up else ".")
            )
        )
