"""Each hot endpoint of the partner API against its floor, in one run (DESIGN §8's ratios).

    python -m bench.floor [--requests 300] [--users 20] [--warmup 30] [--endpoint list ...]

In-process through Django's test client, as ``bench.api_latency`` (the view, auth, audience rule, database and,
for search, the Elasticsearch round trip; no network in front), with a bearer token of each of a sample of the
generated population's partner users (``bench.generate_data``; the first run also adds the bulletins, programs and
courses of ``bench.portal_latency``, and builds the search index when it is missing or out of date).

Every timed request is followed by its **floor**, the work no implementation of it can skip:

* asset list, asset detail, download, feed and course detail: the SQL that very request ran (captured with a
  ``connection.execute_wrapper``), replayed on a cursor as it was sent, every row fetched and serialised as JSON
  (writes replayed in a transaction rolled back);
* search: the Elasticsearch request bodies that very request sent, posted raw over one kept-alive HTTP connection
  and the JSON answers decoded.

It prints p50 of the requests and of their floors, the ratio, the queries per request (the median) and the
target: 2.0x for the database endpoints, 1.6x for search; exit 1 when a ratio is over its target,
2 when it cannot run.
"""

import argparse
import json
import random
import statistics
import sys
import time
from contextlib import contextmanager

from bench.common import setup_django_as_in_production

SQL_TARGET, SEARCH_TARGET = 2.0, 1.6
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
WRITES = ("INSERT", "UPDATE", "DELETE")
ENDPOINTS = ("asset list", "asset detail", "download", "feed", "course detail", "search")


class SqlRecorder:
    """A ``connection.execute_wrapper`` keeping the SQL and parameters of every query while it is ``on``."""

    def __init__(self):
        self.on, self.queries = False, []

    def __call__(self, execute, sql, params, many, context):
        if self.on and not many and not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.queries.append((sql, params))
        return execute(sql, params, many, context)


class ElasticsearchRecorder:
    """Wraps the client's transport: keeps (method, url, params, body) of every call while ``on``."""

    def __init__(self):
        self.on, self.calls = False, []

    def install(self):
        from elasticsearch import Transport

        original = Transport.perform_request
        recorder = self

        def perform_request(transport, method, url, headers=None, params=None, body=None):
            if recorder.on:  # request_timeout and ignore are the client's own, never sent
                sent = {k: v for k, v in (params or {}).items() if k not in ("request_timeout", "ignore")}
                recorder.calls.append((method, url, sent, body))
            return original(transport, method, url, headers=headers, params=params, body=body)

        Transport.perform_request = perform_request


def replay_sql(queries) -> float:
    """The SQL as it was sent, every row fetched and serialised as JSON; milliseconds. Writes are rolled back."""
    from django.db import connection, transaction

    writes = any(sql.lstrip().upper().startswith(WRITES) for sql, _params in queries)
    started = time.perf_counter()
    with transaction.atomic() if writes else _nothing():
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    json.dumps(cursor.fetchall(), default=str)
        if writes:
            transaction.set_rollback(True)
    return (time.perf_counter() - started) * 1000


@contextmanager
def _nothing():
    yield


def replay_elasticsearch(pool, calls) -> float:
    """Each recorded Elasticsearch request posted raw (JSON body) and its answer decoded; milliseconds."""
    from urllib.parse import urlencode

    started = time.perf_counter()
    for method, url, params, body in calls:
        query = f"?{urlencode(params)}" if params else ""
        payload = json.dumps(body).encode() if body is not None else None
        response = pool.urlopen(
            method, url + query, body=payload, headers={"Content-Type": "application/json"}, retries=False
        )
        assert response.status == 200, (url, response.status, response.data[:300])
        json.loads(response.data)
    return (time.perf_counter() - started) * 1000


