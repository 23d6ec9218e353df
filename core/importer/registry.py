"""The importer's sections, registered by their own apps, and the order they are imported in.

Each app registers its sections from its ``AppConfig.ready()``::

    register_sections(QuestionBanksSection(), QuizzesSection(), CoursesSection())

and each section names the sections it refers to (``depends_on = ("question_banks",)``).
``registered_sections()`` answers them in an order where every section comes after those
it depends on; among sections free to go, the one registered first goes first, so a
registration order that already respects the dependencies is kept as it is.
"""

from __future__ import annotations

import heapq
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # the engine imports this module; sections are only named in annotations here
    from .engine import Section


class SectionRegistry:
    """Importer sections by name, in registration order, and their derived import order."""

    def __init__(self):
        self._sections: dict[str, Section] = {}

    def register(self, *sections: Section) -> None:
        """Add sections; one registered again under the same name replaces it and keeps its place."""
        for section in sections:
            self._sections[section.name] = section

    def ordered(self) -> list[Section]:
        """Every registered section after those it ``depends_on``; ties in registration order."""
        for section in self._sections.values():
            unknown = [name for name in section.depends_on if name not in self._sections]
            if unknown:
                raise ImproperlyConfigured(
                    f"importer section {section.name!r} depends on unregistered section(s): {', '.join(unknown)}"
                )
        sorter = TopologicalSorter({name: section.depends_on for name, section in self._sections.items()})
        try:
            sorter.prepare()
        except CycleError as exc:
            raise ImproperlyConfigured(
                f"importer sections depend on each other in a cycle: {' -> '.join(reversed(exc.args[1]))} "
                "(each depends on the next)"
            ) from None
        position = {name: n for n, name in enumerate(self._sections)}
        ready: list[tuple[int, str]] = []
        ordered = []
        while sorter.is_active():
            for name in sorter.get_ready():
                heapq.heappush(ready, (position[name], name))
            _position, name = heapq.heappop(ready)
            ordered.append(self._sections[name])
            sorter.done(name)
        return ordered


#: The project's registry; apps call ``register_sections`` from their ``AppConfig.ready()``.
section_registry = SectionRegistry()
register_sections = section_registry.register
registered_sections = section_registry.ordered
