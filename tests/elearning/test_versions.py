"""Versions of a package: stored privately, numbered, made current (with the signal), deleted when unused;
the runtime's file reads never leave the package."""

from django.contrib.auth import get_user_model

import pytest

from core.signals import package_version_published
from elearning import samples
from elearning.factories import PackageFactory, add_version
from elearning.models import Package, PackageVersion
from elearning.selectors import PackageFileNotFound, package_file, package_versions, packages_for_admin
from elearning.services import (
    PackageVersionInUse,
    package_upload,
    package_version_delete,
    package_version_make_current,
)

from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_user(username="editor", email="editor@example.com", password="x")


@pytest.fixture
def published():
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    package_version_published.connect(receiver, dispatch_uid="test-published")
    yield heard
    package_version_published.disconnect(dispatch_uid="test-published")


def test_upload_stores_the_archive_and_the_extracted_files_privately(editor, private_dir, published):
    data = samples.scorm12_sco_zip(title="Security basics")
    package = package_upload(file=upload(data), key="security-basics", user=editor)
    version = package.current_version
    assert (package.title, package.key, package.standard, package.created_by) == (
        "Security basics",
        "security-basics",
        "scorm12",
        editor,
    )
    assert (version.number, version.file_count, version.size_bytes, version.uploaded_by) == (1, 4, len(data), editor)
    assert len(version.sha256) == 64
    assert version.schema_version == "1.2"
    assert version.content_prefix.startswith(f"elearning/{package.pk}/1-")
    files = stored_files(private_dir)
    assert version.archive.name in files
    assert {name[len(version.content_prefix) :] for name in files if name.startswith(version.content_prefix)} == {
        "imsmanifest.xml",
        "index.html",
        "sco.js",
        "style.css",
    }
    assert published == [
        {"signal": package_version_published, "package": package, "version": version, "move_learners": False}
    ]


def test_the_title_comes_from_the_manifest_unless_given(editor):
    assert package_upload(file=upload(samples.cmi5_au_zip(title="From cmi5")), user=editor).title == "From cmi5"
    assert package_upload(file=upload(samples.cmi5_au_zip()), title="Mine", user=editor).title == "Mine"


def test_new_versions_are_numbered_and_become_current(editor, published):
    package = PackageFactory(standard="scorm2004", uploaded_by=editor)
    second = add_version(package, user=editor, notes="Fixed a typo", scos=2)
    package.refresh_from_db()
    assert second.number == 2
    assert package.current_version == second
    assert second.structure["units"][1]["identifier"] == "item-2"
    third = add_version(package, make_current=False)
    package.refresh_from_db()
    assert (third.number, package.current_version) == (3, second)
    assert [version.number for version in package_versions(package=package)] == [3, 2, 1]
    assert published[-1]["version"] == second


def test_make_current_sends_the_signal_with_move_learners(editor, published):
    package = PackageFactory(uploaded_by=editor)
    first = package.current_version
    add_version(package)
    package.refresh_from_db()
    package_version_make_current(package=package, version=first, move_learners=True)
    package.refresh_from_db()
    assert package.current_version == first
    assert published[-1] == {
        "signal": package_version_published,
        "package": package,
        "version": first,
        "move_learners": True,
    }


def test_make_current_refuses_a_version_of_another_package(editor):
    one, other = PackageFactory(), PackageFactory()
    with pytest.raises(Exception, match="another package"):
        package_version_make_current(package=one, version=other.current_version, move_learners=False)


def test_deleting_an_unused_version_removes_its_files(editor, private_dir, django_capture_on_commit_callbacks):
    package = PackageFactory()
    first = package.current_version
    add_version(package)
    package.refresh_from_db()
    assert any(name.startswith(first.content_prefix) for name in stored_files(private_dir))
    with django_capture_on_commit_callbacks(execute=True):
        package_version_delete(version=first)
    assert not PackageVersion.objects.filter(pk=first.pk).exists()
    files = stored_files(private_dir)
    assert not any(name.startswith(first.content_prefix) or name == first.archive.name for name in files)
    assert any(name.startswith(package.current_version.content_prefix) for name in files)


def test_the_current_version_cannot_be_deleted():
    package = PackageFactory()
    with pytest.raises(PackageVersionInUse, match="current one"):
        package_version_delete(version=package.current_version)


def test_deleting_a_package_removes_all_its_files(private_dir, django_capture_on_commit_callbacks):
    package = PackageFactory()
    add_version(package)
    with django_capture_on_commit_callbacks(execute=True):
        Package.objects.get(pk=package.pk).delete()
    assert stored_files(private_dir) == []


def test_package_file_reads_a_file_with_its_content_type():
    version = PackageFactory(standard="scorm2004").current_version
    file, content_type = package_file(version=version, path="shared/sco2004.js")
    with file:
        assert b"API_1484_11" in file.read()
    assert content_type == "text/javascript"
    assert package_file(version=version, path="sco-1/index.html")[1] == "text/html"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "../imsmanifest.xml",
        "/etc/passwd",
        "sco-1/../../x",
        "sco-1",
        "sco-1/",
        "..\\x",
        "./index.html",
        "nope.html",
    ],
)
def test_package_file_refuses_anything_outside_or_missing(path):
    version = PackageFactory(standard="scorm2004").current_version
    with pytest.raises(PackageFileNotFound):
        package_file(version=version, path=path)


def test_package_file_does_not_reach_another_version():
    package = PackageFactory()
    first = package.current_version
    second = add_version(package)
    relative = "../" + second.content_prefix.rsplit("/", 2)[-2] + "/index.html"
    with pytest.raises(PackageFileNotFound):
        package_file(version=first, path=relative)


def test_admin_listing_selector_counts_versions(django_assert_num_queries):
    package = PackageFactory()
    add_version(package)
    PackageFactory()
    with django_assert_num_queries(1):
        rows = list(packages_for_admin().order_by("pk"))
        assert [row.version_count for row in rows] == [2, 1]
        assert rows[0].current_version.number == 2