def ensure_search_index() -> str:
    """Build the index when it is missing or holds another number of documents than there are live items."""
    from search.client import get_client
    from search.index import alias_name
    from search.services import live_item_count, search_reindex

    client, live = get_client(), live_item_count()
    try:
        indexed = client.count(index=alias_name())["count"]
    except Exception:
        indexed = None
    if indexed == live:
        return f"search index up to date ({live} documents)"
    result = search_reindex()
    return f"search index rebuilt: {result.documents} documents in {result.seconds:.0f}s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per endpoint.")
    parser.add_argument("--users", type=int, default=20, help="Partner users to sample.")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--endpoint", action="append", choices=ENDPOINTS, help="Only this endpoint (repeatable).")
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    import urllib3

    from bench.portal_latency import ensure_portal_content
    from bench.search_latency import search_params
    from cms.models import Asset
    from courses.models import Course
    from partners.models import PartnerMembership
    from partners.services import api_token_issue
    from search.client import elasticsearch_configured

    rng = random.Random(args.seed)
    settings.ALLOWED_HOSTS = ["*"]
    endpoints = [name for name in ENDPOINTS if not args.endpoint or name in args.endpoint]
    if "search" in endpoints and not elasticsearch_configured():
        print("ELASTICSEARCH_URL is not set: search's floor is raw Elasticsearch.")
        return 2
    memberships = list(
        PartnerMembership.objects.filter(user__is_active=True, partner__is_active=True)
        .select_related("user")
        .order_by("?")[: args.users]
    )
    if not memberships:
        print("No partner users: run `python -m bench.generate_data` first.")
        return 2
    print(ensure_portal_content(rng))
    if "search" in endpoints:
        print(ensure_search_index(), flush=True)
    assets = Asset.objects.count()

    users = []  # (client, visible asset ids, visible course ids)
    for membership in memberships:
        _token, plaintext = api_token_issue(user=membership.user, name="bench-floor")
        visible = list(Asset.objects.visible_to(membership.user).values_list("pk", flat=True)[:200])
        courses = list(Course.objects.visible_to(membership.user).values_list("pk", flat=True))
        users.append((Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}"), visible, courses))

    filters = ["", "type=battlecard", "type=document&ordering=title", "product=product-7", "page=3"]
    requests = {
        "asset list": lambda user: f"/api/v1/assets?page_size=20&{rng.choice(filters)}",
        "asset detail": lambda user: f"/api/v1/assets/{rng.choice(user[1])}",
        "download": lambda user: f"/api/v1/assets/{rng.choice(user[1])}/download",
        "feed": lambda user: "/api/v1/feed",
        "course detail": lambda user: f"/api/v1/courses/{rng.choice(user[2])}",
        "search": lambda user: ("/api/v1/search", search_params(rng, assets)),
    }
    needs = {"asset detail": 1, "download": 1, "course detail": 2}

    sql, es = SqlRecorder(), ElasticsearchRecorder()
    es.install()
    pool = urllib3.connection_from_url(settings.ELASTICSEARCH_URL, maxsize=1)
    print(f"{assets} assets; database {connection.vendor}; {len(users)} partner users; {args.requests} requests each")
    print(f"{'endpoint':<14} {'p50 ms':>8} {'floor p50':>9} {'ratio':>6} {'queries':>7} {'target':>7}")
    failed = False
    with connection.execute_wrapper(sql):
        for name in endpoints:
            timings, floors, queries = [], [], []
            candidates = [user for user in users if name not in needs or user[needs[name]]]
            if not candidates:
                print(f"{name}: none of the sampled users may see any; run `python -m bench.generate_data`.")
                return 2
            for n in range(args.warmup + args.requests):
                user = rng.choice(candidates)
                target = requests[name](user)
                path, params = target if isinstance(target, tuple) else (target, None)
                sql.queries, es.calls = [], []
                sql.on = es.on = True
                started = time.perf_counter()
                response = user[0].get(path, params)
                if response.streaming:
                    b"".join(response.streaming_content)
                elapsed = (time.perf_counter() - started) * 1000
                sql.on = es.on = False
                assert response.status_code in (200, 302), (name, path, params, response.status_code)
                if name == "search" and response.json()["backend"] != "elasticsearch":
                    print("Search answered from the database fallback: Elasticsearch is down or failed.")
                    return 2
                floor = replay_elasticsearch(pool, es.calls) if name == "search" else replay_sql(sql.queries)
                if n >= args.warmup:
                    timings.append(elapsed)
                    floors.append(floor)
                    queries.append(len(sql.queries))
            p50, floor50 = statistics.median(timings), statistics.median(floors)
            ratio, target = p50 / floor50, SEARCH_TARGET if name == "search" else SQL_TARGET
            failed |= ratio > target
            per_request = round(statistics.median(queries))
            print(
                f"{name:<14} {p50:8.1f} {floor50:9.1f} {ratio:5.2f}x {per_request:7} {target:6.1f}x  "
                f"{'OVER TARGET' if ratio > target else 'ok'}",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
