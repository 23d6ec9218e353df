"""factory_boy factories of search data: synonyms and recorded queries."""

import factory

from .models import SearchQuery, Synonym


class SynonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Synonym
        django_get_or_create = ("terms",)

    terms = factory.Sequence(lambda n: f"term{n}a, term{n}b")


class SearchQueryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchQuery

    text = factory.Sequence(lambda n: f"query {n}")
    normalized = factory.LazyAttribute(lambda o: " ".join(o.text.lower().split()))
    result_count = 3
    backend = "database"


class SearchClickFactory(factory.django.DjangoModelFactory):
    """A result opened after a search: ``SearchClickFactory(query=search_query, position=2)``."""

    class Meta:
        model = "search.SearchClick"

    query = factory.SubFactory(SearchQueryFactory)
    kind = "asset"
    item_id = factory.Sequence(lambda n: n + 1)
    position = 1


class PendingSearchSyncFactory(factory.django.DjangoModelFactory):
    """An item whose change has not reached the index yet."""

    class Meta:
        model = "search.PendingSearchSync"

    kind = "asset"
    item_id = factory.Sequence(lambda n: n + 1)
