"""Each standard's manifest is read into the structure contract of ``PackageVersion.structure``."""

import io
import zipfile

import pytest

from elearning import samples
from elearning.validation import package_check

from .conftest import upload

UNIT_KEYS = {
    "identifier",
    "title",
    "kind",
    "href",
    "parameters",
    "mastery_score",
    "completion_threshold",
    "time_limit_action",
    "data_from_lms",
    "move_on",
    "launch_method",
    "activity_id",
    "entitlement_key",
    "parent",
}
STRUCTURE_KEYS = {
    "standard",
    "title",
    "schema_version",
    "units",
    "organizations",
    "sequencing",
    "course_id",
    "warnings",
}


def structure(data: bytes) -> dict:
    return package_check(upload(data)).structure


def replaced(data: bytes, name: str, old: str, new: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {entry: source.read(entry) for entry in source.namelist()}
    assert old in files[name].decode(), old
    files[name] = files[name].decode().replace(old, new)
    return samples.zip_bytes(files)


def test_scorm12_one_sco():
    read = structure(samples.scorm12_sco_zip(title="Security basics", mastery_score=75))
    assert set(read) == STRUCTURE_KEYS
    assert read["standard"] == "scorm12"
    assert read["schema_version"] == "1.2"
    assert read["title"] == "Security basics"
    assert read["sequencing"] == {"choice": True, "flow": True}
    [unit] = read["units"]
    assert set(unit) == UNIT_KEYS
    assert unit["kind"] == "sco"
    assert unit["href"] == "index.html"
    assert unit["mastery_score"] == 75
    assert unit["parent"] == ["Security basics"]
    assert read["warnings"] == []


def test_scorm12_item_fields_and_parameters():
    data = replaced(
        samples.scorm12_sco_zip(),
        "imsmanifest.xml",
        '<item identifier="item-1" identifierref="res-sco" isvisible="true">',
        '<item identifier="item-1" identifierref="res-sco" isvisible="true" parameters="?lang=en">'
        "<adlcp:datafromlms>mode=exam</adlcp:datafromlms>"
        "<adlcp:timelimitaction>exit,message</adlcp:timelimitaction>",
    )
    [unit] = structure(data)["units"]
    assert unit["href"] == "index.html?lang=en"
    assert unit["parameters"] == "?lang=en"
    assert unit["data_from_lms"] == "mode=exam"
    assert unit["time_limit_action"] == "exit,message"


def test_scorm12_without_schemaversion_is_known_by_its_namespace():
    data = replaced(samples.scorm12_sco_zip(), "imsmanifest.xml", "<schemaversion>1.2</schemaversion>", "")
    assert structure(data)["schema_version"] == "1.2"


@pytest.mark.parametrize(("edition", "schema_version"), [("4th", "2004 4th Edition"), ("3rd", "2004 3rd Edition")])
def test_scorm2004_multi_sco_with_choice_and_flow(edition, schema_version):
    read = structure(samples.scorm2004_multi_sco_zip(scos=3, passing_score=0.7, edition=edition))
    assert read["standard"] == "scorm2004"
    assert read["schema_version"] == schema_version
    assert read["sequencing"] == {"choice": True, "flow": True}
    assert [unit["identifier"] for unit in read["units"]] == ["item-1", "item-2", "item-3"]
    # The second SCO's resource has xml:base="sco-2/" and href="index.html".
    assert [unit["href"] for unit in read["units"]] == ["sco-1/index.html", "sco-2/index.html", "sco-3/index.html"]
    assert {unit["mastery_score"] for unit in read["units"]} == {70.0}
    assert [unit["completion_threshold"] for unit in read["units"]] == [None, 1.0, None]
    [organization] = read["organizations"]
    assert [node["kind"] for node in organization["children"]] == ["sco", "sco", "sco"]


def test_scorm2004_mastery_only_when_satisfied_by_measure():
    data = replaced(
        samples.scorm2004_multi_sco_zip(scos=2),
        "imsmanifest.xml",
        'objectiveID="item-1-passed" satisfiedByMeasure="true"',
        'objectiveID="item-1-passed" satisfiedByMeasure="false"',
    )
    assert [unit["mastery_score"] for unit in structure(data)["units"]] == [None, 80.0]


def test_scorm2004_sequencing_defaults_and_warnings():
    data = replaced(
        samples.scorm2004_multi_sco_zip(scos=2),
        "imsmanifest.xml",
        '<imsss:controlMode choice="true" flow="true"/>',
        '<imsss:controlMode flow="true" forwardOnly="true"/><imsss:rollupRules/>',
    )
    read = structure(data)
    assert read["sequencing"] == {"choice": True, "flow": True}
    assert any("forward-only" in warning for warning in read["warnings"])
    assert any("rollupRules" in warning for warning in read["warnings"])
    without = replaced(
        samples.scorm2004_multi_sco_zip(scos=2),
        "imsmanifest.xml",
        '<imsss:controlMode choice="true" flow="true"/>',
        "",
    )
    assert structure(without)["sequencing"] == {"choice": True, "flow": False}


def test_scorm2004_asset_items_are_shown_but_not_launchable():
    data = replaced(
        samples.scorm2004_multi_sco_zip(scos=2),
        "imsmanifest.xml",
        '<resource identifier="res-sco-1" type="webcontent" adlcp:scormType="sco"',
        '<resource identifier="res-sco-1" type="webcontent" adlcp:scormType="asset"',
    )
    read = structure(data)
    assert [unit["identifier"] for unit in read["units"]] == ["item-2"]
    assert [node["kind"] for node in read["organizations"][0]["children"]] == ["asset", "sco"]


def test_cmi5_au_in_a_block():
    read = structure(
        samples.cmi5_au_zip(
            title="cmi5 essentials",
            au_id="https://example.com/au/1",
            course_id="https://example.com/course",
            mastery_score=0.75,
            launch_parameters="level=2",
            block_title="Basics",
        )
    )
    assert read["standard"] == "cmi5"
    assert read["schema_version"] == "cmi5"
    assert read["course_id"] == "https://example.com/course"
    [unit] = read["units"]
    assert set(unit) == UNIT_KEYS
    assert unit["kind"] == "au"
    assert unit["href"] == "au/index.html"
    assert unit["activity_id"] == unit["identifier"] == "https://example.com/au/1"
    assert unit["mastery_score"] == 75.0
    assert unit["move_on"] == "CompletedAndPassed"
    assert unit["launch_method"] == "AnyWindow"
    assert unit["parameters"] == "level=2"
    assert unit["parent"] == ["cmi5 essentials", "Basics"]
    [course] = read["organizations"]
    assert course["children"][0]["kind"] == "block"
    assert course["children"][0]["children"][0]["kind"] == "au"


def test_cmi5_without_mastery_score():
    [unit] = structure(samples.cmi5_au_zip(mastery_score=None, move_on="Completed"))["units"]
    assert unit["mastery_score"] is None
    assert unit["move_on"] == "Completed"


def test_mac_zip_litter_is_left_out():
    source = zipfile.ZipFile(io.BytesIO(samples.scorm12_sco_zip()))
    files = {name: source.read(name) for name in source.namelist()}
    files["__MACOSX/._index.html"] = b"\x00\x05\x16\x07"
    files[".DS_Store"] = b"\x00\x00\x00\x01Bud1"
    checked = package_check(upload(samples.zip_bytes(files)))
    assert checked.file_count == 4
