"""How each service of the stack starts: PostgreSQL, Redis, Elasticsearch, S3 (moto), ClamAV, Keycloak.

Each ``start_<service>(base, port=None)`` spawns its process in ``base`` (on ``port``, or a free one)
and answers ``(process, ready, finish, logfile)``: ``ready()`` is polled until true, then ``finish()``
prepares the service and answers the environment variables pointing the project at it. Started again
on its old port (``control.start_service``) a service finds its data where it left it (PostgreSQL's
data folder, Redis's ``dump.rdb``, Elasticsearch's node folder); moto's S3 keeps nothing.
Keycloak's and ClamAV's starters live in their own modules, ``keycloak`` and ``clamav``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from .clamav import start_clamav
from .keycloak import start_keycloak
from .processes import ROOT, StackError, apt_install, free_port, http_get, is_root, log, port_is_free, spawn

ES_POM = ROOT / "devtools" / "elasticsearch" / "pom.xml"
ES_CLASSPATH = ROOT / "devtools" / "elasticsearch" / "classpath.txt"
ES_MAIN = "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner"
ES_VERSION = "7.10.2"
# The cluster runner only accepts HTTP ports up to 9299 (its maxHttpPort), so it gets a slot there.
ES_PORT_RANGE = range(9200, 9298)
# The order `up` waits for them in; it starts them in START_ORDER, the slow JVMs first.
SERVICES = ("postgres", "redis", "elasticsearch", "s3", "clamav", "keycloak")
START_ORDER = ("keycloak", "elasticsearch", "clamav", "postgres", "redis", "s3")
S3_BUCKET = "partnerhub"
DB_NAME = "partnerhub"
DB_USER = "partnerhub"
# Keycloak: ~40 s on an idle machine, twice that under load, plus ~20 s the first time (augmentation).
START_TIMEOUT = {"postgres": 60, "redis": 20, "elasticsearch": 120, "s3": 60, "clamav": 90, "keycloak": 240}


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


def start_postgres(base: Path, port: int | None = None) -> tuple[subprocess.Popen, callable]:
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
    port = port or free_port()
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


def start_redis(base: Path, port: int | None = None):
    server = shutil.which("redis-server")
    if server is None:
        apt_install("redis-server")
        server = shutil.which("redis-server")
    if server is None:
        raise StackError("redis-server not found after installing the redis-server package")
    home = base / "redis"
    home.mkdir(parents=True, exist_ok=True)
    logfile = home / "redis.log"
    port = port or free_port()
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


def es_cluster_name(base: Path) -> str:
    # One name per stack folder: two stacks never join each other, and a restart finds its cluster again.
    return "partnerhub-" + hashlib.sha1(str(base.resolve()).encode()).hexdigest()[:10]  # noqa: S324 - a name


def start_elasticsearch(base: Path, port: int | None = None):
    classpath = es_classpath()
    home = base / "elasticsearch"
    if port is None and home.exists():
        shutil.rmtree(home)  # a new stack: the runner wants to create its base path itself
    base.mkdir(parents=True, exist_ok=True)
    logfile = base / "elasticsearch.log"
    if port is None:
        base_port = next((p for p in ES_PORT_RANGE if port_is_free(p + 1)), None)
        if base_port is None:
            raise StackError("no free HTTP port for Elasticsearch in 9201-9298 (the cluster runner's range)")
    else:
        base_port = port - 1  # started again: its old port, and its data in `home`
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
            es_cluster_name(base),
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


def start_s3(base: Path, port: int | None = None):
    server = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(server).exists():
        raise StackError("moto_server not found: install requirements-dev.txt (moto[server])")
    home = base / "s3"
    home.mkdir(parents=True, exist_ok=True)
    logfile = home / "moto.log"
    port = port or free_port()
    process = spawn([server, "-H", "127.0.0.1", "-p", str(port)], logfile=logfile)
    endpoint = f"http://127.0.0.1:{port}"

    def ready():
        status, _ = http_get(f"{endpoint}/moto-api/")
        return status == 200

    def finish():
        import boto3  # a dev requirement, needed only once the S3 server is up

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


STARTERS = {
    "postgres": start_postgres,
    "redis": start_redis,
    "elasticsearch": start_elasticsearch,
    "s3": start_s3,
    "clamav": start_clamav,
    "keycloak": start_keycloak,
}
