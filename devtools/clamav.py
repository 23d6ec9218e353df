"""ClamAV's daemon for the virus-scanning tests: Debian's ``clamav-daemon``, installed when missing.

    python -m devtools.clamav      (``make clamav``; ``make integration`` runs it first)

Running as root, this installs the package with apt-get when ``clamd`` or ``sigtool`` is missing (as
``devtools.browser`` does for chromium); otherwise it fails with the command to run. The stack
(``devtools.stack``, service ``clamav``) starts the daemon with a signature database it builds itself:
freshclam's downloads are not needed (nor reachable here).
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from devtools.stack.processes import StackError, apt_install, log

BINARIES = ("clamd", "sigtool")


def clamav_binaries() -> dict[str, str] | None:
    found = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin") for name in BINARIES}
    return found if all(found.values()) else None


def ensure_clamav() -> dict[str, str]:
    binaries = clamav_binaries()
    if binaries is None:
        apt_install("clamav-daemon")  # a StackError with `sudo apt-get install clamav-daemon` when not root
        binaries = clamav_binaries()
    if binaries is None:
        raise StackError("clamd or sigtool not found after installing the clamav-daemon package")
    version = subprocess.run([binaries["clamd"], "--version"], capture_output=True, text=True, timeout=60)
    if version.returncode != 0:
        raise StackError(f"{binaries['clamd']} --version failed:\n{version.stderr[-1000:]}")
    log(f"clamav: {version.stdout.strip()} ({binaries['clamd']})")
    return binaries


def main() -> int:
    try:
        ensure_clamav()
    except StackError as exc:
        log(f"ERROR: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
