"""The demo registry: manifests found per installed app, steps run in the order apps declare."""

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured

import pytest

from core.demo import DemoRegistry, DemoRun, demo_manifest_paths, demo_registry, load_demo, resolve_relative_dates

TODAY = date(2026, 11, 27)


def app_with_manifests(root: Path, label: str, manifests: dict[str, dict]) -> SimpleNamespace:
    folder = root / label / "fixtures" / "demo"
    folder.mkdir(parents=True)
    for name, data in manifests.items():
        (folder / name).write_text(json.dumps(data))
    return SimpleNamespace(label=label, path=str(root / label))


def test_demo_apps_run_after_the_apps_they_name_whatever_the_order_they_register_in():
    registry = DemoRegistry()
    registry.register("late", after=["middle"])
    registry.register("middle", after=["first"])
    registry.register("first")
    assert [app.label for app in registry.ordered()] == ["first", "middle", "late"]


def test_a_demo_cycle_or_an_unregistered_dependency_is_a_clear_error():
    registry = DemoRegistry()
    registry.register("a", after=["b"])
    registry.register("b", after=["a"])
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        registry.ordered()
    registry = DemoRegistry()
    registry.register("a", after=["ghost"])
    with pytest.raises(ImproperlyConfigured, match=r"unregistered app.*ghost"):
        registry.ordered()


def test_the_project_apps_load_their_demo_lowest_layer_first():
    labels = [app.label for app in demo_registry.ordered()]
    assert labels.index("partners") < labels.index("cms") < labels.index("courses") < labels.index("certifications")


def test_demo_manifests_are_found_in_each_apps_fixtures_demo_folder(tmp_path):
    first = app_with_manifests(tmp_path, "first", {"b.json": {}, "a.json": {}})
    second = app_with_manifests(tmp_path, "second", {"data.json": {}})
    (tmp_path / "first" / "fixtures" / "demo" / "notes.txt").write_text("not a manifest")
    found = demo_manifest_paths([first, second, SimpleNamespace(label="none", path=str(tmp_path / "none"))])
    assert [(path.parent.parent.parent.name, path.name) for path in found] == [
        ("first", "a.json"),
        ("first", "b.json"),
        ("second", "data.json"),
    ]
    installed = {path.parent.parent.parent.name for path in demo_manifest_paths()}
    assert {"partners", "courses", "certifications"} <= installed


def test_load_demo_imports_prepared_and_found_sections_once_then_runs_steps_in_order(tmp_path):
    calls = []
    registry = DemoRegistry()
    registry.register(
        "content",
        after=["people"],
        prepare=[lambda run: calls.append("prepare content") or {"assets": [{"key": "generated"}]}],
        steps=[lambda run: calls.append("content step") or run.logins.append("token line")],
    )
    registry.register(
        "people",
        prepare=[lambda run: calls.append("prepare people")],
        steps=[lambda run: calls.append("people step") or run.summary.append("people: 1 step")],
    )
    people = app_with_manifests(tmp_path, "people", {"people.json": {"users": [{"key": "ann", "joined": "today-3d"}]}})
    content = app_with_manifests(tmp_path, "content", {"content.json": {"assets": [{"key": "written"}]}})

    def import_manifest(manifest):
        calls.append(("import", manifest))
        return [f"{name}: {len(entries)} imported" for name, entries in manifest.items()]

    run = load_demo(
        DemoRun(base_dir=tmp_path, today=TODAY),
        import_manifest=import_manifest,
        registry=registry,
        manifest_paths=demo_manifest_paths([people, content]),
    )
    assert calls == [
        "prepare people",
        "prepare content",
        (
            "import",
            {
                "assets": [{"key": "generated"}, {"key": "written"}],
                "users": [{"key": "ann", "joined": "2026-11-24"}],
            },
        ),
        "people step",
        "content step",
    ]
    assert run.summary == ["assets: 2 imported", "users: 1 imported", "people: 1 step"]
    assert run.logins == ["token line"]


def test_relative_dates_in_demo_manifests_are_days_from_today():
    data = {"a": [{"review_by": "today+60d", "go_live": "today-1d", "title": "today+60d is the plan", "n": 3}]}
    assert resolve_relative_dates(data, today=TODAY) == {
        "a": [{"review_by": "2027-01-26", "go_live": "2026-11-26", "title": "today+60d is the plan", "n": 3}]
    }


def test_a_demo_manifest_that_is_not_json_names_its_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ImproperlyConfigured, match=r"broken\.json"):
        load_demo(
            DemoRun(base_dir=tmp_path, today=TODAY),
            import_manifest=lambda manifest: [],
            registry=DemoRegistry(),
            manifest_paths=[broken],
        )
