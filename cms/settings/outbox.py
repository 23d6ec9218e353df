"""Settings of the outbox (core.outbox), of late acknowledgement on Redis, and of a cache that survives Redis
going away; read from the environment, star-imported by ``base``."""

import environ

env = environ.Env()

# The outbox: a relay hands waiting tasks to the broker after each commit and, from beat, every
# OUTBOX_RELAY_SECONDS (``relay-outbox`` in base.py); at most OUTBOX_RELAY_BATCH rows per transaction. After
# the broker refused one, the commits of a process leave theirs to the sweep for OUTBOX_OUTAGE_SECONDS
# (a dead Redis costs one refused connection, not one per request). Sent e-mails are remembered (their dedupe
# keys) for OUTBOX_EMAIL_KEEP_DAYS.
OUTBOX_RELAY_BATCH = env.int("OUTBOX_RELAY_BATCH", default=500)
# A task the broker took but no worker finished (or retried) in this many seconds is handed over again: a Redis
# that died without persistence lost it. Longer than any task's run plus one retry's wait, and than the
# visibility timeout below (a Redis that kept the task hands it out again itself, first).
OUTBOX_REDELIVER_SECONDS = env.int("OUTBOX_REDELIVER_SECONDS", default=65 * 60)
OUTBOX_OUTAGE_SECONDS = env.float("OUTBOX_OUTAGE_SECONDS", default=10.0)
OUTBOX_EMAIL_KEEP_DAYS = env.int("OUTBOX_EMAIL_KEEP_DAYS", default=90)

_REDIS_URL = env.str("REDIS_URL", default="")
_BROKER_URL = env.str("CELERY_BROKER_URL", default=_REDIS_URL)

# Late acknowledgement on Redis: a task taken by a worker that dies is handed out again once it has been
# unacknowledged for CELERY_VISIBILITY_TIMEOUT seconds. Longer than any task's run plus its retry countdown
# (webhooks back off up to 15 min, search and file text up to 10): a shorter one would hand out a waiting
# retry twice. Workers check for such tasks every CELERY_UNACKED_RESTORE_SECONDS.
if _BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_SECONDS", default=10),
        "unacked_restore_throttle": 1,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The cache: django-redis, whose IGNORE_EXCEPTIONS turns a Redis that is down into cache misses (logged)
# instead of errors: pages, the API and its rate limits keep answering. A hung Redis costs at most the
# socket timeouts, in seconds.
if _REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "SOCKET_TIMEOUT": env.float("REDIS_SOCKET_TIMEOUT", default=1.0),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "partnerhub.cache"
