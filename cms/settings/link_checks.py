"""Settings of the link checker (cms.hygiene), read from the environment; star-imported by ``base``."""

import environ

env = environ.Env()

# The link checker (cms.hygiene): assets' external URLs, checked by beat (``check-links``) and by
# ``manage.py check_links``.
# A URL is checked again this many hours after its last check; one run checks at most LINK_CHECK_MAX_PER_RUN URLs
# and starts none after LINK_CHECK_MAX_SECONDS; requests to one host are at least LINK_CHECK_HOST_INTERVAL seconds
# apart; each request waits at most LINK_CHECK_TIMEOUT seconds; at most LINK_CHECK_MAX_REDIRECTS are followed.
LINK_CHECK_INTERVAL_HOURS = env.int("LINK_CHECK_INTERVAL_HOURS", default=24)
LINK_CHECK_MAX_PER_RUN = env.int("LINK_CHECK_MAX_PER_RUN", default=200)
LINK_CHECK_MAX_SECONDS = env.int("LINK_CHECK_MAX_SECONDS", default=15 * 60)
LINK_CHECK_HOST_INTERVAL = env.float("LINK_CHECK_HOST_INTERVAL", default=2.0)
LINK_CHECK_TIMEOUT = env.float("LINK_CHECK_TIMEOUT", default=10.0)
LINK_CHECK_MAX_REDIRECTS = env.int("LINK_CHECK_MAX_REDIRECTS", default=5)
LINK_CHECK_USER_AGENT = env.str(
    "LINK_CHECK_USER_AGENT",
    default="PartnerHub-LinkChecker/1.0 (checks that partner portal links still answer; HEAD, then GET)",
)
# Like webhooks, the checker only reaches public addresses (an editor's URL must not reach the hub's own network);
# hosts named here are exempt (e.g. an intranet page). Turning the guard off is for tests against a local server.
LINK_CHECK_BLOCK_PRIVATE_ADDRESSES = env.bool("LINK_CHECK_BLOCK_PRIVATE_ADDRESSES", default=True)
LINK_CHECK_ALLOWED_HOSTS = env.list("LINK_CHECK_ALLOWED_HOSTS", default=[])
