"""The browser the integration tests drive: Debian's ``chromium``, installed when missing.

    python -m devtools.browser      (``make browser``; ``make integration`` runs it first)

Playwright's own browser download is not reachable here, so the tests launch Debian's chromium
with ``executable_path`` (tests/integration/conftest.py). Running as root, this installs the
package with apt-get when it is missing (as ``devtools.stack`` does for PostgreSQL); otherwise it
fails with the command to run. ``CHROMIUM_PATH`` points at another chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from devtools.stack.processes import StackError, apt_install, log


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def ensure_chromium() -> str:
    path = chromium_path()
    if path is None:
        apt_install("chromium")  # a StackError with `sudo apt-get install chromium` when not root
        path = chromium_path()
    if path is None:
        raise StackError("chromium not found on PATH after installing the chromium package")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    if version.returncode != 0:
        raise StackError(f"{path} --version failed:\n{version.stderr[-1000:]}")
    log(f"browser: {version.stdout.strip()} ({path})")
    return path


def main() -> int:
    try:
        ensure_chromium()
    except StackError as exc:
        log(f"ERROR: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
