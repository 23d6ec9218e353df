"""Production: every secret comes from the environment and the app refuses to start without them.

``SECRET_KEY`` and ``ALLOWED_HOSTS`` are required (``ImproperlyConfigured`` otherwise);
HTTPS-only cookies, HSTS and the other ``check --deploy`` settings are on.
"""

from django.core.exceptions import ImproperlyConfigured

from core.operations.logs import logging_config

from .base import *  # noqa: F403
from .base import DATABASES, LOG_LEVEL, env
from .hot_paths import with_session_options

HOW_TO_DEVELOP = "(for development, choose DJANGO_SETTINGS_MODULE=cms.settings.dev, as `make serve` does)"


def required(name: str, read=env.str):
    """The variable's value; without it the app refuses to start, saying what to set."""
    try:
        return read(name)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable: production settings (the default of cms.wsgi, cms.celery "
            f"and manage.py) have no default for it {HOW_TO_DEVELOP}."
        ) from None


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
# Each web and task process keeps its database connection for a minute, checked before reuse (CONN_HEALTH_CHECKS):
# not a new PostgreSQL backend and its authentication for every request. DATABASE_CONN_MAX_AGE=0 closes it each time
# (behind a pooler in transaction mode, e.g. PgBouncer, that may be what it wants).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
with_session_options(DATABASES["default"])  # PostgreSQL's JIT off (cms/settings/hot_paths.py)
# A key that has been published signs nothing: with it anyone forges sessions and preview tokens. (A merely
# short or repetitive key is Django's security.W009, reported by `manage.py check --deploy`.)
PUBLISHED_KEYS = {"dev-only-insecure-key-change-me", "test-only-secret-key"}
if SECRET_KEY in PUBLISHED_KEYS or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "SECRET_KEY is a published development key: set a secret one of at least 50 random characters, e.g. from "
        "`python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())'`."
    )
ALLOWED_HOSTS = required("ALLOWED_HOSTS", read=env.list)
# Every upload is scanned by ClamAV's daemon (tcp://host:port): without it nothing could be published safely.
CLAMAV_URL = required("CLAMAV_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one proxy (load balancer / ingress) that appends the client's address to
# X-Forwarded-For; rate limits and the admin lock-out key on that address. Set NINJA_NUM_PROXIES to the
# number of proxies in front of the app (2 for CDN + load balancer; 0 when clients connect directly,
# otherwise a client could choose its own address).
NINJA_NUM_PROXIES = env.int("NINJA_NUM_PROXIES", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The link checker never reaches loopback or private addresses here, whatever the environment says: an address
# on premises that must be checked is named in LINK_CHECK_ALLOWED_HOSTS instead.
LINK_CHECK_BLOCK_PRIVATE_ADDRESSES = True

# What operators watch: JSON log lines (one object each, with the request id) unless LOG_FORMAT says "text", and
# /metrics answers only a scraper with METRICS_TOKEN or from METRICS_ALLOWED_ADDRESSES.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
METRICS_REQUIRE_PROTECTION = True
