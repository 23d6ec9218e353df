"""``make load``: the hub over HTTP under a realistic mix of partner users, on the real stack, judged.

    python -m bench.load [--duration 180] [--users 200] [--web-processes 1] [--web-workers 3] [--workers 1]
                         [--population bench|small] [--profile SECONDS] [--reuse] [--out var/load]

1. Starts PostgreSQL, Redis, Elasticsearch, S3 and ClamAV (``devtools.stack run --fresh``; production settings
   refuse to start without ``CLAMAV_URL``), then, inside it, with production settings (``DEBUG`` off, a random
   ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, persistent database connections):
2. migrates, collects static files, generates the ``bench/`` population (``--population small``: a tenth of it)
   and what the load needs on top (``bench.load.population``: courses, quizzes, the file scanned, the index);
3. starts ``--web-processes`` gunicorn masters (``gunicorn.conf.py``, ``--web-workers`` each, on their own
   ports), ``--workers`` Celery workers and one beat;
4. runs Locust headless (``bench/load/locustfile.py``, the mix of ``bench.load.mix``) with ``--users`` partner
   users, each with its own token and session, spread round-robin over the web processes;
5. prints requests/s and p50/p95/p99 per endpoint, the CPU each part used per request, and exits 1 on any
   error or under the target (``bench.load.judge``); everything it started is stopped, even on Ctrl-C.

``--profile SECONDS`` samples every web worker with py-spy for that long during the run and prints where their
time went (``bench.load.profile``). Results stay in ``--out`` (Locust's CSVs, logs, the profile).
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.load import judge, mix
from bench.load.processes import Started, cpu_seconds, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
SERVICES = "postgres,redis,elasticsearch,s3,clamav"
POPULATIONS = {"bench": [], "small": ["--assets", "10000", "--partners", "500", "--users", "5000"]}
FIRST_PORT = 18100


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=180, help="Seconds of load (default 180: the target's 3 min).")
    parser.add_argument("--users", type=int, default=200, help="Simulated partner users (each its own token).")
    parser.add_argument("--spawn-rate", type=float, default=20, help="Users started per second.")
    parser.add_argument("--web-processes", type=int, default=1, help="gunicorn masters, each on its own port.")
    parser.add_argument("--web-workers", type=int, default=3, help="Workers per gunicorn master (WEB_CONCURRENCY).")
    parser.add_argument("--workers", type=int, default=1, help="Celery workers (each of concurrency 2).")
    parser.add_argument("--population", choices=sorted(POPULATIONS), default="bench")
    parser.add_argument("--profile", type=int, default=0, metavar="SECONDS", help="py-spy the web workers that long.")
    parser.add_argument("--min-rps", type=float, default=judge.Target.requests_per_second)
    parser.add_argument("--max-p95", type=float, default=judge.Target.p95_ms)
    parser.add_argument("--stack-dir", type=Path, default=ROOT / ".stack" / "load")
    parser.add_argument("--reuse", action="store_true", help="Keep the stack's data (no --fresh; skip generating).")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load")
    parser.add_argument("--in-stack", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    locust_program()  # before minutes of stack and population: say at once when Locust is missing
    if not args.in_stack:
        fresh = [] if args.reuse else ["--fresh"]
        stack = [sys.executable, "-m", "devtools.stack", "run", "--dir", str(args.stack_dir), *fresh]
        wrapper = subprocess.Popen(
            [*stack, "--only", SERVICES, "--", sys.executable, "-m", "bench.load", *argv, "--in-stack"]
        )
        try:
            return wrapper.wait()
        except KeyboardInterrupt:  # Ctrl-C reached the stack and the run too: wait while they stop everything
            return wrapper.wait()
    # SIGTERM (a CI timeout, `kill`) ends the run like Ctrl-C: through the finally below, which stops everything.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.out.mkdir(parents=True, exist_ok=True)
    env = production_env(args)
    started = Started(args.out)
    try:
        prepare(args, env)
        hosts = start_processes(args, env, started)
        return load(args, env, started, hosts)
    except KeyboardInterrupt:
        print("load: interrupted; stopping what it started", flush=True)
        return 130
    finally:
        started.stop_all()


def production_env(args) -> dict:
    """The stack's environment plus what production settings require, as a deployment would give it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        # One connection per worker kept open (Django's CONN_MAX_AGE), as production should: not one per request.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        "PARTNERHUB_VAR_DIR": str(args.out / "var"),
        "LOG_LEVEL": "WARNING",
        "TQDM_DISABLE": "1",  # the generator's progress bars: pages of them in a log
        "PYTHONPATH": str(ROOT),
    }


