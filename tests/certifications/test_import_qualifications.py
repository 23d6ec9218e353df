"""``requires_certification`` in the import manifest: gated content names a certification by its key."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certification
from cms.models import Asset, Program
from courses.factories import course_with
from courses.models import Course

pytestmark = pytest.mark.django_db


def run_import(tmp_path, manifest) -> str:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    (tmp_path / "deck.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def asset(**extra) -> dict:
    return {"key": "deck", "title": "SD-WAN deck", "type": "document", "file": "deck.pdf", "state": "live", **extra}


def test_content_requires_a_certification_of_the_same_manifest(tmp_path):
    course_with(key="basics")
    manifest = {
        "assets": [
            asset(requires_certification="sdwan-pro", certification_held_by="partner", certification_holders=2)
        ],
        "programs": [{"key": "mdf", "title": "MDF", "requires_certification": "sdwan-pro", "state": "live"}],
        "certifications": [
            {"key": "sdwan-pro", "title": "SD-WAN Pro", "required_courses": ["basics"], "state": "live"}
        ],
    }
    run_import(tmp_path, manifest)
    certification = Certification.objects.get(key="sdwan-pro")
    deck = Asset.objects.get(key="deck")
    assert deck.required_qualification == certification.qualification
    assert certification.qualification.name == "SD-WAN Pro"
    assert (deck.required_qualification_mode, deck.required_holders) == ("partner", 2)
    assert Program.objects.get(key="mdf").required_qualification == certification.qualification
    again = run_import(tmp_path, manifest)  # idempotent
    assert "assets: 0 created, 0 updated, 1 unchanged" in again


def test_a_course_requires_a_stored_certification(tmp_path):
    CertificationFactory(key="sase", title="SASE Expert")
    course = {"key": "advanced", "title": "Advanced SASE", "requires_certification": "sase", "state": "live"}
    course["modules"] = [
        {"title": "One", "lessons": [{"title": "Intro", "body": [{"type": "text", "html": "<p>Hi</p>"}]}]}
    ]
    run_import(tmp_path, {"courses": [course]})
    assert Course.objects.get(key="advanced").required_qualification.certification.key == "sase"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"requires_certification": "golden"},
            "assets[0] (key 'deck'): requires_certification: unknown certification 'golden'",
        ),
        (
            {"requires_certification": "sase", "certification_holders": 3},
            "certification_holders counts a partner's holders",
        ),
        ({"certification_held_by": "partner"}, "need requires_certification"),
        ({"requires_certification": "sase", "certification_held_by": "team"}, "certification_held_by"),
        (
            {"requires_certification": "sase", "certification_held_by": "partner", "certification_holders": 0},
            "certification_holders",
        ),
    ],
)
def test_bad_requirements_are_refused_and_nothing_is_written(tmp_path, extra, message):
    CertificationFactory(key="sase")
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, {"assets": [asset(**extra)]})
    assert message in str(error.value)
    assert not Asset.objects.exists()
