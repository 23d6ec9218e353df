"""Hostile and broken packages are refused with a clear message, and nothing is stored: no row, no file."""

from django.contrib.auth import get_user_model

import pytest

from elearning import samples
from elearning.models import Package, PackageVersion
from elearning.services import package_upload, package_version_add
from elearning.validation import PackageRejected

from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_user(username="editor", email="editor@example.com", password="x")


def refused(data: bytes, user, private_dir) -> str:
    with pytest.raises(PackageRejected) as caught:
        package_upload(file=upload(data), user=user)
    assert Package.objects.count() == 0
    assert PackageVersion.objects.count() == 0
    assert stored_files(private_dir) == []
    return caught.value.message


SCORM12_NS = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
)


def manifest_zip_text(body: str, *, schemaversion: str | None = "1.2") -> str:
    metadata = f"<metadata><schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion></metadata>"
    metadata = metadata if schemaversion else ""
    return f'<?xml version="1.0"?><manifest identifier="m" {SCORM12_NS}>{metadata}{body}</manifest>'


def manifest_zip(body: str, *, schemaversion: str | None = "1.2", files=None) -> bytes:
    manifest = manifest_zip_text(body, schemaversion=schemaversion)
    return samples.zip_bytes({"imsmanifest.xml": manifest, **(files or {"index.html": "<html></html>"})})


