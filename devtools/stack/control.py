"""Stop and start one service of a running stack, on the same port with the same data (fault tests).

    from devtools.stack import control
    base = control.stack_dir()                       # from PARTNERHUB_STACK_DIR, which `up` exports
    control.stop_service(base, "postgres")           # a clean stop (PostgreSQL: fast shutdown)
    control.stop_service(base, "elasticsearch", kill=True)   # SIGKILL to its process group
    control.start_service(base, "postgres")          # same port, same data; returns once it is ready

The command line does the same: ``python -m devtools.stack stop|start|restart SERVICE [--kill] --dir DIR``.

What survives a stop: PostgreSQL keeps its data folder (a kill means crash recovery on start);
Elasticsearch keeps its node folder (indices, documents); Redis runs without persistence, so a clean
stop writes ``dump.rdb`` (``SHUTDOWN SAVE``) and the start loads it (then deletes it), while a kill
loses what it held (queued tasks, cache), like a crashed Redis without AOF; moto's S3 is in memory
and comes back with an empty bucket; ClamAV and Keycloak rebuild their state at start.

``state.json`` in the stack folder follows: a stopped service keeps its port and log with ``pid`` null.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from .processes import StackError, log, wait_until
from .services import START_TIMEOUT, STARTERS

STACK_DIR_VAR = "PARTNERHUB_STACK_DIR"
# The variable of each service's environment whose URL carries its port.
URL_VARS = {
    "postgres": "DATABASE_URL",
    "redis": "REDIS_URL",
    "elasticsearch": "ELASTICSEARCH_URL",
    "s3": "AWS_S3_ENDPOINT_URL",
    "clamav": "CLAMAV_URL",
    "keycloak": "KEYCLOAK_URL",
}
STOP_TIMEOUT = 30


def state_path(base: Path) -> Path:
    return base / "state.json"


def read_state(base: Path) -> dict:
    try:
        return json.loads(state_path(base).read_text())
    except (OSError, ValueError):
        return {"services": {}}


def write_state(base: Path, state: dict) -> None:
    tmp = state_path(base).with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(state_path(base))


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        # Reap it if it is our own child, or a zombie would look alive.
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie someone else has to reap is dead all the same
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process remains in the process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                return True
    return False


def stack_dir(environ: dict | None = None) -> Path:
    """The folder of the stack this process runs in (``PARTNERHUB_STACK_DIR``, exported by ``up``)."""
    value = (os.environ if environ is None else environ).get(STACK_DIR_VAR)
    if not value:
        raise StackError(f"{STACK_DIR_VAR} is not set: run inside `python -m devtools.stack run`")
    return Path(value)


def service_port(base: Path, name: str) -> int:
    state = read_state(base)
    info = state.get("services", {}).get(name)
    if info is None:
        raise StackError(f"{name} is not part of the stack in {base}")
    port = info.get("port") or urlsplit(state.get("env", {}).get(URL_VARS[name], "")).port
    if not port:
        raise StackError(f"no port recorded for {name} in {state_path(base)}")
    return port


def is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _postmaster_pid(base: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((base / "postgres" / "data" / "postmaster.pid").read_text().splitlines()[0])
    return None


def _clear_stale_locks(base: Path, port: int) -> None:
    # After a kill the postmaster may linger as a zombie until init reaps it; PostgreSQL would take
    # that for a running postmaster and refuse to start. A dead or zombie owner means a stale lock.
    postmaster = _postmaster_pid(base)
    if postmaster and not alive(postmaster):
        (base / "postgres" / "data" / "postmaster.pid").unlink(missing_ok=True)
        (base / "postgres" / f".s.PGSQL.{port}.lock").unlink(missing_ok=True)


def _clean_stop(base: Path, name: str, pid: int, port: int) -> None:
    if name == "postgres" and (postmaster := _postmaster_pid(base)):
        # SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for every client to leave); sent to the
        # postmaster itself, not to `runuser`, which would follow up with SIGKILL after 2 s.
        os.kill(postmaster, signal.SIGINT)
        return
    if name == "redis":
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"SHUTDOWN SAVE\r\n")  # writes dump.rdb although the stack runs it with --save ""
            sock.recv(64)
            return
    os.killpg(pid, signal.SIGTERM)


def stop_service(base: Path, name: str, *, kill: bool = False, timeout: float = STOP_TIMEOUT) -> None:
    """Stop one service and wait until its process is gone and its port is closed.

    ``kill=True`` sends SIGKILL to its whole process group (a crash); otherwise it stops cleanly.
    """
    base = Path(base)
    port = service_port(base, name)
    state = read_state(base)
    info = state["services"][name]
    pid = info.get("pid")
    if not alive(pid):
        raise StackError(f"{name} is not running in {base}")
    with contextlib.suppress(ProcessLookupError):
        if kill:
            os.killpg(pid, signal.SIGKILL)
        else:
            _clean_stop(base, name, pid, port)
    deadline = time.monotonic() + timeout
    while alive(pid) or group_alive(pid) or is_listening(port):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            log(f"{name} did not stop within {timeout:.0f}s; killed")
            deadline = time.monotonic() + 10
        time.sleep(0.1)
    info.update(pid=None, port=port, stopped=time.time())
    write_state(base, state)
    log(f"{name} {'killed' if kill else 'stopped'} (port {port} closed)")


def start_service(base: Path, name: str, *, timeout: float | None = None) -> dict[str, str]:
    """Start a stopped service again on its old port with its data; return once it is ready.

    Answers the service's environment, which is the one ``up`` exported (same port, same URL).
    """
    base = Path(base)
    port = service_port(base, name)
    state = read_state(base)
    info = state["services"][name]
    if alive(info.get("pid")):
        raise StackError(f"{name} is already running in {base} (pid {info['pid']})")
    if is_listening(port):
        raise StackError(f"port {port} of {name} is taken by another process")
    if name == "postgres":
        _clear_stale_locks(base, port)
    t0 = time.monotonic()
    process, ready, finish, logfile = STARTERS[name](base, port=port)
    info.update(pid=process.pid, port=port, stopped=None)
    write_state(base, state)
    wait_until(ready, timeout=timeout or START_TIMEOUT[name], what=name, process=process, logfile=logfile)
    env = finish()
    if name == "redis":  # loaded now: a later crash must lose what Redis held, not bring this snapshot back
        (base / "redis" / "dump.rdb").unlink(missing_ok=True)
    if urlsplit(env[URL_VARS[name]]).port != port:
        raise StackError(f"{name} came back on {env[URL_VARS[name]]}, not on port {port}")
    info["seconds"] = round(time.monotonic() - t0, 2)
    state["env"] = {**state.get("env", {}), **env}
    write_state(base, state)
    log(f"{name:<14} started again in {info['seconds']:5.1f}s (pid {process.pid}, port {port})")
    return env


def restart_service(base: Path, name: str, *, kill: bool = False) -> dict[str, str]:
    stop_service(base, name, kill=kill)
    return start_service(base, name)
