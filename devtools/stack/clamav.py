"""ClamAV's daemon (clamd) on a loopback port, with a signature database the stack builds (DESIGN §7).

The database holds one signature: the MD5 of the EICAR test file, made with ``sigtool --md5`` from the
file (built here from two halves, so that the repository carries no copy of it). clamd then answers
``stream: eicar.com.UNOFFICIAL FOUND`` for it and ``stream: OK`` for everything else. Its stream and
scan limits admit the largest asset (``ASSET_MAX_UPLOAD_BYTES``, 200 MB).
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from .processes import StackError, free_port, spawn

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
LIMIT = "210M"  # above ASSET_MAX_UPLOAD_BYTES (200 MB)


def build_database(home: Path, sigtool: str) -> Path:
    database = home / "db"
    database.mkdir(parents=True, exist_ok=True)
    sample = home / "eicar.com"
    sample.write_bytes(EICAR)
    made = subprocess.run([sigtool, "--md5", sample.name], cwd=home, capture_output=True, text=True, timeout=60)
    if made.returncode != 0 or not made.stdout.strip():
        raise StackError(f"sigtool --md5 failed:\n{made.stderr[-1000:]}")
    (database / "eicar.hdb").write_text(made.stdout)
    sample.unlink()
    return database


def start_clamav(base: Path, port: int | None = None):
    from devtools.clamav import ensure_clamav  # installs clamav-daemon as root when missing

    binaries = ensure_clamav()
    home = base / "clamav"
    home.mkdir(parents=True, exist_ok=True)
    (home / "tmp").mkdir(exist_ok=True)
    database = build_database(home, binaries["sigtool"])
    port = port or free_port()
    config = home / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {database}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                "Foreground yes",
                f"TemporaryDirectory {home / 'tmp'}",
                f"StreamMaxLength {LIMIT}",
                f"MaxFileSize {LIMIT}",
                "MaxScanSize 400M",
                "",
            ]
        )
    )
    logfile = home / "clamd.log"
    process = spawn([binaries["clamd"], "-c", str(config)], logfile=logfile)

    def ready():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")

    def finish():
        return {"CLAMAV_URL": f"tcp://127.0.0.1:{port}"}

    return process, ready, finish, logfile
