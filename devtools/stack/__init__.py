"""Start and stop real PostgreSQL, Redis, Elasticsearch, an S3 server, ClamAV and Keycloak on loopback (DESIGN §7).

    python -m devtools.stack up   [--dir DIR] [--only postgres,redis,...]
    python -m devtools.stack down [--dir DIR]
    python -m devtools.stack status [--dir DIR]
    python -m devtools.stack run  [--dir DIR] -- COMMAND ...   (up, run COMMAND with the env, down)
    python -m devtools.stack stop|start|restart SERVICE [--kill] [--dir DIR]   (one service, same port and data)

Where each service comes from:

* PostgreSQL 15 and Redis from Debian packages (installed with apt-get when missing
  and running as root), each started in DIR on a free port;
* Elasticsearch 7.10.2 from Maven Central's ``org.codelibs:elasticsearch-cluster-runner``
  (``devtools/elasticsearch/pom.xml``), one node in one JVM;
* S3 from moto's standalone server (``moto[server]`` in requirements-dev.txt);
* ClamAV's daemon from Debian's ``clamav-daemon`` (installed as root when missing, ``devtools.clamav``),
  with a one-signature database (EICAR) built by ``sigtool``; it exports ``CLAMAV_URL`` (module ``clamav``);
* Keycloak 26.5.6 from Maven Central's ``org.keycloak:keycloak-quarkus-dist`` zip
  (``devtools/keycloak/pom.xml``), resolved into ~/.m2 and unpacked into ~/.cache/partnerhub
  once, run with ``kc.sh start-dev`` and the realms of ``devtools/keycloak/realms`` (module
  ``keycloak``). It exports ``KEYCLOAK_URL``, ``KEYCLOAK_ADMIN_USER``, ``KEYCLOAK_ADMIN_PASSWORD``.

``up`` starts the slow JVMs (Keycloak, Elasticsearch) first and waits for them last, so the
services boot in parallel.

``up`` writes ``DIR/env`` (``export NAME=value`` lines) pointing the project at
them (and ``PARTNERHUB_STACK_DIR`` at DIR, for fault tests that stop a service of it: ``control``)
and prints how long each service took to start. A service that cannot start is
an error with its log's last lines, never a silent skip.

Modules: ``processes`` (spawning and waiting, shared helpers), ``services`` (how each
service starts), ``keycloak`` (Keycloak's), ``control`` (stop and start one service of a running
stack: ``stop_service``, ``start_service``, ``restart_service``), ``cli`` (the commands and their state in DIR);
``__main__`` runs ``cli.main``.
"""
