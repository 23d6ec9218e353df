"""The importer's engine: validation in two passes, then writes in one transaction.

``import_manifest`` runs the registered sections (``core.importer.registry``) in their
derived order; a section is a ``Section`` with an ``Entry`` schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction

import pydantic

from .registry import registered_sections

MAX_REPORTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a manifest, located as precisely as possible."""

    message: str
    section: str | None = None
    index: int | None = None
    key: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.section is not None:
            where = self.section
            if self.index is not None:
                where += f"[{self.index}]"
            if self.key:
                where += f" (key {self.key!r})"
        if self.field:
            where = f"{where}: {self.field}" if where else self.field
        return f"{where}: {self.message}" if where else self.message


def entry_problem(section: str, index: int, entry, field: str | None, message: str) -> Problem:
    """A problem with one field of one entry of a section."""
    return Problem(message, section=section, index=index, key=entry.key, field=field)


class ManifestError(Exception):
    """The manifest cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = problems[:MAX_REPORTED_PROBLEMS]
        lines = [f"The manifest has {len(problems)} problem(s); nothing was imported:"]
        lines += [f"  - {p}" for p in shown]
        if len(problems) > len(shown):
            lines.append(f"  … and {len(problems) - len(shown)} more.")
        super().__init__("\n".join(lines))


class Entry(pydantic.BaseModel):
    """Base of every section's entry schema: unknown fields are errors, not silently ignored."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str = pydantic.Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


@dataclass
class SectionResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportSummary:
    sections: dict[str, SectionResult] = field(default_factory=dict)
    dry_run: bool = False

    def lines(self) -> list[str]:
        return [f"{name}: {result}" for name, result in self.sections.items()]


@dataclass
class ImportContext:
    """What sections share while importing: the manifest's folder and keys known so far."""

    base_dir: Path
    manifest_keys: dict[str, set[str]] = field(default_factory=dict)
    entries: dict[str, list] = field(default_factory=dict)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def known(self, section: str, existing: Callable[[], set[str]]) -> set[str]:
        return self.manifest_keys.get(section, set()) | existing()

    def get(self, section: str, key: str):
        """An object written earlier in this import, else the stored one."""
        return self.objects.get(section, {}).get(key)


class Section:
    """One manifest section: its entry schema, its references, and how an entry is written.

    ``depends_on`` names the sections whose entries this one refers to: they are written first.
    """

    name: ClassVar[str]
    schema: ClassVar[type[Entry]]
    model: ClassVar[Any]
    depends_on: ClassVar[tuple[str, ...]] = ()

    def stored_keys(self) -> set[str]:
        return set(self.model.objects.values_list("key", flat=True))

    def check_references(self, entries: list[Entry], context: ImportContext) -> list[Problem]:
        """Problems with references to other sections (unknown keys)."""
        return []

    def write(self, entry: Entry, context: ImportContext) -> tuple[Any, bool, bool]:
        """Create or update one entry through services; return ``(object, created, changed)``."""
        raise NotImplementedError


def _describe_validation_error(exc: ValidationError) -> list[tuple[str | None, str]]:
    if hasattr(exc, "error_dict"):
        return [(name, " ".join(m for e in errors for m in e.messages)) for name, errors in exc.error_dict.items()]
    return [(None, " ".join(exc.messages))]


def import_manifest(
    data: Any,
    *,
    base_dir: Path,
    dry_run: bool = False,
    progress: Callable[[str, int], Any] | None = None,
    sections: Sequence[Section] | None = None,
) -> ImportSummary:
    """Validate and import a manifest (already parsed from JSON). Raise ``ManifestError`` on any problem.

    ``progress(section_name, total)`` may return a callable that is called once per
    written entry (a progress bar's ``update``). ``sections`` (in import order) default to
    the registered ones, in their derived order.
    """
    ordered = registered_sections() if sections is None else list(sections)
    by_name = {section.name: section for section in ordered}
    if not isinstance(data, dict):
        raise ManifestError([Problem("the manifest must be a JSON object with one list per section")])
    unknown = sorted(set(data) - set(by_name))
    problems = [Problem(f"unknown section {name!r}; known sections are: {', '.join(by_name)}") for name in unknown]

    # Pass 1: the shape of every entry, and duplicate keys.
    parsed: dict[str, list[Entry]] = {}
    for section in ordered:
        raw_entries = data.get(section.name)
        if raw_entries is None:
            continue
        if not isinstance(raw_entries, list):
            problems.append(Problem("must be a list of entries", section=section.name))
            continue
        entries = []
        for index, raw in enumerate(raw_entries):
            key = raw.get("key") if isinstance(raw, dict) else None
            try:
                entries.append(section.schema.model_validate(raw))
            except pydantic.ValidationError as exc:
                for error in exc.errors():
                    problems.append(
                        Problem(
                            error["msg"].removeprefix("Value error, "),
                            section=section.name,
                            index=index,
                            key=key if isinstance(key, str) else None,
                            field=".".join(str(p) for p in error["loc"]) or None,
                        )
                    )
        duplicates = [k for k, n in Counter(e.key for e in entries).items() if n > 1]
        for key in duplicates:
            problems.append(Problem(f"key {key!r} appears more than once", section=section.name, field="key"))
        parsed[section.name] = entries
    if problems:
        raise ManifestError(problems)

    # Pass 2: references between sections, against the manifest and the database.
    context = ImportContext(
        base_dir=base_dir,
        manifest_keys={name: {e.key for e in entries} for name, entries in parsed.items()},
        entries=parsed,
    )
    for section in ordered:
        if section.name in parsed:
            problems += section.check_references(parsed[section.name], context)
    if problems:
        raise ManifestError(problems)

    # Pass 3: write everything in one transaction, collecting every model validation error;
    # any problem (or a dry run) rolls the whole import back.
    summary = ImportSummary(dry_run=dry_run)
    try:
        with transaction.atomic():
            for section in ordered:
                if section.name not in parsed:
                    continue
                result = summary.sections[section.name] = SectionResult()
                advance = progress(section.name, len(parsed[section.name])) if progress else None
                for index, entry in enumerate(parsed[section.name]):
                    try:
                        with transaction.atomic():
                            obj, created, changed = section.write(entry, context)
                    except ValidationError as exc:
                        for field_name, message in _describe_validation_error(exc):
                            problems.append(
                                Problem(message, section=section.name, index=index, key=entry.key, field=field_name)
                            )
                    else:
                        context.objects.setdefault(section.name, {})[entry.key] = obj
                        if created:
                            result.created += 1
                        elif changed:
                            result.updated += 1
                        else:
                            result.unchanged += 1
                    if advance:
                        advance(1)
            if problems:
                raise ManifestError(problems)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return summary


class _DryRunRollback(Exception):
    pass
