"""The readiness checks every deployment has: the database, the cache and the Celery broker.

Each one is short: a ``SELECT 1``, a cache write and read, one broker connection with a timeout
(``READINESS_TIMEOUT`` seconds). The apps add theirs (Elasticsearch, backlogs) from their own ``ready()``.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from kombu import Connection

from .readiness import register_dependency


def database_probe() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_probe() -> None:
    key = f"partnerhub:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise LookupError("the cache did not keep a value")
    cache.delete(key)


def broker_probe() -> str | None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return "filesystem"  # the embedded stack's folders, made by the settings
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) and url.startswith("memory://"):
        return "eager"
    timeout = settings.READINESS_TIMEOUT
    with Connection(url, connect_timeout=timeout, transport_options={"socket_timeout": timeout}) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    return None


def register_builtin_checks() -> None:
    register_dependency("database", database_probe)
    register_dependency("cache", cache_probe)
    register_dependency("broker", broker_probe)
