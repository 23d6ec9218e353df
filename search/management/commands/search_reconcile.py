"""``manage.py search_reconcile``: make the search index match the database (what beat runs)."""

from django.core.management.base import BaseCommand, CommandError

from search.backends import SearchUnavailable
from search.client import elasticsearch_configured
from search.services import search_reconcile


class Command(BaseCommand):
    help = "Index live items missing from the search index or changed since, and delete documents of items gone."

    def handle(self, *args, **options):
        if not elasticsearch_configured():
            raise CommandError(
                "Elasticsearch is not configured (ELASTICSEARCH_URL); search answers from the database."
            )
        try:
            result = search_reconcile()
        except SearchUnavailable as error:
            raise CommandError(f"Elasticsearch did not answer: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked {result.checked} live items: {result.indexed} (re)indexed, {result.deleted} deleted."
            )
        )
