"""The rows an asset summary adds to the asset's own: its products, languages and latest version, for a page at once.

Hot: every asset list, detail and feed reads them. The SQL is written once per process from the models' tables
(``_statements``) and run on a cursor with the page's ids as parameters: no ORM query built and compiled per
request, no model instances for lookup tables.
"""

from datetime import UTC
from functools import cache

from django.db import connection
from django.db.models import DateTimeField
from django.utils import timezone

from .models import Asset, AssetVersion


def summary_relation_rows(ids: list[int]) -> tuple[list[tuple], list[tuple]]:
    """``(asset id, "products"|"languages", key, name)`` rows and ``(asset id, number, change note, created at)`` of
    each asset's latest version: two queries (none without ids)."""
    if not ids:
        return [], []
    related_sql, latest_sql = _statements()
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(related_sql.format(ids=marks), [*ids, *ids])
        related = cursor.fetchall()
        cursor.execute(latest_sql.format(ids=marks), ids)
        latest = [(asset_id, number, note, _aware(at)) for asset_id, number, note, at in cursor.fetchall()]
    return related, latest


@cache
def _statements() -> tuple[str, str]:
    """The two statements, ``{ids}`` standing for the placeholders of the ids. Only quoted names of our own
    tables and columns are written into them; every value is a parameter."""
    quote = connection.ops.quote_name

    def related(name: str) -> str:
        field = Asset._meta.get_field(name)
        through, target = field.remote_field.through._meta, field.related_model._meta
        source, reverse = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
        return (
            f"SELECT t.{source}, '{name}', r.{quote('key')}, r.{quote('name')} "  # noqa: S608 - names, not values
            f"FROM {quote(through.db_table)} t JOIN {quote(target.db_table)} r "
            f"ON r.{quote(target.pk.column)} = t.{reverse} WHERE t.{source} IN ({{ids}})"
        )

    version = AssetVersion._meta
    table, asset = quote(version.db_table), quote(version.get_field("asset").column)
    number, note, created = (quote(version.get_field(f).column) for f in ("number", "change_note", "created_at"))
    latest = (
        f"SELECT v.{asset}, v.{number}, v.{note}, v.{created} FROM {table} v "  # noqa: S608 - names, not values
        f"WHERE v.{asset} IN ({{ids}}) "
        f"AND v.{number} = (SELECT MAX(w.{number}) FROM {table} w WHERE w.{asset} = v.{asset})"
    )
    return f"{related('products')} UNION ALL {related('languages')}", latest


def _aware(value):
    """A datetime of a raw row as the ORM gives it (SQLite hands back text, and naive times in UTC)."""
    value = DateTimeField().to_python(value)
    return timezone.make_aware(value, UTC) if value is not None and timezone.is_naive(value) else value
