"""The vendored Chart.js is the pinned release, byte for byte: an upgrade is a deliberate change of its note."""

import hashlib
import re
from pathlib import Path

from analytics.admin.charting import CHART_JS, CHART_JS_VERSION

STATIC = Path(__file__).resolve().parents[2] / "analytics/static"
VENDOR = STATIC / "analytics/vendor/chart.js" / CHART_JS_VERSION


def pinned() -> dict[str, str]:
    note = (VENDOR / "VENDORED.md").read_text()
    return dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$", note, flags=re.MULTILINE))


def test_every_vendored_file_matches_the_sha256_pinned_in_its_note():
    table = pinned()
    assert set(table) == {"chart.umd.min.js", "chart.umd.min.js.map", "LICENSE.md"}
    for name, digest in table.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert {path.name for path in VENDOR.iterdir()} == {*table, "VENDORED.md"}


def test_the_bundle_is_the_version_its_note_and_the_pages_name():
    note = (VENDOR / "VENDORED.md").read_text()
    banner = (VENDOR / "chart.umd.min.js").read_text()[:200]
    assert re.search(r"Chart\.js v(\S+)", banner)[1] == CHART_JS_VERSION
    assert note.startswith(f"# Chart.js {CHART_JS_VERSION} (vendored)")
    assert f"npm pack chart.js@{CHART_JS_VERSION}" in note
    assert "9345dacdf4bb4c5d40321f4b9aafab6fe676d37a534fc0bc2d17c4c4e29c4f00" in note  # the npm tarball
    assert (STATIC / CHART_JS).is_file()
    assert (VENDOR / "LICENSE.md").read_text().startswith("The MIT License (MIT)")


def test_the_bundle_names_the_source_map_collectstatic_looks_for():
    # The manifest storage of production refuses a bundle whose source map is missing.
    assert (VENDOR / "chart.umd.min.js").read_text().rstrip().endswith("//# sourceMappingURL=chart.umd.min.js.map")
    assert (VENDOR / "chart.umd.min.js.map").is_file()
