"""The database fallback of search: no ``ELASTICSEARCH_URL``, or Elasticsearch down.

It matches every word of the query in titles and summaries (and bodies of programs and
bulletins, and the text inside assets' files), ranks title matches first, then items whose
words are all in their own fields above those found only through their files, then by
recency, says on which page (slide, sheet) of the file the words are, and has the same facets,
filters, orderings and language variants as ``backends.ElasticsearchBackend``; it has no
stemming, synonyms or typo tolerance (README, "Search").
"""

import re
from datetime import datetime
from functools import reduce
from heapq import merge
from operator import or_

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Lower
from django.utils.html import escape

from core.search import SearchKind, search_kinds

from .backends import SUGGESTIONS, SearchHit, SearchRequest, SearchResults, Suggestion, clip_text, localizes
from .documents import relation_fields


def mark_words(text: str, words: list[str], clip: int | None = None) -> str:
    """``text`` as safe HTML with each of ``words`` wrapped in ``<mark>`` (the fallback's highlight)."""
    if clip is not None and words:
        lowered = text.lower()
        first = min((i for i in (lowered.find(word) for word in words) if i >= 0), default=0)
        start = max(0, first - clip // 3)
        text = ("…" if start else "") + clip_text(text[start:], clip)
    elif clip is not None:
        text = clip_text(text, clip)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    return "".join([*out, escape(text[last:])])


class DatabaseBackend:
    name = "database"

    def _queryset(self, kind: SearchKind, user, request: SearchRequest):
        """The kind's items ``user`` may see matching the request."""
        queryset = kind.model.objects.visible_to(user)
        if request.kind and request.kind != kind.name:
            return queryset.none()
        if request.locale and localizes(kind):
            queryset = queryset.localized_for(user, request.locale)
        for word in request.words:
            matches = Q(title__icontains=word) | Q(summary__icontains=word)
            for body in kind.body_fields:
                matches |= Q(**{f"{body}__icontains": word})
            if kind.file_text:
                matches |= kind.file_text.match(word)
            queryset = queryset.filter(matches)
        if request.type:
            if kind.type_field:
                queryset = queryset.filter(**{kind.type_field: request.type})
            elif request.type != kind.name:
                return queryset.none()
        for name, value in (("products", request.product), ("languages", request.language)):
            if value:
                if not kind.has_products:
                    return queryset.none()
                through = getattr(kind.model, name).through.objects
                item, related = relation_fields(kind, name)
                queryset = queryset.filter(Exists(through.filter(**{item: OuterRef("pk"), f"{related}__key": value})))
        return queryset

    @staticmethod
    def _words_in(conditions) -> Case:
        cases = (Case(When(c, then=Value(1)), default=Value(0), output_field=IntegerField()) for c in conditions)
        return sum(cases, Value(0))

    def _ranked(self, queryset, request: SearchRequest, kind: SearchKind):
        words = request.words
        rank = self._words_in(Q(title__icontains=word) for word in words)
        if kind.file_text:  # how many words the item's own fields have (the others are only in its file)
            fields = ["title", "summary", *kind.body_fields]
            text_rank = self._words_in(reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words)
        else:
            text_rank = Value(len(words))
        queryset = queryset.annotate(title_rank=rank, text_rank=text_rank, sort_title=Lower("title"))
        if request.ordering == "title":
            return queryset.order_by("sort_title", "pk")
        if not request.by_relevance:
            return queryset.order_by("-last_published_at", "-pk")
        return queryset.order_by("-title_rank", "-text_rank", "-last_published_at", "-pk")

    @staticmethod
    def _merge_key(request: SearchRequest):
        """The order of ``_ranked`` for rows of several kinds, to merge their sorted streams."""

        def published(row) -> float:
            return row["last_published_at"].timestamp() if row["last_published_at"] else 0

        if request.ordering == "title":
            return lambda entry: (entry[1]["sort_title"], entry[1]["pk"])
        if not request.by_relevance:
            return lambda entry: (-published(entry[1]), -entry[1]["pk"])
        return lambda entry: (-entry[1]["title_rank"], -entry[1]["text_rank"], -published(entry[1]))

    def search(self, user, request: SearchRequest, now: datetime) -> SearchResults:
        words = request.words
        kinds = search_kinds()
        per_kind = {name: self._queryset(kind, user, request) for name, kind in kinds.items()}
        count = sum(queryset.count() for queryset in per_kind.values())
        wanted = request.offset + request.page_size
        streams = []
        for name, queryset in per_kind.items():
            rows = self._ranked(queryset, request, kinds[name]).values(
                "pk",
                "title",
                "summary",
                "last_published_at",
                "title_rank",
                "text_rank",
                "sort_title",
                *filter(None, [kinds[name].type_field]),
            )[:wanted]
            streams.append([(name, row) for row in rows])

        page = list(merge(*streams, key=self._merge_key(request)))[request.offset : wanted]
        where = self._where(kinds, page, words)
        hits = [
            SearchHit(
                kind=name,
                id=row["pk"],
                title=row["title"],
                summary=row["summary"],
                type=row.get(kinds[name].type_field or "", name),
                published_at=row["last_published_at"],
                highlight={"title": mark_words(row["title"], words), "text": mark_words(row["summary"], words, 180)},
                matched_in=where.get((name, row["pk"])),
            )
            for name, row in page
        ]
        return SearchResults(count=count, hits=hits, facets=self._facets(user, request), backend=self.name)

    @staticmethod
    def _where(kinds, page, words) -> dict[tuple[str, int], dict]:
        """``(kind, id)`` -> the page (slide, sheet) of the item's file with most of the words, with a passage."""
        found = {}
        for name, kind in kinds.items():
            ids = [row["pk"] for row_kind, row in page if row_kind == name]
            if kind.file_text and ids and words:
                for pk, unit in kind.file_text.where(ids, words).items():
                    found[name, pk] = {
                        "unit": unit["unit"],
                        "kind": unit["kind"],
                        "name": unit["name"],
                        "highlight": mark_words(unit["text"], words, 180),
                    }
        return found

    def _facets(self, user, request: SearchRequest) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {"type": {}, "product": {}, "language": {}}
        for name, kind in search_kinds().items():
            queryset = self._queryset(kind, user, request)
            if kind.type_field:
                for value, n in queryset.order_by().values_list(kind.type_field).annotate(n=Count("pk")):
                    facets["type"][value] = n
            else:
                n = queryset.count()
                if n:
                    facets["type"][name] = n
            if kind.has_products:
                for facet, relation in (("product", "products"), ("language", "languages")):
                    key = f"{relation}__key"
                    rows = queryset.order_by().filter(**{f"{key}__isnull": False}).values_list(key)
                    for value, n in rows.annotate(n=Count("pk", distinct=True)):
                        facets[facet][value] = facets[facet].get(value, 0) + n
        return {name: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))) for name, values in facets.items()}

    def suggest(self, user, text: str, now: datetime, kind: str | None = None) -> list[Suggestion]:
        words = SearchRequest(text=text).words
        if not words:
            return []
        found = []
        kinds = {name: found_kind for name, found_kind in search_kinds().items() if kind in (None, name)}
        for name, search_kind in kinds.items():
            queryset = search_kind.model.objects.visible_to(user)
            for word in words:
                queryset = queryset.filter(title__icontains=word)
            starts = Case(
                When(title__istartswith=words[0], then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            rows = (
                queryset.annotate(starts=starts)
                .order_by("-starts", "title")
                .values("pk", "title", "starts", *filter(None, [search_kind.type_field]))[:SUGGESTIONS]
            )
            found += [(row["starts"], row["title"], name, row) for row in rows]
        found.sort(key=lambda entry: (-entry[0], entry[1]))
        return [
            Suggestion(kind=name, id=row["pk"], title=title, type=row.get(kinds[name].type_field or "", name))
            for _starts, title, name, row in found[:SUGGESTIONS]
        ]
