"""Keycloak 26.5.6, a real OIDC and SAML identity provider, with the realms of ``devtools/keycloak/realms``.

Where it comes from, and what is done only once per machine:

1. Maven resolves ``org.keycloak:keycloak-quarkus-dist`` (a zip of ~165 MB) into the local Maven
   repository (``devtools/keycloak/pom.xml``), so clean clones reuse it;
2. the zip is unpacked into a cache folder outside the clone (``$PARTNERHUB_CACHE_DIR``, default
   ``~/.cache/partnerhub``);
3. the first ``start-dev`` spends ~20 s "augmenting" the server for the development profile; its
   result (``lib/quarkus``) is saved next to the unpacked server and reused by later starts.

Each stack gets its own copy of the server in ``DIR/keycloak`` (the jars hard-linked, the rest
copied: under a second), starts it with an in-memory database and imports the realm files anew,
so every run begins from the realms in the repository.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .processes import ROOT, StackError, free_port, http_get, log, spawn

KC_VERSION = "26.5.6"
KC_POM = ROOT / "devtools" / "keycloak" / "pom.xml"
KC_REALMS = ROOT / "devtools" / "keycloak" / "realms"
# Loopback only, and printed by `make stack`: the admin console is http://127.0.0.1:PORT/admin/.
KC_ADMIN_USER = "admin"
KC_ADMIN_PASSWORD = "admin"  # noqa: S105 - a local test server's bootstrap admin, documented
# Build-time options: the saved augmentation is only valid for these (its folder is named after them).
KC_BUILD_OPTIONS = ("--db", "dev-mem")
AUGMENTED = "dev-" + "-".join(o.strip("-") for o in KC_BUILD_OPTIONS)


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partnerhub"
    return Path(os.environ.get("PARTNERHUB_CACHE_DIR") or default)


def realm_files() -> list[Path]:
    files = sorted(KC_REALMS.glob("*.json"))
    if not files:
        raise StackError(f"no realm files in {KC_REALMS}")
    return files


def realm_names() -> list[str]:
    return [json.loads(path.read_text())["realm"] for path in realm_files()]


def _resolve_zip() -> Path:
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise StackError("Keycloak needs Java 17 and Maven (mvn) on PATH")
    log(f"resolving Keycloak {KC_VERSION} from Maven Central (about 165 MB, once per machine)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "classpath.txt"
        result = subprocess.run(
            ["mvn", "-q", "-B", "-f", str(KC_POM), "dependency:build-classpath", f"-Dmdep.outputFile={out}"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 or not out.exists():
            raise StackError(f"mvn could not resolve Keycloak:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        paths = [Path(p) for p in out.read_text().strip().split(os.pathsep) if p.endswith(".zip")]
    if len(paths) != 1 or not paths[0].exists():
        raise StackError(f"mvn did not resolve exactly one Keycloak zip: {paths}")
    return paths[0]


def dist_dir() -> Path:
    """The unpacked server in the cache, unpacked once (atomically: concurrent stacks may race here)."""
    target = cache_dir() / f"keycloak-{KC_VERSION}"
    if (target / "bin" / "kc.sh").exists():
        return target
    archive = _resolve_zip()
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"unpacking {archive.name} into {target.parent}")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(tmp)
        unpacked = Path(tmp) / f"keycloak-{KC_VERSION}"
        if not (unpacked / "bin" / "kc.sh").exists():
            raise StackError(f"{archive} does not hold keycloak-{KC_VERSION}/bin/kc.sh")
        with contextlib.suppress(OSError):  # another stack unpacked it first: keep theirs
            unpacked.rename(target)
    return target


def _link_or_copy(src: str, dst: str) -> None:
    # Jars are never written at run time: hard-link them (no copy, no disk); copy everything else.
    if src.endswith(".jar") and "/lib/lib/" in src:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def _persisted_profile(quarkus: Path) -> dict[str, str]:
    try:
        with zipfile.ZipFile(quarkus / "generated-bytecode.jar") as jar:
            text = jar.read("META-INF/keycloak-persisted.properties").decode()
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def save_augmentation(home: Path) -> None:
    """After a start that augmented the server, keep its ``lib/quarkus`` for the next stacks."""
    saved = cache_dir() / f"keycloak-{KC_VERSION}-{AUGMENTED}"
    quarkus = home / "lib" / "quarkus"
    if saved.exists() or _persisted_profile(quarkus).get("kc.profile") != "dev":
        return
    with tempfile.TemporaryDirectory(dir=saved.parent) as tmp:
        shutil.copytree(quarkus, Path(tmp) / "quarkus")
        with contextlib.suppress(OSError):  # another stack saved it first
            (Path(tmp) / "quarkus").rename(saved)


def prepare_home(base: Path) -> Path:
    dist = dist_dir()
    home = base / "keycloak" / f"keycloak-{KC_VERSION}"
    if not (home / "bin" / "kc.sh").exists():
        shutil.copytree(dist, home, copy_function=_link_or_copy)
        saved = cache_dir() / f"keycloak-{KC_VERSION}-{AUGMENTED}"
        if saved.exists():
            shutil.rmtree(home / "lib" / "quarkus")
            shutil.copytree(saved, home / "lib" / "quarkus")
    imports = home / "data" / "import"
    if imports.exists():
        shutil.rmtree(imports)
    imports.mkdir(parents=True)
    for path in realm_files():
        shutil.copy2(path, imports / path.name)
    return home


def start_keycloak(base: Path, port: int | None = None):
    home = prepare_home(base)
    logfile = base / "keycloak" / "keycloak.log"
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    heap = os.environ.get("PARTNERHUB_KC_HEAP", "1g")
    env = {
        **os.environ,
        "KC_BOOTSTRAP_ADMIN_USERNAME": KC_ADMIN_USER,
        "KC_BOOTSTRAP_ADMIN_PASSWORD": KC_ADMIN_PASSWORD,
        "JAVA_OPTS_KC_HEAP": f"-Xms256m -Xmx{heap}",
    }
    process = spawn(
        [
            "bash",
            str(home / "bin" / "kc.sh"),
            "start-dev",
            *KC_BUILD_OPTIONS,
            "--http-host",
            "127.0.0.1",
            "--http-port",
            str(port),
            "--import-realm",
        ],
        logfile=logfile,
        env=env,
        cwd=home,
    )
    realms = realm_names()

    def ready():
        status, _ = http_get(f"{url}/realms/{realms[0]}/.well-known/openid-configuration")
        return status == 200

    def finish():
        for name in realms:
            _status, body = http_get(f"{url}/realms/{name}/.well-known/openid-configuration")
            issuer = json.loads(body)["issuer"]
            if issuer != f"{url}/realms/{name}":
                raise StackError(f"Keycloak realm {name} answered issuer {issuer}")
            status, _ = http_get(f"{url}/realms/{name}/protocol/saml/descriptor")
            if status != 200:
                raise StackError(f"Keycloak realm {name} has no SAML descriptor")
        save_augmentation(home)
        return {
            "KEYCLOAK_URL": url,
            "KEYCLOAK_ADMIN_USER": KC_ADMIN_USER,
            "KEYCLOAK_ADMIN_PASSWORD": KC_ADMIN_PASSWORD,
        }

    return process, ready, finish, logfile
