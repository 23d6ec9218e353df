"""What sections share: stored keys, looking referenced objects up, and naming an unknown reference."""

from __future__ import annotations

from .engine import Entry, ImportContext, Problem, entry_problem


def stored_keys(model) -> set[str]:
    """The keys of ``model``'s stored rows (rows made in the admin may have none)."""
    return set(model.objects.exclude(key=None).values_list("key", flat=True))


def lookup(model, section: str, key: str, context: ImportContext):
    """The object of ``section`` with ``key``: written earlier in this import, else the stored one."""
    return context.get(section, key) or model.objects.get(key=key)


def unknown_reference(
    section: str, index: int, entry: Entry, field: str, kind: str, value: str, known: set[str]
) -> Problem:
    """An entry refers to a ``kind`` that does not exist; the problem lists (some of) those that do."""
    hint = f"; known: {', '.join(sorted(known)[:20])}" if known else f"; there are no {kind}s yet"
    return entry_problem(section, index, entry, field, f"unknown {kind} {value!r}{hint}")
