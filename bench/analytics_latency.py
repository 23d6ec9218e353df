"""Analytics at the bench population: the dashboard, scorecards and content performance within a second.

    python -m bench.analytics_latency [--requests 10] [--days 400] [--only NAME ...]

Needs the generated population (``bench.generate_data``: 100k assets, 5k partners, 50k users).
The first run adds ``--days`` days of rollup history in SQL (``ensure_history``: about a tenth
of the users active each day, skewed item popularity, a search vocabulary with misses, a
scorecard per partner and day for the last 120 days), then rolls up one day of raw records made
for it (``ensure_raw_day``: sign-ins, views, downloads, searches with their results and clicks)
and times that rollup as the worker runs it.

Each admin page is then requested as a superuser through Django's test client (in-process, no
network; ``DEBUG`` off) with a second factor (superusers must have one), and each request is followed by its
**floor**: the SQL that very request
ran, replayed on a cursor with every row fetched (``bench.floor.replay_sql``). Prints p50 and p95
of each page, of its floor, the ratio and the queries per request; exits 1 when a page's p95 is
over 1 s (issue 20), 2 when it cannot run.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta

from bench.common import admin_client, percentile, setup_django_as_in_production

BUDGET_MS = 1000.0
ROLLUP_BUDGET_S = 300.0
SCORE_DAYS = 120


def pages(partner_id: int, asset_id: int) -> dict[str, str]:
    """The timed pages: name -> URL."""
    return {
        "admin home": "/admin/",
        "engagement 30 days": "/admin/reports/engagement/",
        "engagement 90 days": "/admin/reports/engagement/?period=90",
        "engagement 365 days": "/admin/reports/engagement/?period=365",
        "engagement CSV": "/admin/reports/engagement/?period=90&csv=active",
        "scorecards": "/admin/reports/scorecards/",
        "scorecards by tier": "/admin/reports/scorecards/?tier=__TIER__",
        "scorecards CSV": "/admin/reports/scorecards/?export=csv",
        "scorecard exceptions": "/admin/reports/scorecards/exceptions/",
        "one scorecard": f"/admin/reports/scorecards/{partner_id}/",
        "content 7 days": "/admin/reports/content-performance/?period=7",
        "content 30 days": "/admin/reports/content-performance/",
        "content 90 days by partners": "/admin/reports/content-performance/?period=90&ordering=-partners",
        "content 365 days": "/admin/reports/content-performance/?period=365",
        "content 30 days, one tier": "/admin/reports/content-performance/?tier=__TIER__",
        "content one asset": f"/admin/reports/content-performance/asset/{asset_id}/",
        "content not found": "/admin/reports/content-performance/not-found/",
    }


def ensure_history(*, days: int) -> str:
    """``days`` days of rollups up to yesterday, written in SQL, when fewer are there."""
    from django.db import connection, transaction
    from django.utils import timezone

    from analytics.models import (
        DailyContentActivity,
        DailyPartnerActivity,
        DailySearchTerm,
        DailyUserActivity,
        PartnerScore,
        RollupRun,
    )

    last = timezone.localdate() - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    written = DailyPartnerActivity.objects.filter(day__in=[first, last]).values("day").distinct().count()
    if written == 2:
        return f"rollup history already there ({first} to {last})"
    started = time.perf_counter()
    span = {"first": first, "last": last, "score_first": last - timedelta(days=SCORE_DAYS - 1)}
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (
            DailyUserActivity,
            DailyPartnerActivity,
            DailyContentActivity,
            DailySearchTerm,
            PartnerScore,
            RollupRun,
        ):
            model.objects.filter(day__gte=first, day__lte=last).delete()
        cursor.execute(
            """
            INSERT INTO analytics_dailyuseractivity
                (day, user_id, partner_id, sign_ins, views, downloads, searches, acknowledgements, learning)
            SELECT d::date, m.user_id, m.partner_id, 1 + (random() < 0.3)::int, floor(random() * 6),
                   floor(random() * 3), floor(random() * 3), (random() < 0.05)::int, floor(random() * 2)
            FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
            JOIN partners_partnermembership m ON random() < 0.08
            """,
            span,
        )
        cursor.execute(
            """
            INSERT INTO analytics_dailypartneractivity
                (day, partner_id, active_users, sign_ins, views, downloads, searches, searches_without_results,
                 acknowledgements, enrolments, completions, certificates_issued, certificates_expiring)
            SELECT day, partner_id, count(*), sum(sign_ins), sum(views), sum(downloads), sum(searches),
                   floor(sum(searches) * 0.12), sum(acknowledgements), floor(sum(learning) * 0.3),
                   floor(sum(learning) * 0.2), (random() < 0.1)::int, (random() < 0.2)::int
            FROM analytics_dailyuseractivity WHERE day BETWEEN %(first)s AND %(last)s
            GROUP BY day, partner_id
            """,
            span,
        )
        cursor.execute(
            """
            WITH ids AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS n FROM cms_asset)
            INSERT INTO analytics_dailycontentactivity
                (day, kind, item_id, partner_id, tier_id, region_id, views, downloads, impressions, clicks)
            SELECT u.day, 'asset', ids.a[1 + floor(ids.n * power(random(), 3))::int], u.partner_id, p.tier_id,
                   p.region_id, sum(u.views), sum(u.downloads), sum(u.searches * 3), sum((random() < 0.3)::int)
            FROM analytics_dailyuseractivity u
            JOIN partners_partner p ON p.id = u.partner_id
            CROSS JOIN ids
            WHERE u.day BETWEEN %(first)s AND %(last)s AND (u.views > 0 OR u.downloads > 0 OR u.searches > 0)
            GROUP BY 1, 2, 3, 4, 5, 6
            """,
            span,
        )
        cursor.execute(
            """
            INSERT INTO analytics_dailysearchterm (day, normalized, partner_id, searches, without_results, clicks)
            SELECT day, term, partner_id, count(*), sum(miss), sum((random() < 0.4 AND miss = 0)::int)
            FROM (
                SELECT day, partner_id, 'term ' || floor(3000 * power(random(), 2))::int AS term,
                       (random() < 0.12)::int AS miss
                FROM analytics_dailyuseractivity
                WHERE day BETWEEN %(first)s AND %(last)s AND searches > 0
            ) AS searched
            GROUP BY day, term, partner_id
            """,
            span,
        )
        cursor.execute(
            """
            INSERT INTO analytics_partnerscore
                (day, partner_id, members, active_users, sign_ins, downloads, searches, last_active_on, enrolments,
                 completions, overdue, tier_met, tier_falls_below_within, certifications_held,
                 certifications_required, bulletins_required, bulletins_acknowledged, engagement, learning,
                 certification, bulletins)
            SELECT d::date, p.id, 10, floor(random() * 10), floor(random() * 60), floor(random() * 40),
                   floor(random() * 40), d::date - floor(random() * 45)::int, floor(random() * 12),
                   floor(random() * 6), (random() < 0.15)::int * floor(1 + random() * 3), random() < 0.8,
                   NULL, floor(random() * 4), 3, 20, floor(random() * 20), round((random() * 100)::numeric, 1),
                   round((random() * 100)::numeric, 1), round((random() * 100)::numeric, 1),
                   round((random() * 100)::numeric, 1)
            FROM generate_series(%(score_first)s::date, %(last)s::date, interval '1 day') AS d
            CROSS JOIN partners_partner p
            WHERE p.is_active
            """,
            span,
        )
        cursor.execute(
            """
            INSERT INTO analytics_rolluprun (day, finished_at, seconds, complete)
            SELECT d::date, now(), 0, true
            FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
            """,
            span,
        )
        cursor.execute("ANALYZE")
    return f"rollup history of {days} days written in {time.perf_counter() - started:.0f}s"


def ensure_windows() -> str:
    """The distinct active users per partner the dashboard reads (``roll_up_windows``, as ``roll_up_day`` writes
    them each day): each preset's window on the day its previous period ends, and each Sunday's week."""
    from django.utils import timezone

    from analytics.models import PartnerWindowActivity
    from analytics.services import WINDOWS, roll_up_windows

    today = timezone.localdate()
    if PartnerWindowActivity.objects.filter(day=today - timedelta(days=365)).exists():
        return "active-user windows already there"
    started = time.perf_counter()
    rows = sum(roll_up_windows(day=today - timedelta(days=window)) for window in WINDOWS)
    sundays = [today - timedelta(days=n) for n in range(1, 372) if (today - timedelta(days=n)).weekday() == 6]
    rows += sum(roll_up_windows(day=sunday, windows=(7,)) for sunday in sundays)
    return f"active-user windows: {rows} rows in {time.perf_counter() - started:.0f}s"


def ensure_raw_day(rng) -> str:
    """Raw records of today for the rollup to read: about what a busy day of the population makes."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cms.models import ContentView

    today = timezone.localdate()
    if ContentView.objects.filter(viewed_at__date=today).count() > 1000:
        return "today's raw records already there"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_active ON COMMIT DROP AS
            SELECT m.user_id, m.partner_id FROM partners_partnermembership m WHERE random() < 0.1
            """
        )
        cursor.execute(
            """
            INSERT INTO accounts_signinevent (at, event, user_id, partner_id, identifier, user_agent, method, detail)
            SELECT now() - random() * interval '1 hour', 'sign_in.succeeded', user_id, partner_id, '', '', 'password',
                   '' FROM bench_active
            """
        )
        cursor.execute(
            """
            WITH ids AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS n FROM cms_asset)
            INSERT INTO cms_contentview (kind, item_id, user_id, partner_id, viewed_at)
            SELECT 'asset', ids.a[1 + floor(ids.n * power(random(), 3))::int], user_id, partner_id, now()
            FROM bench_active CROSS JOIN ids CROSS JOIN generate_series(1, 4)
            """
        )
        cursor.execute(
            """
            WITH ids AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS n FROM cms_asset)
            INSERT INTO cms_download (asset_id, user_id, partner_id, downloaded_at, cobranded)
            SELECT ids.a[1 + floor(ids.n * power(random(), 3))::int], user_id, partner_id, now(), false
            FROM bench_active CROSS JOIN ids WHERE random() < 0.6
            """
        )
        cursor.execute(
            """
            WITH ids AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS n FROM cms_asset)
            INSERT INTO search_searchquery
                (text, normalized, filters, result_count, backend, user_id, partner_id, created_at, results)
            SELECT t, t, '{}', CASE WHEN random() < 0.12 THEN 0 ELSE 10 END, 'elasticsearch', user_id, partner_id,
                   now(), jsonb_build_array(
                       jsonb_build_array('asset', ids.a[1 + floor(ids.n * power(random(), 3))::int]),
                       jsonb_build_array('asset', ids.a[1 + floor(ids.n * power(random(), 3))::int]))
            FROM (SELECT *, 'term ' || floor(3000 * power(random(), 2))::int AS t FROM bench_active) AS searching
            CROSS JOIN ids CROSS JOIN generate_series(1, 2)
            """
        )
    return f"today's raw records written in {time.perf_counter() - started:.0f}s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--days", type=int, default=400, help="Days of rollup history to make (first run).")
    parser.add_argument("--only", action="append", help="Only the pages whose name starts with this (repeatable).")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    import random

    from django.db import connection
    from django.utils import timezone

    from analytics.services import roll_up_day
    from bench.floor import SqlRecorder, replay_sql
    from cms.models import Asset
    from partners.models import Partner, PartnerMembership, Tier

    rng = random.Random(args.seed)
    if PartnerMembership.objects.count() < 1000:
        print("No bench population: run `python -m bench.generate_data` first.")
        return 2
    print(ensure_history(days=args.days), flush=True)
    print(ensure_windows(), flush=True)
    print(ensure_raw_day(rng), flush=True)
    started = time.perf_counter()
    rolled = roll_up_day(day=timezone.localdate())
    rollup_seconds = time.perf_counter() - started
    print(
        f"rollup of today: {rollup_seconds:.1f}s ({rolled.users} active users, {rolled.items} item rows, "
        f"{rolled.terms} search terms, {rolled.scores} scorecards)",
        flush=True,
    )

    client = admin_client()
    partner = Partner.objects.filter(is_active=True).order_by("?").first()
    asset = Asset.objects.order_by("pk").first()
    tier = Tier.objects.order_by("rank").last()
    recorder = SqlRecorder()
    rows = []
    failed = False
    with connection.execute_wrapper(recorder):
        for name, url in pages(partner.pk, asset.pk).items():
            if args.only and not any(name.startswith(prefix) for prefix in args.only):
                continue
            url = url.replace("__TIER__", str(tier.pk))
            timings, floors, queries = [], [], []
            for n in range(args.warmup + args.requests):
                recorder.queries, recorder.on = [], True
                begun = time.perf_counter()
                response = client.get(url)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                elapsed = (time.perf_counter() - begun) * 1000
                recorder.on = False
                if response.status_code != 200:
                    print(f"{name}: {url} answered {response.status_code}")
                    return 2
                if n >= args.warmup:
                    timings.append(elapsed)
                    floors.append(replay_sql(recorder.queries))
                    queries.append(len(recorder.queries))
            p95 = percentile(timings, 95)
            failed |= p95 > BUDGET_MS
            rows.append((name, statistics.median(timings), p95, statistics.median(floors), statistics.median(queries)))

    print(
        f"{Asset.objects.count()} assets, {PartnerMembership.objects.count()} partner users, "
        f"{Partner.objects.count()} partners; database {connection.vendor}"
    )
    print(f"{'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'floor':>8} {'ratio':>6} {'queries':>7}  budget {BUDGET_MS:.0f}")
    for name, p50, p95, floor, queries in rows:
        verdict = "OVER BUDGET" if p95 > BUDGET_MS else "ok"
        ratio = p50 / floor if floor else float("nan")
        print(f"{name:<26} {p50:8.1f} {p95:8.1f} {floor:8.1f} {ratio:5.1f}x {queries:7.0f}  {verdict}")
    rollup_verdict = "OVER BUDGET" if rollup_seconds > ROLLUP_BUDGET_S else "ok"
    print(f"{'rollup of a day':<26} {rollup_seconds * 1000:8.0f} ms  budget {ROLLUP_BUDGET_S:.0f} s  {rollup_verdict}")
    failed |= rollup_seconds > ROLLUP_BUDGET_S
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
