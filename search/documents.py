"""What each searchable kind of item looks like in the index, built in batches from plain rows.

A document carries the text (title, summary, body), the facets (type, products,
languages), the live window (``go_live_at``, ``expire_at``, so an item is gone from
results the moment it expires, before any sweep), the text of its file per page, slide or
sheet (``pages``: ``unit``, ``kind``, ``name``, ``text``; kinds with ``file_text``) and the audience fields of
``partners.audience.search_document_fields``. Only items live for partners are
indexed; ``documents_for`` answers ``None`` for any other id, which means "delete".

The kinds are those the apps registered (``core.search``).
"""

from collections.abc import Iterable, Iterator

from django.utils.html import strip_tags

from core.search import SearchKind
from partners.audience import REQUIREMENT_FIELDS, Audience, audience_list_ids, search_document_fields, with_requirement


def document_id(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def parse_document_id(doc_id: str) -> tuple[str, int]:
    kind, _, pk = doc_id.rpartition("-")
    return kind, int(pk)


ROW_FIELDS = (
    "pk",
    "title",
    "summary",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "updated_at",
    "min_tier__rank",
    "audience_partner_types_key",
    "audience_regions_key",
    "audience_roles_key",
    *REQUIREMENT_FIELDS,  # the required qualification: every searchable kind is gated content
)


def relation_fields(kind: SearchKind, relation: str) -> tuple[str, str]:
    """The through model's field names of ``relation`` (``products``, ``languages``): ``(item, related)``."""
    field = getattr(kind.model, relation).field
    return field.m2m_field_name(), field.m2m_reverse_field_name()


def _related_keys(kind: SearchKind, relation: str, pks: list[int]) -> dict[int, list[tuple[str, str]]]:
    item, related = relation_fields(kind, relation)
    rows = (
        getattr(kind.model, relation)
        .through.objects.filter(**{f"{item}_id__in": pks})
        .values_list(f"{item}_id", f"{related}__key", f"{related}__name")
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for pk, key, name in rows:
        found.setdefault(pk, []).append((key, name))
    return found


def documents_for(kind: SearchKind, pks: Iterable[int]) -> Iterator[tuple[int, dict | None]]:
    """``(pk, document)`` for each id, ``None`` for ids that are gone or not live for partners."""
    pks = list(pks)
    live = kind.model.objects.filter(pk__in=pks).live_for_partners()
    built = dict(build_documents(kind, live))
    for pk in pks:
        yield pk, built.get(pk)


def build_documents(kind: SearchKind, queryset, batch_size: int = 1000) -> Iterator[tuple[int, dict]]:
    """Documents for every row of ``queryset`` (already limited to live items), a batch at a time."""
    extra = list(kind.body_fields)
    if kind.type_field:
        extra.append(kind.type_field)
    if kind.has_products:
        extra.append("locale__language_code")
    rows = queryset.order_by("pk").values(*ROW_FIELDS, *extra)
    last_pk = 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return
        last_pk = batch[-1]["pk"]
        pks = [row["pk"] for row in batch]
        products = _related_keys(kind, "products", pks) if kind.has_products else {}
        languages = _related_keys(kind, "languages", pks) if kind.has_products else {}
        pages = kind.file_text.units_for(pks) if kind.file_text else None
        for row in batch:
            document = _document(kind, row, products.get(row["pk"], []), languages.get(row["pk"], []))
            if pages is not None:
                document["pages"] = pages.get(row["pk"], [])
            yield row["pk"], document


def _document(kind: SearchKind, row: dict, products: list, languages: list) -> dict:
    audience = Audience(
        min_tier_rank=row["min_tier__rank"],
        partner_type_ids=audience_list_ids(row["audience_partner_types_key"]),
        region_ids=audience_list_ids(row["audience_regions_key"]),
        role_ids=audience_list_ids(row["audience_roles_key"]),
    )
    audience = with_requirement(audience, *(row[name] for name in REQUIREMENT_FIELDS))
    body = " ".join(strip_tags(row[field] or "") for field in kind.body_fields)
    return {
        "kind": kind.name,
        "item_id": row["pk"],
        "title": row["title"],
        "summary": row["summary"] or "",
        "body": " ".join(body.split()),
        "type": row[kind.type_field] if kind.type_field else kind.name,
        "products": sorted(key for key, _name in products),
        "product_names": " ".join(sorted(name for _key, name in products)),
        "languages": sorted(key for key, _name in languages),
        "locale": row.get("locale__language_code") or "",
        "published_at": row["last_published_at"],
        "go_live_at": row["go_live_at"],
        "expire_at": row["expire_at"],
        "updated_at": row["updated_at"],
        **search_document_fields(audience),
    }
