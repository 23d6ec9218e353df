"""Learning packages in the import manifest: a ``package`` lesson block and a whole course from a package, ZIPs
beside the manifest, idempotent (same ZIP, same version; a new ZIP, a new version), bad ZIPs refused whole."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from courses.models import Course, Lesson
from courses.package_lessons import package_refs
from elearning.models import Package, PackageVersion
from elearning.samples import scorm12_sco_zip, scorm2004_multi_sco_zip, traversal_zip

pytestmark = pytest.mark.django_db


def run(folder, data) -> str:
    path = folder / "manifest.json"
    path.write_text(json.dumps(data))
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def put(folder, name: str, data: bytes) -> str:
    (folder / "packages").mkdir(exist_ok=True)
    (folder / "packages" / name).write_bytes(data)
    return f"packages/{name}"


def course(key: str, **fields) -> dict:
    return {"key": key, "title": key.replace("-", " ").title(), "state": "live", **fields}


def package_lesson_course(key: str, block: dict) -> dict:
    return course(key, modules=[{"title": "Module", "lessons": [{"title": "Play it", "body": [block]}]}])


@pytest.fixture
def folder(tmp_path, private_storage):
    manifest_dir = tmp_path / "manifest"
    manifest_dir.mkdir()
    return manifest_dir


def test_a_package_block_uploads_the_zip_once_and_a_new_zip_becomes_a_new_version(folder):
    zip_path = put(folder, "security.zip", scorm12_sco_zip())
    block = {"type": "package", "file": zip_path, "completion_rule": "passed", "counts_score": True}
    manifest = {"courses": [package_lesson_course("security", block)]}
    run(folder, manifest)
    package = Package.objects.get()
    assert package.key == "packages-security" and package.versions.count() == 1
    ref = package_refs(Lesson.objects.get())[0]
    assert (ref.package_id, ref.completion_rule, ref.counts_score, ref.unit) == (package.pk, "passed", True, "")

    out = run(folder, manifest)  # the same ZIP: nothing changes
    assert "courses: 0 created, 0 updated, 1 unchanged" in out
    assert PackageVersion.objects.count() == 1

    put(folder, "security.zip", scorm12_sco_zip(title="Security basics, revised"))
    run(folder, manifest)
    package.refresh_from_db()
    assert package.versions.count() == 2 and package.current_version.number == 2
    assert Package.objects.count() == 1 and package_refs(Lesson.objects.get())[0].package_id == package.pk


def test_a_package_key_names_the_package_and_a_stored_package_is_named_by_its_key(folder):
    zip_path = put(folder, "selling.zip", scorm2004_multi_sco_zip())
    first = {"type": "package", "file": zip_path, "package_key": "selling", "unit": "item-2"}
    second = {"type": "package", "package": "selling", "unit": "item-3", "completion_rule": "completed"}
    run(folder, {"courses": [package_lesson_course("one", first), package_lesson_course("two", second)]})
    package = Package.objects.get(key="selling")
    refs = [package_refs(Course.objects.get(key=key).modules.get().lessons.get())[0] for key in ("one", "two")]
    assert [(r.package_id, r.unit) for r in refs] == [(package.pk, "item-2"), (package.pk, "item-3")]


def test_a_whole_course_from_a_package(folder):
    zip_path = put(folder, "course.zip", scorm2004_multi_sco_zip())
    manifest = {"courses": [course("partner-selling", package=zip_path, package_key="partner-selling")]}
    run(folder, manifest)
    imported = Course.objects.get(key="partner-selling")
    assert imported.live
    lessons = list(imported.modules.get().lessons.order_by("sort_order"))
    assert [lesson.title for lesson in lessons] == ["Know your partner program", "Register a deal", "Ask for help"]
    assert [package_refs(lesson)[0].unit for lesson in lessons] == ["item-1", "item-2", "item-3"]
    ids = [lesson.pk for lesson in lessons]
    assert "courses: 0 created, 0 updated, 1 unchanged" in run(folder, manifest)
    assert list(Lesson.objects.order_by("pk").values_list("pk", flat=True)) == ids


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        (lambda f: put(f, "bad.zip", traversal_zip()), "modules.0.lessons.0.body.0.file: packages/bad.zip:"),
        (lambda f: "packages/missing.zip", "no such file: packages/missing.zip"),
        (lambda f: "../outside.zip", "must be a path inside the manifest's folder"),
        (lambda f: put(f, "ok.zip", scorm12_sco_zip()) and None, "give the package's file"),
    ],
)
def test_a_bad_package_is_named_with_its_path_and_nothing_is_imported(folder, setup, fragment):
    path = setup(folder)
    good = {"type": "package", "file": put(folder, "good.zip", scorm12_sco_zip(identifier="good"))}
    bad = {"type": "package", "file": path} if path else {"type": "package"}
    manifest = {"courses": [package_lesson_course("good", good), package_lesson_course("bad", bad)]}
    with pytest.raises(CommandError) as refused:
        run(folder, manifest)
    assert fragment in str(refused.value), str(refused.value)
    assert not Course.objects.exists() and not Package.objects.exists()


def test_an_unknown_unit_is_refused(folder):
    zip_path = put(folder, "selling.zip", scorm2004_multi_sco_zip())
    manifest = {"courses": [package_lesson_course("x", {"type": "package", "file": zip_path, "unit": "item-9"})]}
    with pytest.raises(CommandError) as refused:
        run(folder, manifest)
    assert "no unit 'item-9'; its units: item-1, item-2, item-3" in str(refused.value)
    assert not Package.objects.exists()
