"""Server time of every portal page (``devtools.portal_pages.PAGES``), p50/p95, against DESIGN §8's 100 ms.

    python -m bench.portal_latency [--requests 200] [--users 20] [--warmup 10] [--page home ...]

Runs in-process through Django's test client (middleware, session, the view, the audience rule, the
templates and the database; no network), signed in (a real session, as ``force_login`` makes it) as a
sample of the generated population's partner users (``bench.generate_data``), or signed out for the pages a
visitor sees. Each page is measured for every audience it lists, with each sampled user's own URL (the
pages' samples: ``devtools.portal_pages.SAMPLES``).

Beside each page, its **floor** in the same run: the SQL that one request of the page runs, captured once per
user and replayed raw (rows fetched and serialised as JSON), p50/p95 over the same number of replays. The
ratio page/floor is what the page adds to its queries (middleware, Python, templates); it is reported, and
only the 100 ms budget fails the run (exit 1). A page whose median is over three times the budget after 20
requests is reported then, without the rest of its requests.

The generated population has no bulletins, programs, portal links or courses: the first run adds a realistic
set (500 bulletins, 300 programs, 40 links, 60 courses of 12 lessons, audiences spread like the assets') with
bulk inserts.
"""

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time
import warnings
from datetime import timedelta

from bench.common import percentile, setup_django_as_in_production

BUDGET_MS = 100.0
# A page whose median is past HOPELESS x the budget after HOPELESS_AFTER requests is reported as it stands.
HOPELESS, HOPELESS_AFTER = 3, 20
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


def ensure_portal_content(rng, *, bulletins=500, programs=300, links=40, courses=60) -> str:
    """Bulletins, programs, portal links and courses for the feed, the links hub and Learning, once (bulk inserts)."""
    from django.db import transaction
    from django.utils import timezone

    from cms.models import Bulletin, Program
    from courses.models import Course, CourseModule, Lesson
    from home.models import PortalLink, PortalLinkIcon
    from partners.audience import audience_list_key
    from partners.models import PartnerType, Region, Role, Tier

    if Bulletin.objects.exists() or Course.objects.exists():
        return "portal content present"
    now = timezone.now()
    tiers, types = list(Tier.objects.all()), list(PartnerType.objects.all())
    regions, roles = list(Region.objects.all()), list(Role.objects.all())

    def audience():
        shares = (("partner_types", types, 0.2), ("regions", regions, 0.2), ("roles", roles, 0.15))
        lists = {
            field: (rng.sample(options, rng.randint(1, 2)) if rng.random() < share else [])
            for field, options, share in shares
        }
        keys = {f"audience_{field}_key": audience_list_key([o.pk for o in chosen]) for field, chosen in lists.items()}
        return lists, {"min_tier": rng.choice([None, None, *tiers]), **keys}

    def gated(model, count, make):
        rows, lists = [], []
        for n in range(count):
            chosen, fields = audience()
            rows.append(model(**fields, **make(n)))
            lists.append(chosen)
        rows = model.objects.bulk_create(rows, batch_size=2000)
        for field in ("partner_types", "regions", "roles"):
            m2m = model._meta.get_field(field)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            pairs = [
                through(**{f"{source}_id": row.pk, f"{target}_id": option.pk})
                for row, chosen in zip(rows, lists, strict=True)
                for option in chosen[field]
            ]
            through.objects.bulk_create(pairs, batch_size=5000)

    def published(n):
        at = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
        return {"live": True, "first_published_at": at, "last_published_at": at}

    with transaction.atomic():
        gated(
            Bulletin,
            bulletins,
            lambda n: {
                "title": f"Benchmark bulletin {n}",
                "summary": "Generated for benchmarks.",
                "pinned": n < 10,
                "requires_acknowledgement": rng.random() < 0.25,
                **published(n),
            },
        )
        gated(Program, programs, lambda n: {"title": f"Benchmark program {n}", "summary": "Generated", **published(n)})
        icons = PortalLinkIcon.values
        gated(
            PortalLink,
            links,
            lambda n: {
                "title": f"Partner system {n}",
                "description": "Generated for benchmarks.",
                "url": f"https://systems.example/{n}",
                "icon": icons[n % len(icons)],
                "sort_order": n,
                "is_active": True,
            },
        )
        gated(
            Course,
            courses,
            lambda n: {
                "title": f"Benchmark course {n}",
                "summary": "Generated for benchmarks.",
                "estimated_minutes": 30 + n % 60,
                **published(n),
            },
        )
        modules = CourseModule.objects.bulk_create(
            CourseModule(course=course, title=f"Module {m + 1}", sort_order=m)
            for course in Course.objects.all()
            for m in range(3)
        )
        Lesson.objects.bulk_create(
            (Lesson(module=module, title=f"Lesson {n + 1}", sort_order=n) for module in modules for n in range(4)),
            batch_size=2000,
        )
    return f"added {bulletins} bulletins, {programs} programs, {links} portal links, {courses} courses of 12 lessons"


