"""What a simulated partner user does, and how often: the load test's mix, as data (no Locust here).

Weights are relative: a user picks its next action with these odds, waits ``THINK_SECONDS`` (a partner reading
what came back), and picks again. The odds follow what partner users open most: the asset library and its
filters, the feed, search and its type-ahead, then learning; downloads and quiz attempts are rarer and write.
The request names (``NAMES``) are the rows of the report, one per endpoint.
"""

import random

# action -> weight. Each action is one request, except download (the API's 302, then the signed S3 URL it names)
# and quiz (start an attempt, then submit its answers).
WEIGHTS = {
    "feed": 10,
    "asset_list": 18,
    "asset_detail": 14,
    "search": 10,
    "suggest": 10,
    "download": 5,
    "courses": 4,
    "course_detail": 4,
    "lesson": 5,
    "quiz": 2,
    "portal_home": 5,
    "portal_library": 4,
    "portal_asset": 4,
    "portal_learning": 3,
    "portal_course": 2,
}
# Seconds between two actions of one user (uniform): a partner reads a page before the next click.
THINK_SECONDS = (0.5, 1.5)

# The report's row per request (Locust's ``name``): ids and query strings are folded into one row per endpoint.
NAMES = {
    "feed": "GET /api/v1/feed",
    "asset_list": "GET /api/v1/assets?filters",
    "asset_detail": "GET /api/v1/assets/{id}",
    "search": "GET /api/v1/search?q",
    "suggest": "GET /api/v1/search/suggest?q",
    "download": "GET /api/v1/assets/{id}/download",
    "download_file": "GET S3 signed URL (download)",
    "courses": "GET /api/v1/courses",
    "course_detail": "GET /api/v1/courses/{id}",
    "lesson": "GET /api/v1/lessons/{id}",
    "quiz_start": "POST /api/v1/quizzes/{id}/attempts",
    "quiz_submit": "POST /api/v1/attempts/{id}/submit",
    "enroll": "POST /api/v1/courses/{id}/enroll",
    "portal_home": "GET / (portal feed)",
    "portal_library": "GET /library/?q",
    "portal_asset": "GET /library/{id}/",
    "portal_learning": "GET /learning/",
    "portal_course": "GET /learning/{id}/",
}
# Rows whose time is not the hub's: the S3 server answers the signed URL (moto here, S3 in production). Their
# errors count; their latency is reported but not judged.
NOT_JUDGED = {NAMES["download_file"]}

# Filters of the asset list, as the library's facets send them (the bench population's types and products).
ASSET_FILTERS = (
    "",
    "type=battlecard",
    "type=document&ordering=title",
    "type=presentation",
    "product=product-7",
    "product=product-21&type=price_list",
    "ordering=-title",
    "page=2",
    "page=5",
)
# Words partners search for (titles of the bench population: "Benchmark asset 17 battlecard", courses…).
SEARCH_WORDS = ("battlecard", "deck", "price list", "guide", "benchmark asset", "course", "bulletin", "program")
# What they have typed when the type-ahead asks.
SUGGEST_PREFIXES = ("bat", "dec", "pri", "gui", "bench", "benchmark a", "cou", "prog")


def pick_action(rng: random.Random) -> str:
    """The next action of a user, with the odds of ``WEIGHTS``."""
    actions = list(WEIGHTS)
    return rng.choices(actions, weights=[WEIGHTS[a] for a in actions])[0]


def requests_per_action() -> dict[str, int]:
    """How many HTTP requests each action sends (for the expected shares in the report and the tests)."""
    return {action: 2 if action in ("download", "quiz") else 1 for action in WEIGHTS}


def expected_request_share() -> dict[str, float]:
    """Each action's expected share of the requests (weights times requests per action, normalised)."""
    per = requests_per_action()
    total = sum(WEIGHTS[a] * per[a] for a in WEIGHTS)
    return {a: WEIGHTS[a] * per[a] / total for a in WEIGHTS}


def address_of(index: int) -> str:
    """A distinct client address per simulated user (X-Forwarded-For, as the proxy in front appends it): per-address
    limits then see many partners, as in production, not one machine."""
    n = index + 1
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
