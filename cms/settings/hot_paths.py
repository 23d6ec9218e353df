"""Settings of the partner API's hot paths (``bench.floor`` measures them), from the environment; star-imported."""

import environ

env = environ.Env()

# The viewer's facts and their API token are cached (partners.identity_cache) until anything they depend on changes;
# at most this many seconds, in case a change reached the database without a signal.
PARTNERHUB_IDENTITY_CACHE_SECONDS = env.int("PARTNERHUB_IDENTITY_CACHE_SECONDS", default=300)