def sampled_users(audience: str, count: int):
    from django.db.models import Exists, OuterRef

    from certifications.models import Certificate
    from devtools.portal_pages import PARTNER_ADMIN
    from partners.models import PARTNER_ADMIN_ROLE, PartnerMembership

    memberships = PartnerMembership.objects.filter(user__is_active=True, partner__is_active=True)
    if audience == PARTNER_ADMIN:
        memberships = memberships.filter(roles__key=PARTNER_ADMIN_ROLE)
    else:  # people with a certificate, so that every page (a certificate's own too) has something to show
        memberships = memberships.filter(Exists(Certificate.objects.filter(user=OuterRef("user"))))
    return [m.user for m in memberships.select_related("user").order_by("?")[:count]]


def replay(queries: list[str]) -> float:
    """Run the SQL as it was sent (parameters inlined), fetch and serialise the rows; milliseconds. Writes are
    rolled back."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql)
                if cursor.description is not None:
                    json.dumps(cursor.fetchall(), default=str)
        transaction.set_rollback(True)
    return (time.perf_counter() - started) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page and audience.")
    parser.add_argument("--users", type=int, default=20, help="Users sampled per signed-in audience.")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--page", action="append", help="Only this page (by name; repeatable).")
    args = parser.parse_args(argv)

    os.environ.setdefault("PARTNERHUB_VERIFY_RATE", "1000000/m")  # the public verification page is rate limited
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here (below)
    setup_django_as_in_production()
    from django.conf import settings

    # Production serves collected, hashed static files (``collectstatic``'s manifest); here their URLs are built
    # unhashed instead of running collectstatic first: a dictionary lookup less per URL than production.
    from django.test import override_settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()  # resets the storage
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.models import Asset
    from devtools.portal_pages import VISITOR, NoSample, page_cases

    rng = random.Random(args.seed)
    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sampled user's sign-in otherwise
    cases = [(page, audience) for page, audience in page_cases() if not args.page or page.name in args.page]
    if not cases:
        print(f"No such page: {args.page}")
        return 2
    started = time.monotonic()
    print(ensure_portal_content(rng), f"({time.monotonic() - started:.1f}s)")

    clients = {}  # audience -> [(client, user)]
    for audience in sorted({audience for _page, audience in cases}):
        if audience == VISITOR:
            clients[audience] = [(Client(), None)]
            continue
        users = sampled_users(audience, args.users)
        if not users:
            print(f"No {audience} users: run `python -m bench.generate_data` first.")
            return 2
        clients[audience] = []
        for user in users:
            client = Client()
            client.force_login(user)
            clients[audience].append((client, user))

    print(
        f"{Asset.objects.count()} assets; database {connection.vendor}; "
        f"{', '.join(f'{len(c)} {a}' for a, c in clients.items())} sampled; {args.requests} requests per page"
    )
    print(f"{'page':<22} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'floor p95':>9} {'ratio':>6} {'budget':>7}")
    failed = False
    for page, audience in cases:
        targets = []  # (client, url, the SQL one request of it runs)
        for client, user in clients[audience]:
            try:
                url = page.url_for(user)
            except NoSample as error:
                print(f"{page.name}: {error}")
                return 2
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (page.name, audience, url, response.status_code)
            sql = [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(TRANSACTION_CONTROL)]
            targets.append((client, url, sql))

        timings, floors = [], []
        for n in range(args.warmup + args.requests):
            client, url, sql = rng.choice(targets)
            t0 = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, (page.name, audience, url, response.status_code)
            floor = replay(sql)
            if n >= args.warmup:
                timings.append(elapsed)
                floors.append(floor)
            if len(timings) == HOPELESS_AFTER and statistics.median(timings) > HOPELESS * BUDGET_MS:
                break  # far over budget: more requests would only make `make bench` longer
        p50, p95, floor95 = statistics.median(timings), percentile(timings, 95), percentile(floors, 95)
        over = p95 > BUDGET_MS
        failed |= over
        queries = max(len(sql) for _c, _u, sql in targets)
        stopped = f" (stopped after {len(timings)} requests)" if len(timings) < args.requests else ""
        print(
            f"{page.name + ' (' + audience + ')':<22} {queries:>7} {p50:8.1f} {p95:8.1f} {floor95:9.1f} "
            f"{p95 / floor95:5.1f}x {BUDGET_MS:6.0f}  {'OVER BUDGET' if over else 'ok'}{stopped}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
