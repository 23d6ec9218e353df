"""p50/p95 of the partner API's asset list, detail and download, against the DESIGN §8 budgets.

    python -m bench.api_latency [--requests 300] [--users 20] [--warmup 20]

Runs in-process through Django's test client (the view, auth, audience rule and
database; no network), as a sample of partner users of the generated population
(``bench.generate_data``). Prints a table and exits 1 if a budget is exceeded.
"""

import argparse
import random
import statistics
import sys
import time

from bench.common import percentile, setup_django_as_in_production

BUDGETS_MS = {"asset list": 25.0, "asset detail": 25.0, "download": 15.0}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="Requests per endpoint.")
    parser.add_argument("--users", type=int, default=20, help="Partner users to sample.")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from cms.models import Asset
    from partners.models import PartnerMembership
    from partners.services import api_token_issue

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
    clients = []
    for membership in memberships:
        _token, plaintext = api_token_issue(user=membership.user, name="bench")
        visible = list(Asset.objects.visible_to(membership.user).values_list("pk", flat=True)[:200])
        clients.append((Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}"), visible))

    filters = ["", "type=battlecard", "type=document&ordering=title", "product=product-7", "page=3"]

    def list_request(client, visible):
        return client.get(f"/api/v1/assets?page_size=20&{rng.choice(filters)}")

    def detail_request(client, visible):
        return client.get(f"/api/v1/assets/{rng.choice(visible)}")

    def download_request(client, visible):
        response = client.get(f"/api/v1/assets/{rng.choice(visible)}/download")
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    print(f"{Asset.objects.count()} assets; database {connection.vendor}; {len(clients)} partner users sampled")
    print(f"{'endpoint':<14} {'p50 ms':>8} {'p95 ms':>8} {'budget':>8}")
    failed = False
    for name, make in (("asset list", list_request), ("asset detail", detail_request), ("download", download_request)):
        timings = []
        for n in range(args.warmup + args.requests):
            client, visible = rng.choice(clients)
            if not visible:
                continue
            started = time.perf_counter()
            response = make(client, visible)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code in (200, 302), (name, response.status_code)
            if n >= args.warmup:
                timings.append(elapsed)
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        budget = BUDGETS_MS[name]
        failed |= p95 > budget
        print(f"{name:<14} {p50:8.1f} {p95:8.1f} {budget:8.0f}  {'OVER BUDGET' if p95 > budget else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