def step(what: str, command: list[str], env: dict, ok=(0,)) -> int:
    print(f"load: {what}", flush=True)
    started = time.monotonic()
    code = subprocess.call(command, env=env, cwd=ROOT)
    if code not in ok:
        raise RuntimeError(f"{what}: exit {code}")
    print(f"load: {what}: {time.monotonic() - started:.0f}s", flush=True)
    return code


def static_files_stale() -> bool:
    """Whether ``collectstatic`` must run: production serves the collected, hashed files (whitenoise's manifest),
    and compressing them all takes minutes on a busy machine. Stale: no manifest, or a static file of the
    project or an installed package newer than it."""
    manifest = ROOT / "static" / "staticfiles.json"
    if not manifest.exists():
        return True
    made = manifest.stat().st_mtime
    sources = [*ROOT.glob("*/static"), *Path(sys.prefix).glob("lib/python*/site-packages/*/static")]
    return any(path.stat().st_mtime > made for source in sources for path in source.rglob("*") if path.is_file())


def prepare(args, env) -> None:
    python = sys.executable
    step("migrate", [python, "manage.py", "migrate", "--noinput", "-v0"], env)
    if static_files_stale():
        step("collectstatic", [python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    # The generator refuses (2) a database that has partners already: with --reuse that is the population.
    step(
        f"{args.population} population",
        [python, "-m", "bench.generate_data", *POPULATIONS[args.population]],
        env,
        ok=(0, 2),
    )
    population = [
        python,
        "-m",
        "bench.load.population",
        "--users",
        str(args.users),
        "--out",
        str(args.out / "users.json"),
    ]
    if args.reuse:  # the index of the population kept
        population.append("--no-reindex")
    # Rebuilding the index of 100k documents on a busy machine: bulk requests wait longer than a partner would.
    slow_es = {**env, "ELASTICSEARCH_TIMEOUT": "60"}
    step("learning content, scans, search index, partner users", population, slow_es)


def start_processes(args, env, started: Started) -> list[str]:
    bin_dir = Path(sys.executable).parent
    hosts = []
    for n in range(args.web_processes):
        port = FIRST_PORT + n
        web_env = {**env, "WEB_CONCURRENCY": str(args.web_workers), "GUNICORN_BIND": f"127.0.0.1:{port}"}
        started.start(f"web{n + 1}", [str(bin_dir / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], web_env)
        hosts.append(f"http://127.0.0.1:{port}")
    celery = [str(bin_dir / "celery"), "-A", "cms"]
    for n in range(args.workers):
        # INFO: a line per task, so the log says what the worker and beat did during the load.
        worker = [*celery, "worker", "--concurrency", "2", "-n", f"load{n + 1}@%h", "--loglevel", "INFO"]
        started.start(f"worker{n + 1}", worker, env)
    schedule = str(args.out / "celerybeat-schedule")
    started.start("beat", [*celery, "beat", "--schedule", schedule, "--loglevel", "WARNING"], env)
    for n, host in enumerate(hosts):
        wait_for_http(f"{host}/", process=started.processes[f"web{n + 1}"])
    time.sleep(3)  # the workers and beat connect to Redis and PostgreSQL
    started.check_alive()
    print(
        f"load: serving on {', '.join(hosts)} ({args.web_workers} workers each), {args.workers} Celery worker(s), beat"
    )
    return hosts


def stack_pids(stack_dir: Path) -> dict[str, int]:
    try:
        services = json.loads((stack_dir / "state.json").read_text())["services"]
    except (OSError, ValueError, KeyError):
        return {}
    return {name: info["pid"] for name, info in services.items()}


def locust_program() -> str:
    """Locust's own virtualenv (``make load`` makes it from requirements-load.txt and names it in ``LOCUST``)."""
    program = os.environ.get("LOCUST") or shutil.which("locust")
    if not program or not Path(program).exists():
        raise SystemExit(
            "load: Locust is not installed. Run `make load` (it makes .venv-load from requirements-load.txt), "
            "or set LOCUST to a locust program."
        )
    return program


def load(args, env, started: Started, hosts: list[str]) -> int:
    prefix = args.out / "locust"
    locust = [
        locust_program(), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.duration}s",
        "--host", hosts[0], "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    locust_env = {**env, "LOAD_USERS_FILE": str(args.out / "users.json"), "LOAD_HOSTS": ",".join(hosts)}
    watched = {name: p.pid for name, p in started.processes.items()} | stack_pids(args.stack_dir.resolve())
    before = cpu_seconds(watched)
    began, locust_cpu = time.monotonic(), 0.0
    runner = started.start("locust", locust, locust_env)
    watched["locust"] = runner.pid
    profiler = start_profiler(args, started) if args.profile else None
    while runner.poll() is None:
        time.sleep(1)
        used_by_locust = cpu_seconds({"locust": runner.pid})["locust"]
        if used_by_locust:
            locust_cpu = used_by_locust
    seconds = time.monotonic() - began
    after = cpu_seconds(watched) | {"locust": locust_cpu}
    if profiler is not None:
        profiler.wait(timeout=args.profile + 60)
    rows = judge.read_stats(Path(f"{prefix}_stats.csv"))
    print(judge.table(rows, not_judged=mix.NOT_JUDGED))
    total = next(row for row in rows if row.name == judge.AGGREGATED)
    print(cpu_report(before, after, seconds=seconds, requests=total.requests))
    if profiler is not None:
        from bench.load.profile import summary

        print(summary((args.out / "profile.txt").read_text()))
    target = judge.Target(args.min_rps, args.max_p95, min_seconds=180.0)
    misses = judge.judge(rows, seconds=seconds, target=target, not_judged=mix.NOT_JUDGED)
    for miss in misses:
        print(f"load: MISSED: {miss}")
    verdict = "FAILED" if misses else "passed"
    errors = f"{total.failures} errors, p95 {total.p95:.0f} ms"
    print(f"load: {verdict}: {total.rps:.1f} requests/s over {seconds:.0f}s, {errors}", flush=True)
    return 1 if misses else 0


def start_profiler(args, started: Started):
    """py-spy on the first gunicorn master and all its workers (--subprocesses), once the users have started."""
    master = started.processes["web1"].pid
    bin_dir = Path(sys.executable).parent
    command = [
        str(bin_dir / "py-spy"), "record", "--pid", str(master), "--subprocesses", "--nonblocking", "--rate", "100",
        "--duration", str(args.profile), "--format", "raw", "--output", str(args.out / "profile.txt"),
    ]  # fmt: skip
    time.sleep(min(30, args.users / args.spawn_rate + 5))
    return started.start("py-spy", command, os.environ.copy())


def cpu_report(before: dict, after: dict, *, seconds: float, requests: int) -> str:
    """CPU seconds per part over the run, per request, and the throughput that CPU alone would allow."""
    used = {name: max(0.0, after.get(name, 0.0) - before.get(name, 0.0)) for name in after}
    server = sum(v for name, v in used.items() if name != "locust")
    lines = [f"CPU over {seconds:.0f}s (all parts on this machine; cores: {os.cpu_count()}):"]
    for name, value in sorted(used.items(), key=lambda item: -item[1]):
        per = 1000 * value / requests if requests else 0
        lines.append(f"  {name:<14} {value:7.1f} s  {per:6.2f} ms/request")
    if requests and server:
        per_request = server / requests
        lines.append(
            f"  the hub and its services: {1000 * per_request:.2f} CPU ms per request -> at most "
            f"{1 / per_request:.0f} requests/s per core they have to themselves"
        )
    return "\n".join(lines)
