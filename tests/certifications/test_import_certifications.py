"""The manifest's ``certifications`` section: requirements, renewal path, tier requirements; all or nothing."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from certifications.models import Certification, TierRequirement
from courses.factories import QuizFactory, course_with
from partners.factories import TierFactory

pytestmark = pytest.mark.django_db


def run_import(tmp_path, manifest) -> str:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def manifest():
    TierFactory(key="gold", rank=30)
    TierFactory(key="platinum", rank=40)
    course_with(key="basics")
    course_with(key="refresher")
    QuizFactory(key="exam")
    return {
        "certifications": [
            {
                "key": "seller",
                "title": "Certified seller",
                "required_courses": ["basics"],
                "exam": "exam",
                "validity_months": 12,
                "renewal_window_days": 45,
                "renewal_courses": ["refresher"],
                "tier_requirements": {"gold": 2, "platinum": 3},
                "state": "live",
            }
        ]
    }


def requirements() -> dict:
    return dict(TierRequirement.objects.values_list("tier__key", "minimum_holders"))


def test_a_certification_is_imported_live_with_its_tier_requirements(tmp_path, manifest):
    assert "certifications: 1 created, 0 updated, 0 unchanged" in run_import(tmp_path, manifest)
    certification = Certification.objects.get(key="seller")
    assert certification.is_live_for_partners()
    assert [c.key for c in certification.required_courses.all()] == ["basics"]
    assert [c.key for c in certification.renewal_courses.all()] == ["refresher"]
    assert (certification.exam.key, certification.validity_months, certification.renewal_window_days) == (
        "exam",
        12,
        45,
    )
    assert requirements() == {"gold": 2, "platinum": 3}
    assert "certifications: 0 created, 0 updated, 1 unchanged" in run_import(tmp_path, manifest)


def test_the_entry_is_the_truth_about_which_tiers_require_it(tmp_path, manifest):
    run_import(tmp_path, manifest)
    manifest["certifications"][0]["tier_requirements"] = {"gold": 1}
    assert "certifications: 0 created, 1 updated, 0 unchanged" in run_import(tmp_path, manifest)
    assert requirements() == {"gold": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"required_courses": ["nope"]}, "certifications[0] (key 'seller'): required_courses: unknown course 'nope'"),
        ({"exam": "nope"}, "certifications[0] (key 'seller'): exam: unknown quiz 'nope'"),
        ({"tier_requirements": {"bronze": 1}}, "tier_requirements: unknown tier 'bronze'"),
        ({"tier_requirements": {"gold": 0}}, "tier_requirements counts must be at least 1"),
        ({"required_courses": [], "exam": None}, "needs required_courses, an exam, or both"),
    ],
)
def test_bad_entries_write_nothing_and_say_why(tmp_path, manifest, change, message):
    manifest["certifications"][0].update(change)
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, manifest)
    assert message in str(error.value)
    assert not Certification.objects.exists() and not TierRequirement.objects.exists()


def test_a_certification_renewed_by_retake_is_imported_and_checked(tmp_path, manifest):
    entry = manifest["certifications"][0]
    entry.update(renewal_requires="retake_all", renewal_courses=[])
    run_import(tmp_path, manifest)
    assert Certification.objects.get(key="seller").renewal_requires == "retake_all"
    Certification.objects.all().delete()
    entry.update(renewal_requires="retake_exam", exam=None)
    with pytest.raises(CommandError, match="Renewal by passing the exam again needs an exam"):
        run_import(tmp_path, manifest)
    entry.update(renewal_requires="retake_courses", renewal_courses=["refresher"])
    with pytest.raises(CommandError, match="Renewal courses count only when"):
        run_import(tmp_path, manifest)
    assert not Certification.objects.exists()
