"""Start and stop real PostgreSQL, Redis, Elasticsearch and an S3 server on loopback (DESIGN §7).

    python -m devtools.stack up   [--dir DIR] [--only postgres,redis,...]
    python -m devtools.stack down [--dir DIR]
    python -m devtools.stack status [--dir DIR]
    python -m devtools.stack run  [--dir DIR] -- COMMAND ...   (up, run COMMAND with the env, down)

Where each service comes from:

* PostgreSQL 15 and Redis from Debian packages (installed with apt-get when missing
  and running as root), each started in DIR on a free port;
* Elasticsearch 7.10.2 from Maven Central's ``org.codelibs:elasticsearch-cluster-runner``
  (``devtools/elasticsearch/pom.xml``), one node in one JVM;
* S3 from moto's standalone server (``moto[server]`` in requirements-dev.txt).

``up`` writes ``DIR/env`` (``export NAME=value`` lines) pointing the project at
them and prints how long each service took to start. A service that cannot start is
an error with its log's last lines, never a silent skip.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".stack" / "dev"
ES_POM = ROOT / "devtools" / "elasticsearch" / "pom.xml"
ES_CLASSPATH = ROOT / "devtools" / "elasticsearch" / "classpath.txt"
ES_MAIN = "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner"
ES_VERSION = "7.10.2"
# The cluster runner only accepts HTTP ports up to 9299 (its maxHttpPort), so it gets a slot there.
ES_PORT_RANGE = range(9200, 9298)
SERVICES = ("postgres", "redis", "elasticsearch", "s3")
S3_BUCKET = "partnerhub"
DB_NAME = "partnerhub"
DB_USER = "partnerhub"
START_TIMEOUT = {"postgres": 60, "redis": 20, "elasticsearch": 120, "s3": 60}


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


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        apt_install("postgresql")
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        raise StackError("PostgreSQL's initdb not found under /usr/lib/postgresql after installing it")
    return candidates[0].parent


def as_postgres(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; run it as the Debian package's postgres user.
    return ["runuser", "-u", "postgres", "--", *cmd] if is_root() else cmd


def start_postgres(base: Path) -> tuple[subprocess.Popen, callable]:
    bindir = postgres_bindir()
    home = base / "postgres"
    data = home / "data"
    logfile = home / "postgres.log"
    home.mkdir(parents=True, exist_ok=True)
    if is_root():
        shutil.chown(home, "postgres", "postgres")
    if not (data / "PG_VERSION").exists():
        init = subprocess.run(
            as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if init.returncode != 0:
            raise StackError(f"initdb failed:\n{init.stdout[-1000:]}{init.stderr[-2000:]}")
    port = free_port()
    if is_root():
        logfile.touch()
        shutil.chown(logfile, "postgres", "postgres")
    process = spawn(
        as_postgres(
            [
                str(bindir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(home),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ]
        ),
        logfile=logfile,
    )

    def ready():
        check = subprocess.run(
            [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER],
            capture_output=True,
        )
        return check.returncode == 0

    def finish() -> dict[str, str]:
        exists = subprocess.run(
            [
                str(bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                DB_USER,
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",  # noqa: S608 - a constant
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        if exists.stdout.strip() != "1":
            subprocess.run(
                [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER, DB_NAME], check=True
            )
        return {"DATABASE_URL": f"postgres://{DB_USER}@127.0.0.1:{port}/{DB_NAME}"}

    return process, ready, finish, logfile


# --- Redis ------------------------------------------------------------------------------------


def start_redis(base: Path):
    server = shutil.which("redis-server")
    if server is None:
        apt_install("redis-server")
        server = shutil.which("redis-server")
    if server is None:
        raise StackError("redis-server not found after installing the redis-server package")
    home = base / "redis"
    home.mkdir(parents=True, exist_ok=True)
    logfile = home / "redis.log"
    port = free_port()
    process = spawn(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(home),
            "--daemonize",
            "no",
        ],
        logfile=logfile,
    )

    def ready():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def finish():
        url = f"redis://127.0.0.1:{port}/0"
        return {"REDIS_URL": url, "CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{port}/1"}

    return process, ready, finish, logfile


# --- Elasticsearch ----------------------------------------------------------------------------


def es_classpath() -> str:
    def cached() -> str | None:
        if not ES_CLASSPATH.exists() or ES_CLASSPATH.stat().st_mtime < ES_POM.stat().st_mtime:
            return None
        text = ES_CLASSPATH.read_text().strip()
        return text if text and all(Path(p).exists() for p in text.split(os.pathsep)) else None

    classpath = cached()
    if classpath:
        return classpath
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise StackError("Elasticsearch needs Java 17 and Maven (mvn) on PATH")
    log("resolving the Elasticsearch cluster runner from Maven Central (about 20 MB, once)")
    result = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(ES_POM), "dependency:build-classpath", f"-Dmdep.outputFile={ES_CLASSPATH}"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise StackError(
            f"mvn could not resolve the Elasticsearch runner:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    classpath = cached()
    if not classpath:
        raise StackError(f"mvn did not write a usable classpath to {ES_CLASSPATH}")
    return classpath


def start_elasticsearch(base: Path):
    classpath = es_classpath()
    home = base / "elasticsearch"
    if home.exists():
        shutil.rmtree(home)  # the runner wants to create its base path itself
    base.mkdir(parents=True, exist_ok=True)
    logfile = base / "elasticsearch.log"
    base_port = next((p for p in ES_PORT_RANGE if port_is_free(p + 1)), None)
    if base_port is None:
        raise StackError("no free HTTP port for Elasticsearch in 9201-9298 (the cluster runner's range)")
    http_port = base_port + 1
    heap = os.environ.get("PARTNERHUB_ES_HEAP", "1g")
    process = spawn(
        [
            "java",
            "-Xms512m",
            f"-Xmx{heap}",
            "-cp",
            classpath,
            ES_MAIN,
            "-basePath",
            str(home),
            "-numOfNode",
            "1",
            "-baseHttpPort",
            str(base_port),
            "-clusterName",
            f"partnerhub-{os.getpid()}",
        ],
        logfile=logfile,
    )
    url = f"http://127.0.0.1:{http_port}"

    def ready():
        status, body = http_get(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s")
        return status == 200 and json.loads(body)["status"] in ("green", "yellow")

    def finish():
        _status, body = http_get(url)
        number = json.loads(body)["version"]["number"]
        if number != ES_VERSION:
            raise StackError(f"Elasticsearch answered version {number}, expected {ES_VERSION}")
        return {"ELASTICSEARCH_URL": url}

    return process, ready, finish, logfile


# --- S3 (moto) --------------------------------------------------------------------------------


def start_s3(base: Path):
    server = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(server).exists():
        raise StackError("moto_server not found: install requirements-dev.txt (moto[server])")
    home = base / "s3"
    home.mkdir(parents=True, exist_ok=True)
    logfile = home / "moto.log"
    port = free_port()
    process = spawn([server, "-H", "127.0.0.1", "-p", str(port)], logfile=logfile)
    endpoint = f"http://127.0.0.1:{port}"

    def ready():
        status, _ = http_get(f"{endpoint}/moto-api/")
        return status == 200

    def finish():
        import boto3

        env = {
            "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "partnerhub-local",
            "AWS_SECRET_ACCESS_KEY": "partnerhub-local-secret",
            "AWS_S3_REGION_NAME": "us-east-1",
        }
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_S3_REGION_NAME"],
        )
        client.create_bucket(Bucket=S3_BUCKET)
        client.put_public_access_block(
            Bucket=S3_BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        return env

    return process, ready, finish, logfile


STARTERS = {"postgres": start_postgres, "redis": start_redis, "elasticsearch": start_elasticsearch, "s3": start_s3}


# --- Commands ---------------------------------------------------------------------------------


def state_path(base: Path) -> Path:
    return base / "state.json"


def read_state(base: Path) -> dict:
    try:
        return json.loads(state_path(base).read_text())
    except (OSError, ValueError):
        return {"services": {}}


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
        # Start everything first, then wait: the services boot in parallel.
        for name in only:
            t0 = time.monotonic()
            process, ready, finish, logfile = STARTERS[name](base)
            started[name] = (process, ready, finish, logfile, t0)
            state["services"][name] = {"pid": process.pid, "log": str(logfile)}
            state_path(base).write_text(json.dumps(state, indent=2))
        env = {}
        for name, (process, ready, finish, logfile, t0) in started.items():
            wait_until(ready, timeout=START_TIMEOUT[name], what=name, process=process, logfile=logfile)
            env.update(finish())
            seconds = time.monotonic() - t0
            state["services"][name]["seconds"] = round(seconds, 2)
            log(f"{name:<14} ready in {seconds:5.1f}s (pid {process.pid}, log {logfile})")
        state["env"] = env
        state_path(base).write_text(json.dumps(state, indent=2))
        write_env(base, env)
        return env
    except BaseException:
        down(base, quiet=True)
        raise


def _alive(pid: int) -> bool:
    try:
        # Reap it if it is our own child (after `run`), or a zombie would look alive.
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
    return True


def down(base: Path, quiet: bool = False) -> None:
    state = read_state(base)
    pids = {name: info["pid"] for name, info in state.get("services", {}).items()}
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
        print(f"{name:<14} {'running' if _alive(info['pid']) else 'STOPPED':<8} pid {info['pid']}  log {info['log']}")
    for key, value in sorted(state.get("env", {}).items()):
        print(f"export {key}={value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "down", "status", "run"])
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


if __name__ == "__main__":
    sys.exit(main())
