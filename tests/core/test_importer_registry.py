"""The importer's section registry: apps register their sections, the order comes from what each depends on."""

import itertools
import json
from io import StringIO

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

import pytest

from certifications.models import Certification
from core.importer.registry import SectionRegistry, registered_sections
from courses.models import Course


class FakeSection:
    def __init__(self, name, *depends_on):
        self.name = name
        self.depends_on = depends_on


def names(registry):
    return [section.name for section in registry.ordered()]


def registry_of(*sections):
    registry = SectionRegistry()
    registry.register(*sections)
    return registry


GRAPH = [
    FakeSection("tiers"),
    FakeSection("regions"),
    FakeSection("partners", "tiers", "regions"),
    FakeSection("users", "partners"),
    FakeSection("courses", "tiers"),
    FakeSection("certifications", "courses", "tiers"),
]


def test_every_section_comes_after_those_it_depends_on_whatever_the_registration_order():
    for registration in itertools.permutations(GRAPH):
        order = names(registry_of(*registration))
        assert sorted(order) == sorted(section.name for section in GRAPH)
        for section in GRAPH:
            for dependency in section.depends_on:
                assert order.index(dependency) < order.index(section.name), (order, registration)


def test_sections_free_to_go_keep_their_registration_order():
    assert names(registry_of(*GRAPH)) == ["tiers", "regions", "partners", "users", "courses", "certifications"]
    # Registered by apps in another order: only what must move moves, the rest keeps its place.
    registry = registry_of(GRAPH[5], GRAPH[4], FakeSection("products"), *GRAPH[:4])
    assert names(registry) == ["products", "tiers", "courses", "certifications", "regions", "partners", "users"]


def test_registering_a_section_again_replaces_it_in_its_place():
    registry = registry_of(FakeSection("a"), FakeSection("b"))
    replacement = FakeSection("a")
    registry.register(replacement)
    assert registry.ordered()[0] is replacement
    assert names(registry) == ["a", "b"]


def test_a_dependency_on_an_unregistered_section_is_a_clear_error():
    registry = registry_of(FakeSection("tiers"), FakeSection("partners", "tiers", "regions"))
    with pytest.raises(
        ImproperlyConfigured, match=r"section 'partners' depends on unregistered section\(s\): regions"
    ):
        registry.ordered()


def test_a_cycle_is_a_clear_error_naming_it():
    registry = registry_of(FakeSection("a", "c"), FakeSection("b", "a"), FakeSection("c", "b"), FakeSection("d"))
    with pytest.raises(ImproperlyConfigured, match="cycle") as error:
        registry.ordered()
    assert {"a", "b", "c"} <= set(str(error.value).replace("->", " ").split())
    assert "d" not in str(error.value).split()


def test_a_section_depending_on_itself_is_a_cycle():
    with pytest.raises(ImproperlyConfigured, match="cycle: a -> a"):
        registry_of(FakeSection("a", "a")).ordered()


def test_a_cycle_reads_as_each_section_depending_on_the_next():
    registry = registry_of(FakeSection("a", "b"), FakeSection("b", "a"))
    with pytest.raises(ImproperlyConfigured) as error:
        registry.ordered()
    message = str(error.value)
    assert "a -> b -> a" in message or "b -> a -> b" in message
    assert "(each depends on the next)" in message


# --- the project's registry ------------------------------------------------------------------------------

SECTION_NAMES = {
    "tiers",
    "partner_types",
    "regions",
    "roles",
    "partners",
    "users",
    "products",
    "languages",
    "assets",
    "programs",
    "bulletins",
    "question_banks",
    "quizzes",
    "courses",
    "certifications",
    "briefings",  # tests/testapp's gated kind registers its section like any app
}


def test_every_app_registers_its_sections_and_each_comes_after_its_dependencies():
    order = [section.name for section in registered_sections()]
    assert set(order) == SECTION_NAMES and len(order) == len(SECTION_NAMES)
    for section in registered_sections():
        for dependency in section.depends_on:
            assert order.index(dependency) < order.index(section.name), (section.name, dependency)


FULL_MANIFEST = {
    # Listed last-first: the order of the file does not matter, the registry's does.
    "certifications": [
        {
            "key": "seller",
            "title": "Certified seller",
            "required_courses": ["basics"],
            "exam": "final",
            "tier_requirements": {"gold": 1},
        }
    ],
    "courses": [
        {
            "key": "basics",
            "title": "Selling basics",
            "audience": {"min_tier": "silver", "regions": ["emea"]},
            "final_quiz": "final",
            "modules": [
                {
                    "title": "Discovery",
                    "quiz": "final",
                    "lessons": [
                        {"title": "Ask", "body": [{"type": "text", "html": "<p>Ask first.</p>"}]},
                        {"title": "Read", "body": [{"type": "asset", "asset": "deck-link"}]},
                    ],
                }
            ],
        }
    ],
    "quizzes": [{"key": "final", "title": "Final quiz", "bank": "basics-bank", "questions_per_attempt": 1}],
    "question_banks": [
        {
            "key": "basics-bank",
            "name": "Basics bank",
            "questions": [{"text": "Ask or tell?", "choices": [{"text": "Ask", "correct": True}, {"text": "Tell"}]}],
        }
    ],
    "bulletins": [{"key": "news", "title": "News", "body": "<p>Hello</p>", "attachments": ["deck-link"]}],
    "programs": [{"key": "mdf", "title": "MDF", "related_assets": ["deck-link"]}],
    "assets": [
        {
            "key": "deck-link",
            "title": "Deck",
            "type": "link",
            "url": "https://example.com/deck",
            "products": ["sdwan"],
            "languages": ["en"],
            "audience": {"partner_types": ["reseller"], "roles": ["presales"]},
        }
    ],
    "languages": [{"key": "en", "name": "English"}],
    "products": [{"key": "sdwan", "name": "SD-WAN"}],
    "users": [{"key": "ann", "email": "ann@acme.test", "partner": "acme", "roles": ["presales"]}],
    "partners": [{"key": "acme", "name": "Acme", "tier": "gold", "type": "reseller", "region": "emea"}],
    "roles": [{"key": "presales", "name": "Presales"}],
    "regions": [{"key": "emea", "name": "EMEA"}],
    "partner_types": [{"key": "reseller", "name": "Reseller"}],
    "tiers": [{"key": "silver", "name": "Silver", "rank": 20}, {"key": "gold", "name": "Gold", "rank": 30}],
}


def run_import(tmp_path, manifest) -> str:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_registered_order_imports_a_full_manifest_then_finds_nothing_to_change(tmp_path):
    first = run_import(tmp_path, FULL_MANIFEST)
    for name, entries in FULL_MANIFEST.items():
        assert f"{name}: {len(entries)} created, 0 updated, 0 unchanged" in first
    course = Course.objects.get(key="basics")
    assert (course.final_quiz.key, course.min_tier.key, [r.key for r in course.regions.all()]) == (
        "final",
        "silver",
        ["emea"],
    )
    certification = Certification.objects.get(key="seller")
    assert [c.key for c in certification.required_courses.all()] == ["basics"]

    second = run_import(tmp_path, FULL_MANIFEST)
    for name, entries in FULL_MANIFEST.items():
        assert f"{name}: 0 created, 0 updated, {len(entries)} unchanged" in second
    # The summary lists the sections in the registered (derived) order.
    summary = [line.strip().split(":")[0] for line in second.splitlines()[1:]]
    assert summary == [section.name for section in registered_sections() if section.name in FULL_MANIFEST]
