"""The vendored scorm-again is the pinned release, byte for byte: an upgrade is a deliberate change of its note."""

import hashlib
import re
from pathlib import Path

from elearning.views.player import SCORM_AGAIN_VERSION

VENDOR = Path(__file__).resolve().parents[2] / "elearning/static/elearning/vendor/scorm-again" / SCORM_AGAIN_VERSION


def pinned() -> dict[str, str]:
    note = (VENDOR / "README.md").read_text()
    return dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$", note, flags=re.MULTILINE))


def test_every_vendored_file_matches_the_sha256_pinned_in_its_note():
    table = pinned()
    assert set(table) == {
        "scorm12.min.js",
        "scorm2004.min.js",
        "scorm12.min.js.map",
        "scorm2004.min.js.map",
        "LICENSE",
    }
    for name, digest in table.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert {path.name for path in VENDOR.iterdir()} == {*table, "README.md"}


def test_the_note_names_the_release_its_tarball_and_licence():
    note = (VENDOR / "README.md").read_text()
    assert f"scorm-again@{SCORM_AGAIN_VERSION}" in note
    assert "f182724b4614c34a616a92d7e4d8967392013c5fae74116db98a5c5a11db5edb" in note  # the npm tarball
    assert (VENDOR / "LICENSE").read_text().startswith("MIT License")


def test_the_bundles_define_the_runtime_globals_the_player_uses():
    assert (VENDOR / "scorm12.min.js").read_text().startswith("this.Scorm12API=")
    assert (VENDOR / "scorm2004.min.js").read_text().startswith("this.Scorm2004API=")
