"""Reports → Content performance at scale: its pages over a year of daily content rollups.

    python -m bench.content_performance [--days 365] [--rows-per-day 20000] [--terms-per-day 2000] [--requests 5]

Needs the generated population (``bench.generate_data``: 100k assets, 5k partners) on PostgreSQL. When the
rollup tables are empty it fills them, a day at a time as the worker does (so the rows lie in day order): each day
``--rows-per-day`` rows of ``DailyContentActivity`` (an item and a partner; nine in ten assets, their popularity
skewed as in a real library, the rest programs, bulletins and courses) and ``--terms-per-day`` rows of
``DailySearchTerm``. Then measures, in-process through Django's test client as a superuser (no network), the
report's default page (last 30 days, most viewed first), sorted by partners, over 365 days, filtered by kind and
tier, the "Not found" page, the most viewed item's breakdown, and the CSV export of the default period.

Issue 20's budget: every report page within a second; the export is measured, not budgeted. Prints a table and
exits 1 if a page is over budget, 2 if it cannot run.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta

from bench.common import admin_client, percentile, setup_django_as_in_production

BUDGET_MS = 1000.0


CONTENT_DAY = """
    INSERT INTO analytics_dailycontentactivity
        (day, kind, item_id, partner_id, tier_id, region_id, views, downloads, impressions, clicks)
    SELECT %(day)s, r.kind, r.item_id, p.id, p.tier_id, p.region_id,
           (random() < 0.3)::int, (random() < 0.1)::int, 1 + floor(3 * random())::int, (random() < 0.05)::int
    FROM (
        SELECT CASE WHEN k < 0.9 THEN 'asset' WHEN k < 0.95 THEN 'program'
                    WHEN k < 0.98 THEN 'bulletin' ELSE 'course' END AS kind,
               CASE WHEN k < 0.9 THEN 1 + floor(%(assets)s * power(random(), 3))::int
                    ELSE 1 + floor(300 * random())::int END AS item_id,
               1 + floor(%(partners)s * random())::int AS n
        FROM (SELECT random() AS k FROM generate_series(1, %(rows)s)) g
    ) r
    JOIN (SELECT id, tier_id, region_id, row_number() OVER (ORDER BY id) AS n FROM partners_partner) p ON p.n = r.n
    ON CONFLICT DO NOTHING
"""
TERMS_DAY = """
    INSERT INTO analytics_dailysearchterm (day, normalized, partner_id, searches, without_results, clicks)
    SELECT %(day)s, 'query ' || floor(20000 * power(random(), 2))::int, p.id,
           1 + floor(3 * random())::int, (random() < 0.2)::int, (random() < 0.4)::int
    FROM (SELECT 1 + floor(%(partners)s * random())::int AS n FROM generate_series(1, %(rows)s)) r
    JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM partners_partner) p ON p.n = r.n
    ON CONFLICT DO NOTHING
"""


def fill(table: str, statement: str, *, days: int, rows_per_day: int) -> None:
    """``days`` days of rollups up to today, written a day at a time in SQL (in day order, as the worker writes
    them; without the raw records)."""
    from django.db import connection
    from django.utils import timezone

    from tqdm import tqdm

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 1) FROM cms_asset")
        assets = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM partners_partner")
        partners = cursor.fetchone()[0]
        for offset in tqdm(range(days - 1, -1, -1), desc=table, unit="day"):
            day = today - timedelta(days=offset)
            cursor.execute(statement, {"day": day, "assets": assets, "partners": partners, "rows": rows_per_day})
        cursor.execute(f"ANALYZE {table}")


def timed(requests: int, call) -> list[float]:
    call()  # warm-up: plans, caches
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365, help="Days of rollups to write when there are none.")
    parser.add_argument("--rows-per-day", type=int, default=20_000, help="Item and partner rows a day.")
    parser.add_argument("--terms-per-day", type=int, default=2_000, help="Search term and partner rows a day.")
    parser.add_argument("--requests", type=int, default=5, help="Requests per page measured (after one warm-up).")
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    from django.db import connection
    from django.db.models import Sum
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.utils import timezone

    from analytics.models import DailyContentActivity, DailySearchTerm
    from partners.models import Partner, Tier

    if connection.vendor != "postgresql" or not Partner.objects.exists():
        print("Needs the bench population on PostgreSQL: run `python -m bench.generate_data` first.")
        return 2
    if not DailyContentActivity.objects.exists():
        fill("analytics_dailycontentactivity", CONTENT_DAY, days=args.days, rows_per_day=args.rows_per_day)
    if not DailySearchTerm.objects.exists():
        fill("analytics_dailysearchterm", TERMS_DAY, days=args.days, rows_per_day=args.terms_per_day)

    client = admin_client()
    today = timezone.localdate()
    month = DailyContentActivity.objects.filter(day__gt=today - timedelta(days=30))
    top = month.values("kind", "item_id").annotate(views=Sum("views")).order_by("-views").first()
    gold = Tier.objects.order_by("-rank").first()
    base = "/admin/reports/content-performance/"
    pages = {
        "report, 30 days": base,
        "sorted by partners": f"{base}?ordering=-partners",
        "report, 365 days": f"{base}?period=365",
        "assets, top tier": f"{base}?kind=asset&tier={gold.pk}",
        "not found": f"{base}not-found/",
        "one item": f"{base}{top['kind']}/{top['item_id']}/",
    }
    try:
        get_template("analytics/includes/chart.html")
    except TemplateDoesNotExist:  # a branch without the engagement dashboard's chart include
        print("No analytics/includes/chart.html here: the item page is not measured.")
        del pages["one item"]

    def get(address):
        def call():
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)

        return call

    results = {name: timed(args.requests, get(address)) for name, address in pages.items()}
    export = timed(1, get(f"{base}?export=csv"))

    print(
        f"{DailyContentActivity.objects.count()} content rollup rows ({month.count()} in the last 30 days), "
        f"{DailySearchTerm.objects.count()} search term rows; database {connection.vendor}"
    )
    print(f"{'page':<20} {'p50 ms':>9} {'p95 ms':>9} {'budget':>9}")
    failed = False
    for name, timings in results.items():
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        failed |= p95 > BUDGET_MS
        print(f"{name:<20} {p50:9.1f} {p95:9.1f} {BUDGET_MS:9.0f}  {'OVER BUDGET' if p95 > BUDGET_MS else 'ok'}")
    print(f"{'CSV, 30 days':<20} {export[0]:9.1f} {'':>9} {'':>9}  (every item of the period)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
