"""Real learning packages as ZIP bytes, for the tests of every part (and browser tests), plus hostile ones.

Well-formed packages (the content is plain HTML/JS/CSS from ``content/``, no build, no inline
script or style, working inside an iframe served from the hub's origin):

- ``scorm12_sco_zip``: SCORM 1.2, one SCO with two questions, resume, Suspend and Finish;
- ``scorm2004_multi_sco_zip``: SCORM 2004 (4th or 3rd edition), 2-3 SCOs with choice/flow sequencing;
- ``cmi5_au_zip``: cmi5, one AU that fetches its token, reads LMS.LaunchData and sends its statements.

Hostile packages (``hostile``): traversal paths, ZIP bombs (honest and lying headers), a missing
manifest, a manifest pointing outside the package or at a missing file, executables.
"""

from .build import zip_bytes
from .cmi5 import cmi5_au_zip
from .hostile import (
    executable_zip,
    manifest_missing_file_zip,
    manifest_outside_zip,
    missing_manifest_zip,
    not_a_zip,
    traversal_zip,
    zip_bomb_zip,
)
from .scorm12 import scorm12_sco_zip
from .scorm2004 import scorm2004_multi_sco_zip

__all__ = [
    "cmi5_au_zip",
    "executable_zip",
    "manifest_missing_file_zip",
    "manifest_outside_zip",
    "missing_manifest_zip",
    "not_a_zip",
    "scorm12_sco_zip",
    "scorm2004_multi_sco_zip",
    "traversal_zip",
    "zip_bomb_zip",
    "zip_bytes",
]
