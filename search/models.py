"""Search data kept in the database: the editors' synonym list and the search analytics.

The index itself lives in Elasticsearch (``search.index``); here are what builds it
(synonyms), the items whose latest change it has not taken yet (left out of its answers),
and what we learn from queries.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from partners.models import Partner, Tier

MAX_QUERY_LENGTH = 200


def synonym_terms(line: str) -> list[str]:
    """The terms of one synonym line, cleaned: ``"SD-WAN, sdwan , Software-defined WAN"``."""
    return [" ".join(term.split()).lower() for term in line.split(",") if term.strip()]


class Synonym(index.Indexed, models.Model):
    """Words partners use interchangeably: product names, acronyms, old names.

    Each line is a group of equivalent terms (``sd-wan, sdwan, software defined wan``);
    a query for any of them finds the others. Saving one rebuilds the search index in
    the background (no downtime: the alias moves when the new index is ready).
    """

    terms = models.CharField(
        max_length=500,
        unique=True,
        help_text="Comma-separated terms that mean the same, e.g. “sd-wan, sdwan, software defined wan”.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why these belong together (for editors).")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]
    search_fields = [index.SearchField("terms"), index.AutocompleteField("terms")]

    class Meta:
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def clean(self):
        terms = synonym_terms(self.terms)
        if len(terms) < 2:
            raise ValidationError({"terms": "Give at least two terms, separated by commas."})
        if any(len(term) > 60 or any(ch in term for ch in "=>#\\") for term in terms):
            raise ValidationError({"terms": "Each term is plain words (at most 60 characters, no “=>”, “#” or “\\”)."})
        self.terms = ", ".join(dict.fromkeys(terms))


class SearchQueryQuerySet(models.QuerySet):
    def by_partner_users(self):
        """Searches by users of real partners: no staff (previewing, testing) and no users of test partners."""
        return self.exclude(user__is_staff=True).exclude(partner__is_test=True)


class SearchQuery(models.Model):
    """One search a partner user ran: what they typed, what they got, who they were."""

    text = models.CharField(max_length=MAX_QUERY_LENGTH)
    normalized = models.CharField(max_length=MAX_QUERY_LENGTH, db_index=True, help_text="Lower case, single spaces.")
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    results = models.JSONField(
        default=list,
        blank=True,
        help_text="The results shown on that page, in rank order: [kind, item id] pairs (kinds as in SearchClick).",
    )
    backend = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    partner = models.ForeignKey(Partner, null=True, on_delete=models.SET_NULL, related_name="+")
    tier = models.ForeignKey(Tier, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = SearchQueryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search queries"
        indexes = [models.Index(fields=["created_at", "normalized"], name="searchquery_day_text_idx")]

    def __str__(self):
        return f"“{self.text}” ({self.result_count})"


class SearchClick(models.Model):
    """A result the user opened after a search, as reported by the front end."""

    query = models.ForeignKey(SearchQuery, on_delete=models.CASCADE, related_name="clicks")
    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    position = models.PositiveIntegerField(null=True, blank=True, help_text="1-based rank in the results.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "kind", "item_id"], name="searchclick_once_per_result")
        ]

    def __str__(self):
        return f"{self.kind} {self.item_id} from {self.query}"


class PendingSearchSync(models.Model):
    """An item whose change could not be written to the index at once: kept out of Elasticsearch results.

    Recorded when the synchronous write after a change fails (Elasticsearch down or slow);
    deleted by the sync that brings the item's document up to date (the retried task, or
    reconciliation). Until then the item is only found through the database fallback.
    """

    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "item_id"], name="pendingsearchsync_unique_item")]

    def __str__(self):
        return f"{self.kind}-{self.item_id}"
