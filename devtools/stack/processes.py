"""What every service of the stack shares: the project root, errors, logging, ports, processes, waiting."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class StackError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[stack] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        with socket.socket(family) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                return False
    return True


def is_root() -> bool:
    return os.geteuid() == 0


def apt_install(*packages: str) -> None:
    if not is_root():
        raise StackError(
            f"{', '.join(packages)} missing and not root: install with `sudo apt-get install {' '.join(packages)}`"
        )
    log(f"installing Debian packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run(["apt-get", "install", "-y", "-q", *packages], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        update = subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, text=True)
        result = subprocess.run(["apt-get", "install", "-y", "-q", *packages], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise StackError(
                f"apt-get install {' '.join(packages)} failed:\n{update.stderr[-800:]}{result.stderr[-2000:]}"
            )


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until(check, *, timeout: float, what: str, process: subprocess.Popen | None, logfile: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StackError(f"{what} exited with code {process.returncode} while starting. Its log:\n{tail(logfile)}")
        try:
            if check():
                return
        except Exception:  # noqa: S110 - any failure means "not ready yet"
            pass
        time.sleep(0.25)
    raise StackError(f"{what} did not become ready within {timeout:.0f}s. Its log:\n{tail(logfile)}")


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


@dataclass
class Started:
    name: str
    pid: int
    env: dict[str, str]
    seconds: float
    extra: dict = field(default_factory=dict)


def spawn(cmd: list[str], *, logfile: Path, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    handle = logfile.open("ab")
    return subprocess.Popen(
        cmd,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        start_new_session=True,  # its own process group: `down` stops it and its children
    )
