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

Modules: ``processes`` (spawning and waiting, shared helpers), ``services`` (how each
service starts), ``cli`` (the commands and their state in DIR); ``__main__`` runs ``cli.main``.
"""
