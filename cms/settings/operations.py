"""What operators watch (``core.operations``): readiness, metrics, logs and Sentry; star-imported by ``base``.

Production's differences (JSON logs, ``/metrics`` refused unless protected) are in ``production.py``.
"""

import environ

from core.operations.logs import logging_config
from core.operations.sentry import sentry_init

env = environ.Env()

# /readyz: each check waits at most this long (seconds) for its service. A required check that fails answers 503;
# an optional one that fails answers 200 "degraded". Optional by default: the cache and the broker (Redis). The hub
# serves partners without them (a cache that fails misses; work waits in the outbox), and a 503 from every web
# process at once would let a load balancer turn a Redis restart into an outage. READINESS_OPTIONAL_CHECKS=""
# makes them required; name other checks (comma-separated) a deployment can serve without.
READINESS_TIMEOUT = env.float("READINESS_TIMEOUT", default=2.0)
READINESS_OPTIONAL_CHECKS = env.list("READINESS_OPTIONAL_CHECKS", default=["cache", "broker"])

# /metrics: a scraper sends "Authorization: Bearer <METRICS_TOKEN>" and/or connects from one of
# METRICS_ALLOWED_ADDRESSES (addresses or networks, e.g. 10.0.0.0/8; the connection's own address, never
# X-Forwarded-For). Neither set: open here, refused in production. Multi-process servers (gunicorn, Celery's
# prefork) also need PROMETHEUS_MULTIPROC_DIR in the environment: an empty folder, shared by the processes of one
# machine (README "Operations").
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=[])
METRICS_REQUIRE_PROTECTION = False
# A Celery worker on a machine of its own serves its metrics on this port (0: none; the web's /metrics shows them
# when both share PROMETHEUS_MULTIPROC_DIR), on this address: a private one, the port has no token.
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
WORKER_METRICS_ADDRESS = env.str("WORKER_METRICS_ADDRESS", default="127.0.0.1")

# Logs: "text" for people, "json" (one object per line, with request_id) for a log pipeline; production's default.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# The worker and beat log through LOGGING too (same format, with the task and its request's id): cms/celery.py.
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# Sentry: errors of the web and the worker when SENTRY_DSN is set; nothing at all otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
SENTRY_ENABLED = sentry_init(
    dsn=SENTRY_DSN,
    environment=SENTRY_ENVIRONMENT,
    release=SENTRY_RELEASE,
    traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
)
