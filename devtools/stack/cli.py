"""The commands of ``python -m devtools.stack``: up, down, status, run, stop/start/restart SERVICE.

Their state lives in ``DIR/state.json`` (``control`` reads and writes it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from devtools import stack

from .control import STACK_DIR_VAR, URL_VARS, read_state, restart_service, start_service, state_path, stop_service
from .control import alive as _alive
from .control import write_state as _write_state
from .processes import ROOT, StackError, log, wait_until
from .services import SERVICES, START_ORDER, START_TIMEOUT, STARTERS

DEFAULT_DIR = ROOT / ".stack" / "dev"


def write_env(base: Path, env: dict[str, str]) -> Path:
    path = base / "env"
    path.write_text("".join(f"export {k}={v}\n" for k, v in sorted(env.items())))
    return path


def up(base: Path, only: list[str]) -> dict[str, str]:
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    state = read_state(base)
    if any(_alive(info["pid"]) for info in state["services"].values()):
        raise StackError(f"a stack is already running in {base}; run `down` first")
    state = {"services": {}}
    started = {}
    try:
        # Start everything first, the slowest first, then wait: the services boot in parallel.
        for name in sorted(only, key=START_ORDER.index):
            t0 = time.monotonic()
            process, ready, finish, logfile = STARTERS[name](base)
            started[name] = (process, ready, finish, logfile, t0)
            state["services"][name] = {"pid": process.pid, "log": str(logfile)}
            _write_state(base, state)
        env = {STACK_DIR_VAR: str(base)}  # fault tests find the stack to stop a service of it
        for name in sorted(only, key=SERVICES.index):  # the slowest last
            process, ready, finish, logfile, t0 = started[name]
            wait_until(ready, timeout=START_TIMEOUT[name], what=name, process=process, logfile=logfile)
            env.update(finish())
            state["services"][name]["port"] = urlsplit(env[URL_VARS[name]]).port
            seconds = time.monotonic() - t0
            state["services"][name]["seconds"] = round(seconds, 2)
            log(f"{name:<14} ready in {seconds:5.1f}s (pid {process.pid}, log {logfile})")
        state["env"] = env
        _write_state(base, state)
        write_env(base, env)
        return env
    except BaseException:
        down(base, quiet=True)
        raise


def down(base: Path, quiet: bool = False) -> None:
    state = read_state(base)
    pids = {name: info["pid"] for name, info in state.get("services", {}).items() if info.get("pid")}
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids.values()):
        time.sleep(0.2)
    for name, pid in pids.items():
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            if not quiet:
                log(f"{name} did not stop in time; killed")
    if state_path(base).exists():
        state_path(base).unlink()
    if not quiet and pids:
        log(f"stopped {', '.join(pids)}")


def status(base: Path) -> int:
    state = read_state(base)
    if not state.get("services"):
        print(f"No stack in {base}.")
        return 1
    for name, info in state["services"].items():
        print(
            f"{name:<14} {'running' if _alive(info['pid']) else 'STOPPED':<8} pid {info['pid']}  "
            f"port {info.get('port')}  log {info['log']}"
        )
    for key, value in sorted(state.get("env", {}).items()):
        print(f"export {key}={value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.stack", description=stack.__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "down", "status", "run", "stop", "start", "restart"])
    parser.add_argument("service", nargs="?", choices=SERVICES, help="the one service to stop, start or restart")
    parser.add_argument("--kill", action="store_true", help="stop/restart with SIGKILL (a crash), not cleanly")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"state and data folder (default {DEFAULT_DIR})")
    parser.add_argument("--only", default=",".join(SERVICES), help=f"comma-separated subset of {', '.join(SERVICES)}")
    parser.add_argument("--fresh", action="store_true", help="delete the folder's data first")
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    base = args.dir.resolve()
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in only if s not in SERVICES]
    if unknown:
        parser.error(f"unknown service(s) {', '.join(unknown)}; choose from {', '.join(SERVICES)}")

    try:
        if args.command == "down":
            down(base)
            return 0
        if args.command == "status":
            return status(base)
        if args.command in ("stop", "start", "restart"):
            if not args.service:
                parser.error(f"{args.command} needs a SERVICE: one of {', '.join(SERVICES)}")
            if args.command == "stop":
                stop_service(base, args.service, kill=args.kill)
            elif args.command == "start":
                start_service(base, args.service)
            else:
                restart_service(base, args.service, kill=args.kill)
            return 0
        if args.fresh and base.exists():
            down(base, quiet=True)
            shutil.rmtree(base)
        if args.command == "up":
            env = up(base, only)
            print(f"# The stack is up. Point the project at it with:  source {base / 'env'}")
            for key, value in sorted(env.items()):
                print(f"export {key}={value}")
            return 0
        # run
        if not command:
            parser.error("run needs a command after --")
        env = up(base, only)
        try:
            return subprocess.call(command, env={**os.environ, **env})
        finally:
            down(base)
    except StackError as exc:
        log(f"ERROR: {exc}")
        return 2
    except KeyboardInterrupt:
        down(base, quiet=True)
        return 130
