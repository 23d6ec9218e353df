"""The processes a load run starts (gunicorn masters, Celery workers, beat, Locust), each in its own process group,
stopped together whatever happens (a failure, Ctrl-C, SIGTERM); and the CPU time they and the stack used."""

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

import psutil

PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """In the child, before it runs: SIGTERM when the run that started it dies, however it dies (Linux's
    PR_SET_PDEATHSIG). ``devtools.stack run`` kills the run a quarter second after Ctrl-C; then the gunicorn
    masters, the Celery worker, beat and Locust still stop, each as on its own SIGTERM."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Started:
    """Every process started, by name; ``stop_all`` ends them (TERM, then KILL after ``grace`` seconds)."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_end_with_parent
        )
        self.processes[name] = process
        return process

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{tail}")

    def stop_all(self, grace: float = 20.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"load: {name} did not stop in {grace:.0f}s; killed", flush=True)
            # The group too: a worker a master left behind is still ours.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        self.processes.clear()


def wait_for_http(url: str, *, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Until ``url`` answers anything over HTTP (any status: the process serves). Its redirect is not followed:
    production settings send plain HTTP to https, which only the proxy in front speaks."""
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode}) before it served")
        connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", parts.path or "/", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
        finally:
            connection.close()
    raise RuntimeError(f"{url} did not answer in {timeout:.0f}s")


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU seconds used so far by each named process and its descendants (those that ended too: a
    gunicorn worker replaced after ``max_requests`` is in its master's children times)."""
    used = {}
    for name, pid in pids.items():
        total = 0.0
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    total += times.user + times.system + times.children_user + times.children_system
        used[name] = total
    return used
