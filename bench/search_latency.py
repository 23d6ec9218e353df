"""Bulk reindex speed and p50/p95 of the partner API's search and type-ahead, against the DESIGN §8 budgets.

    python -m bench.search_latency [--requests 300] [--users 20] [--warmup 20] [--no-reindex]

Needs ELASTICSEARCH_URL and the generated population (``bench.generate_data``). First
rebuilds the index with ``search.services.search_reindex`` (documents/s, budget 2,000),
then runs searches in-process through Django's test client (the view, auth, audience
filter, the Elasticsearch round trip and the analytics write; no HTTP server) as a
sample of partner users: words of the generated titles, some misspelt, some two-word,
some filtered by type or product, some asking for page 2; and type-ahead prefixes of
2-6 characters. Every search must be answered by Elasticsearch, not the database
fallback. Prints a table and exits 1 if a budget is exceeded, 2 if it cannot run.
"""

import argparse
import random
import statistics
import sys
import time

from bench.common import percentile, setup_django_as_in_production

REINDEX_BUDGET_PER_S = 2000.0
# Search with facets: DESIGN §8. Type-ahead: DESIGN asks for "a few milliseconds"; 25 ms is this benchmark's number.
BUDGETS_MS = {"search": 40.0, "suggest": 25.0}

# What bench.generate_data writes: titles "Benchmark asset <n> <battlecard|deck|price list|guide>", the summary
# "Generated for benchmarks.", 50 products "Product <n>" (product-<n>), and the asset types of Asset.AssetType.
WORDS = ["benchmark", "asset", "battlecard", "deck", "price", "list", "guide", "generated", "benchmarks"]
# Two words: of one title, or of the title and the summary ("generated deck": the words may be spread over fields).
PHRASES = [
    "generated deck",
    "price list",
    "benchmark guide",
    "asset deck",
    "benchmark battlecard",
    "asset price list",
    "benchmark asset",
]
ASSET_TYPES = ["document", "presentation", "video", "image", "brand_kit", "price_list", "battlecard", "link"]


def misspell(rng, word):
    """One typo inside the word (the first letter kept: the fuzzy query has prefix_length 1)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(["swap", "drop", "replace", "double"])
    if edit == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "replace":
        return word[:i] + rng.choice("aeiourstln".replace(word[i], "")) + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def search_params(rng, assets):
    """One realistic search: the words, maybe a typo, maybe filters, sometimes page 2 of a broad query."""
    kind = rng.random()
    if kind < 0.4:
        q, broad = rng.choice(WORDS), True
    elif kind < 0.7:
        q, broad = rng.choice(PHRASES), True
    elif kind < 0.85:
        q, broad = f"asset {rng.randrange(assets)}", False  # someone looking for one item by its number
    else:
        q, broad = f"product {rng.randrange(50)}", True
    if rng.random() < 0.25:
        words = q.split()
        i = rng.randrange(len(words))
        words[i] = misspell(rng, words[i])
        q, broad = " ".join(words), False  # a typo may find little: no page 2
    params = {"q": q}
    if rng.random() < 0.2:
        params["type"] = rng.choice(ASSET_TYPES)
    if rng.random() < 0.15:
        params["product"] = f"product-{rng.randrange(50)}"
        broad = False
    if broad and rng.random() < 0.2:
        params["page"] = 2
    return params


def suggest_params(rng):
    word = rng.choice([*WORDS, "product"])
    return {"q": word[: rng.randint(2, min(6, len(word)))]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="Requests per endpoint.")
    parser.add_argument("--users", type=int, default=20, help="Partner users to sample.")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-reindex", action="store_true", help="Measure against the current index.")
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from elasticsearch.exceptions import ConnectionError as ESConnectionError
    from elasticsearch.exceptions import TransportError

    from cms.models import Asset
    from partners.models import PartnerMembership
    from partners.services import api_token_issue
    from search.client import elasticsearch_configured
    from search.selectors import elasticsearch_usable
    from search.services import live_item_count, search_reindex

    if not elasticsearch_configured():
        print("ELASTICSEARCH_URL is not set: this measures Elasticsearch search, not the database fallback.")
        return 2

    rng = random.Random(args.seed)
    settings.ALLOWED_HOSTS = ["*"]
    memberships = list(
        PartnerMembership.objects.filter(user__is_active=True, partner__is_active=True)
        .select_related("user")
        .order_by("?")[: args.users]
    )
    if not memberships:
        print("No partner users: run `python -m bench.generate_data` first.")
        return 2
    assets = Asset.objects.count()
    print(
        f"{assets} assets; database {connection.vendor}; Elasticsearch {settings.ELASTICSEARCH_URL}; "
        f"{len(memberships)} partner users sampled"
    )

    failed = False
    if not args.no_reindex:
        print(f"Reindexing {live_item_count()} live items...", flush=True)
        try:
            result = search_reindex()
        except (ESConnectionError, TransportError) as error:
            print(f"Elasticsearch did not answer: {error}")
            return 2
        over = result.per_second < REINDEX_BUDGET_PER_S
        failed |= over
        print(
            f"{'reindex':<10} {result.documents} documents in {result.seconds:.1f}s: {result.per_second:.0f}/s "
            f"(budget >= {REINDEX_BUDGET_PER_S:.0f}/s)  {'UNDER BUDGET' if over else 'ok'}"
        )

    clients = []
    for membership in memberships:
        _token, plaintext = api_token_issue(user=membership.user, name="bench")
        clients.append(Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}"))

    empty = 0

    def search_request(client):
        nonlocal empty
        params = search_params(rng, assets)
        response = client.get("/api/v1/search", params)
        assert response.status_code == 200, ("search", params, response.status_code, response.content[:300])
        body = response.json()
        if body["backend"] != "elasticsearch":
            raise SystemExit(
                f"Search answered from the {body['backend']!r} backend, not Elasticsearch (down, or in an outage "
                "window after an error: see the partnerhub.search log). These timings would mean nothing."
            )
        empty += body["count"] == 0
        return response

    def suggest_request(client):
        params = suggest_params(rng)
        response = client.get("/api/v1/search/suggest", params)
        assert response.status_code == 200, ("suggest", params, response.status_code, response.content[:300])
        return response

    print(f"{'endpoint':<10} {'p50 ms':>8} {'p95 ms':>8} {'budget':>8}")
    for name, make in (("search", search_request), ("suggest", suggest_request)):
        timings = []
        for n in range(args.warmup + args.requests):
            client = rng.choice(clients)
            started = time.perf_counter()
            make(client)
            elapsed = (time.perf_counter() - started) * 1000
            if n >= args.warmup:
                timings.append(elapsed)
        if not elasticsearch_usable():  # the suggest answer does not say which backend gave it
            raise SystemExit(f"Elasticsearch failed during the {name} run; the database fallback answered.")
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        budget = BUDGETS_MS[name]
        failed |= p95 > budget
        print(f"{name:<10} {p50:8.1f} {p95:8.1f} {budget:8.0f}  {'OVER BUDGET' if p95 > budget else 'ok'}")
    print(
        f"({empty} of {args.warmup + args.requests} searches found nothing; "
        f"the suggest budget of {BUDGETS_MS['suggest']:.0f} ms is this benchmark's reading of "
        "DESIGN's 'a few milliseconds' type-ahead)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
