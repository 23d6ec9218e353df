"""The demo registry behind ``manage.py load_demo``.

Demo data is data: each installed app may keep import manifests (DESIGN §6) under
``<app>/fixtures/demo/*.json``, found the way ``loaddata`` finds fixtures. They are
merged and imported in one go by the importer, which orders the sections itself.
Python is left for what must be computed; an app registers it from its
``AppConfig.ready()``::

    register_demo("courses", after=["cms"], steps=[simulate_learners])

``prepare`` callables run before the import (make what manifests refer to, or return
computed sections such as entries with generated files); ``steps`` run after it. Apps
run in an order derived from their ``after`` declarations. Every callable takes the
``DemoRun`` and may add lines to its ``summary`` and ``logins``.

In a demo manifest, a date written ``"today+60d"`` (or ``"today-3d"``) is that many
days from the day of loading, so the demo never goes stale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

MANIFEST_FOLDER = Path("fixtures") / "demo"
RELATIVE_DATE = re.compile(r"^today([+-]\d+)d$")


@dataclass
class DemoRun:
    """What demo callables share: where generated files go, and what ``load_demo`` prints."""

    base_dir: Path
    today: date
    summary: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    @property
    def files_dir(self) -> Path:
        return self.base_dir / "demo-files"


DemoCallable = Callable[[DemoRun], Any]


@dataclass(frozen=True)
class DemoApp:
    label: str
    after: tuple[str, ...] = ()
    prepare: tuple[DemoCallable, ...] = ()
    steps: tuple[DemoCallable, ...] = ()


class DemoRegistry:
    """Apps' demo callables and the order they run in."""

    def __init__(self):
        self._apps: dict[str, DemoApp] = {}

    def register(
        self,
        app_label: str,
        *,
        after: Iterable[str] = (),
        prepare: Iterable[DemoCallable] = (),
        steps: Iterable[DemoCallable] = (),
    ) -> None:
        """Declare an app's demo callables and the apps whose demo comes first. Re-registering replaces."""
        self._apps[app_label] = DemoApp(app_label, tuple(after), tuple(prepare), tuple(steps))

    def ordered(self) -> list[DemoApp]:
        """The registered apps, each after those it names in ``after`` (ties in ``INSTALLED_APPS`` order)."""
        position = {config.label: n for n, config in enumerate(apps.get_app_configs())}
        for app in self._apps.values():
            unknown = [label for label in app.after if label not in self._apps]
            if unknown:
                raise ImproperlyConfigured(
                    f"the demo of {app.label!r} comes after unregistered app(s): {', '.join(unknown)}"
                )
        sorter = TopologicalSorter({label: app.after for label, app in self._apps.items()})
        try:
            sorter.prepare()
        except CycleError as exc:
            raise ImproperlyConfigured(f"demo dependencies form a cycle: {' -> '.join(exc.args[1])}") from None
        ordered = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready(), key=lambda label: (position.get(label, len(position)), label))
            ordered += ready
            sorter.done(*ready)
        return [self._apps[label] for label in ordered]


#: The project's registry; apps call ``register_demo`` from their ``AppConfig.ready()``.
demo_registry = DemoRegistry()
register_demo = demo_registry.register


def demo_manifest_paths(app_configs: Iterable | None = None) -> list[Path]:
    """Every ``fixtures/demo/*.json`` of the installed apps, app by app in ``INSTALLED_APPS`` order."""
    paths = []
    for config in app_configs if app_configs is not None else apps.get_app_configs():
        paths += sorted((Path(config.path) / MANIFEST_FOLDER).glob("*.json"))
    return paths


def resolve_relative_dates(value: Any, *, today: date) -> Any:
    """``value`` with every ``"today±Nd"`` string replaced by that ISO date."""
    if isinstance(value, dict):
        return {key: resolve_relative_dates(item, today=today) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_relative_dates(item, today=today) for item in value]
    if isinstance(value, str) and (match := RELATIVE_DATE.match(value)):
        return (today + timedelta(days=int(match[1]))).isoformat()
    return value


def merge_sections(manifest: dict, sections: dict, *, source: str) -> None:
    """Add ``sections`` to ``manifest``, entries of a section already there appended after its own."""
    if not isinstance(sections, dict) or not all(isinstance(v, list) for v in sections.values()):
        raise ImproperlyConfigured(f"{source}: a demo manifest is a JSON object with one list per section")
    for name, entries in sections.items():
        manifest.setdefault(name, []).extend(entries)


def demo_manifest(run: DemoRun, *, paths: Iterable[Path] | None = None) -> dict:
    """The apps' demo manifests merged into one, relative dates resolved."""
    manifest: dict[str, list] = {}
    for path in demo_manifest_paths() if paths is None else paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"{path}: not a readable JSON manifest ({exc})") from None
        merge_sections(manifest, resolve_relative_dates(data, today=run.today), source=str(path))
    return manifest


def load_demo(
    run: DemoRun,
    *,
    import_manifest: Callable[[dict], Iterable[str]],
    registry: DemoRegistry = demo_registry,
    manifest_paths: Iterable[Path] | None = None,
) -> DemoRun:
    """Prepare, import every app's demo manifest through ``import_manifest``, then run the steps.

    ``import_manifest(manifest)`` imports the merged manifest and answers its summary lines.
    """
    registered = registry.ordered()
    manifest: dict[str, list] = {}
    for app in registered:
        for prepare in app.prepare:
            sections = prepare(run)
            if sections:
                merge_sections(manifest, sections, source=f"{app.label} demo")
    merge_sections(manifest, demo_manifest(run, paths=manifest_paths), source="demo manifests")
    run.summary.extend(import_manifest(manifest))
    for app in registered:
        for step in app.steps:
            step(run)
    return run
