"""Settings for a database that goes away and comes back (cms.outages); star-imported by ``base``."""

import environ

env = environ.Env()

# While the database cannot be reached, requests answer 503 with this Retry-After (seconds): about how long
# a PostgreSQL restart or a managed failover keeps it away.
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=5)
# Connections recover by themselves: Django drops one that failed at the end of its request, and with
# DATABASE_CONN_MAX_AGE > 0 checks a kept one before reusing it (DATABASE_CONN_HEALTH_CHECKS, in base.py's
# DATABASES, true by default).
