"""The registry of searchable kinds: which gated models search covers, and how.

An app registers each of its kinds from its ``AppConfig.ready()``::

    register_search_kind(SearchKind("course", Course))

Search (``search/``) reads ``search_kinds()`` whenever it indexes, queries, counts
facets or links a result, so a newly registered kind (a gated model with ``title`` and
``summary``) is indexed and found without a change to search itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.text import capfirst


@dataclass(frozen=True)
class FileText:
    """How the text of a kind's files is found, per page, slide or sheet.

    A unit is ``{"unit", "kind", "name", "text"}``, ``kind`` one of ``page``, ``slide``,
    ``sheet``. The app that owns the kind gives these (cms, for assets).
    """

    units_for: Callable  # (item ids) -> {item id: [unit, ...]}: the index's documents carry them
    match: Callable  # (word) -> Q: items with the word in some unit (the database fallback)
    where: Callable  # (item ids, words) -> {item id: unit}: the unit that has the most of the words


@dataclass(frozen=True)
class SearchKind:
    """A model that search covers, and how its rows become documents."""

    name: str
    model: type[Model]
    body_fields: tuple[str, ...] = ()
    type_field: str | None = None  # the facet "type": this field, or the kind's name
    has_products: bool = False  # ``products`` and ``languages`` many-to-many relations (facets, filters)
    detail_route: str | None = None  # the partner API's URL name of one item; by default ``get_<name>``
    file_text: FileText | None = None  # the text inside the items' files, searched with a lower weight

    @property
    def label(self) -> str:
        """What the type facet calls the kind's items when it has no ``type_field``."""
        return capfirst(self.model._meta.verbose_name)

    @property
    def route(self) -> str:
        return self.detail_route or f"get_{self.name}"

    def type_labels(self) -> dict[str, str]:
        """The values of the facet "type" this kind's items take, with their display names."""
        if self.type_field:
            return {str(value): str(label) for value, label in self.model._meta.get_field(self.type_field).choices}
        return {self.name: self.label}


_kinds: dict[str, SearchKind] = {}


def register_search_kind(kind: SearchKind) -> None:
    """Make ``kind`` searchable; registering a kind of the same name again replaces it."""
    _kinds[kind.name] = kind


def unregister_search_kind(name: str) -> None:
    """Stop searching kind ``name`` (tests; its documents stay in the index until a rebuild)."""
    _kinds.pop(name, None)


def search_kinds() -> dict[str, SearchKind]:
    """The registered kinds by name, in registration order."""
    return dict(_kinds)


def search_kind_of(model) -> SearchKind | None:
    """The kind of ``model``, or ``None`` when search does not cover it."""
    return next((kind for kind in _kinds.values() if kind.model is model), None)
