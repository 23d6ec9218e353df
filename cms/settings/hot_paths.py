"""Settings of the partner API's hot paths (``bench.floor`` measures them), from the environment; star-imported."""

import environ

env = environ.Env()

# The viewer's facts and their API token are cached (partners.identity_cache) until anything they depend on changes;
# at most this many seconds, in case a change reached the database without a signal.
PARTNERHUB_IDENTITY_CACHE_SECONDS = env.int("PARTNERHUB_IDENTITY_CACHE_SECONDS", default=300)

# PostgreSQL's JIT compiler suits long analytical queries. The hub's are short, but the audience rule's subqueries
# make their plans look costly (over jit_above_cost), and compiling them took 40-50 ms of CPU per query that runs in
# a few (EXPLAIN ANALYZE of the asset list's page with a product filter: 124 ms, of which JIT 47 ms). Off for the
# hub's connections (a libpq startup option) unless DATABASE_JIT is true, e.g. behind a pooler that refuses options.
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)


def with_session_options(database: dict) -> dict:
    """``database`` (an entry of ``DATABASES``) with the session settings above, when it is PostgreSQL."""
    if not DATABASE_JIT and database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database