ONE_SCO = """<organizations default="o"><organization identifier="o"><title>T</title>
<item identifier="i" identifierref="r"><title>Page</title></item></organization></organizations>
<resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html">
<file href="index.html"/></resource></resources>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (samples.not_a_zip(), "not a ZIP"),
        (samples.missing_manifest_zip(), "no imsmanifest.xml (SCORM) or cmi5.xml"),
        (samples.manifest_outside_zip(), "points outside the package"),
        (samples.manifest_missing_file_zip(), "launches missing.html, which is not in the package"),
        (samples.traversal_zip("dotdot"), "entry that points outside it ('../../evil.html')"),
        (samples.traversal_zip("absolute"), "entry that points outside it ('/var/www/evil.html')"),
        (samples.traversal_zip("backslash"), "entry that points outside it"),
        (samples.traversal_zip("drive"), "entry that points outside it ('C:/Windows/evil.html')"),
        (samples.traversal_zip("symlink"), "symbolic link (link.html)"),
        (samples.zip_bomb_zip(), "looks like a ZIP bomb: padding.txt expands"),
        (samples.executable_zip("extension"), "program or server file (setup.exe)"),
        (samples.executable_zip("elf"), "elf content disguised as helper.js"),
        (samples.executable_zip("pe"), "exe content disguised as logo.png"),
    ],
    ids=[
        "not-a-zip",
        "missing-manifest",
        "manifest-outside",
        "manifest-missing-file",
        "traversal-dotdot",
        "traversal-absolute",
        "traversal-backslash",
        "traversal-drive",
        "symlink",
        "zip-bomb",
        "exe",
        "elf-disguised",
        "pe-disguised",
    ],
)
def test_hostile_packages_are_refused_and_nothing_is_stored(data, message, editor, private_dir):
    assert message in refused(data, editor, private_dir)


def test_a_bomb_that_lies_about_its_size_is_caught_while_extracting_and_its_files_removed(editor, private_dir):
    # The declared size passes every check up front: the files before it are written, then it fails.
    message = refused(samples.zip_bomb_zip(lying_header=True), editor, private_dir)
    assert "padding.txt" in message
    assert "damaged" in message or "lies about the size" in message


def test_the_real_bytes_count_against_the_uncompressed_limit(editor, private_dir, settings):
    settings.PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES = 3000
    assert "larger than" in refused(samples.scorm12_sco_zip(), editor, private_dir)


def test_limits_on_the_zip_size_and_the_entry_count(editor, private_dir, settings):
    settings.PARTNERHUB_PACKAGE_MAX_BYTES = 1000
    assert "the limit is 0.0 MB" in refused(samples.scorm12_sco_zip(), editor, private_dir)
    settings.PARTNERHUB_PACKAGE_MAX_BYTES = 10_000_000
    settings.PARTNERHUB_PACKAGE_MAX_FILES = 3
    assert "4 entries; the limit is 3" in refused(samples.scorm12_sco_zip(), editor, private_dir)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (samples.zip_bytes({"imsmanifest.xml": "<manifest><unclosed>", "index.html": "x"}), "not well-formed XML"),
        (
            samples.zip_bytes(
                {
                    "imsmanifest.xml": '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>',
                    "index.html": "x",
                }
            ),
            "XML features the hub refuses",
        ),
        (manifest_zip(ONE_SCO, schemaversion="1.1"), "unknown schema version ('1.1')"),
        (manifest_zip(ONE_SCO.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="asset"')), "no launchable SCO"),
        (manifest_zip(ONE_SCO.replace('href="index.html">', 'href="https://evil.example/">')), "must be relative"),
        (manifest_zip(ONE_SCO.replace('identifierref="r"', 'identifierref="nope"')), "missing resource (nope)"),
        (manifest_zip(ONE_SCO.replace('<file href="index.html"/>', '<file href="../../x"/>')), "lists a file outside"),
        (manifest_zip(ONE_SCO, files={"index.html": "x", "run.php": "<?php ?>"}), "program or server file (run.php)"),
        (manifest_zip(ONE_SCO, files={"index.html": "x", ".htaccess": "Allow"}), "program or server file (.htaccess)"),
        (manifest_zip(ONE_SCO, files={"index.html": "x", "notes.docx": "x"}), "file type that is not allowed"),
        (
            samples.zip_bytes({"imsmanifest.xml": "<manifest/>", "cmi5.xml": "<courseStructure/>"}),
            "both imsmanifest.xml and cmi5.xml",
        ),
    ],
    ids=[
        "broken-xml",
        "xml-bomb",
        "unknown-schema",
        "no-sco",
        "absolute-launch",
        "missing-resource",
        "file-outside",
        "php",
        "htaccess",
        "docx",
        "two-manifests",
    ],
)
def test_broken_manifests_are_refused(data, message, editor, private_dir):
    assert message in refused(data, editor, private_dir)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda xml: xml.replace("<url>au/index.html</url>", "<url>https://cdn.example/au.html</url>"), "hosted"),
        (lambda xml: xml.replace('moveOn="CompletedAndPassed"', 'moveOn="Whenever"'), "unknown moveOn"),
        (lambda xml: xml.replace('masteryScore="0.8"', 'masteryScore="80"'), "masteryScore outside 0 to 1"),
        (lambda xml: xml.replace('<au id="https://', '<au id="au-'), "must be an IRI"),
    ],
    ids=["external-au", "move-on", "mastery", "au-id"],
)
def test_broken_cmi5_course_structures_are_refused(change, message, editor, private_dir):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(samples.cmi5_au_zip()))
    files = {name: source.read(name) for name in source.namelist()}
    files["cmi5.xml"] = change(files["cmi5.xml"].decode())
    assert message in refused(samples.zip_bytes(files), editor, private_dir)


def test_sequencing_that_allows_neither_choice_nor_flow_is_refused(editor, private_dir):
    data = samples.scorm2004_multi_sco_zip()
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    files = {name: source.read(name) for name in source.namelist()}
    files["imsmanifest.xml"] = (
        files["imsmanifest.xml"].decode().replace('choice="true" flow="true"', 'choice="false" flow="false"')
    )
    assert "neither choice nor flow" in refused(samples.zip_bytes(files), editor, private_dir)


def test_a_new_version_of_another_standard_is_refused(editor, private_dir):
    package = package_upload(file=upload(samples.scorm12_sco_zip()), user=editor)
    before = stored_files(private_dir)
    with pytest.raises(PackageRejected, match=r"This package is SCORM 1\.2; the upload is cmi5"):
        package_version_add(package=package, file=upload(samples.cmi5_au_zip()), user=editor)
    assert package.versions.count() == 1
    assert stored_files(private_dir) == before


def test_a_duplicate_key_is_refused_before_anything_is_stored(editor, private_dir):
    package_upload(file=upload(samples.scorm12_sco_zip()), key="sales", user=editor)
    before = stored_files(private_dir)
    with pytest.raises(Exception, match="key"):
        package_upload(file=upload(samples.scorm12_sco_zip()), key="sales", user=editor)
    assert Package.objects.count() == 1
    assert stored_files(private_dir) == before


def test_a_file_the_storage_cannot_hold_is_refused_and_the_files_before_it_removed(editor, private_dir):
    long_name = "a" * 300 + ".html"  # longer than a file name may be on the disk
    data = samples.zip_bytes({"imsmanifest.xml": manifest_zip_text(ONE_SCO), "index.html": "x", long_name: "x"})
    assert "could not store" in refused(data, editor, private_dir)
