"""Certification compliance at scale: the partner admins' endpoint, the admin report, and the daily check.

    python -m bench.compliance_latency [--requests 200] [--admins 20] [--reports 10] [--warmup 10]

Needs the generated population (``bench.generate_data``: 5k partners, 50k users, about 27k
certificates and tier requirements for Silver, Gold and Platinum). Measures, in-process
through Django's test client (no network):

* ``GET /api/v1/me/partner/compliance`` as sampled partner admins: p50/p95;
* the admin report "Certifications: tier compliance" over every partner (first page, and
  the CSV export of all rows) as a superuser: p50/p95;
* ``compliance_check`` (the daily job) over every partner: its duration, first run (raising
  the alerts, no e-mail) and second run (all still open).

DESIGN §8 sets no budget for these; the numbers below are this benchmark's: a partner API
read like the asset list (25 ms), an admin report page within a second, and the daily job
within a minute. Prints a table and exits 1 if a budget is exceeded, 2 if it cannot run.
"""

import argparse
import random
import statistics
import sys
import time

from bench.common import percentile, setup_django_as_in_production

BUDGETS_MS = {"compliance API": 25.0, "admin report": 1000.0, "report CSV": 2000.0, "daily check": 60_000.0}


def timed(requests: int, warmup: int, call) -> list[float]:
    timings = []
    for n in range(warmup + requests):
        started = time.perf_counter()
        call()
        if n >= warmup:
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="Compliance API requests.")
    parser.add_argument("--admins", type=int, default=20, help="Partner admins to sample.")
    parser.add_argument("--reports", type=int, default=10, help="Admin report requests (each over every partner).")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings

    from certifications.models import Certificate, ComplianceAlert, TierRequirement
    from certifications.services import compliance_check
    from partners.models import Partner, PartnerMembership
    from partners.services import api_token_issue

    settings.ALLOWED_HOSTS = ["*"]
    # The admin's pages ask for static files: without a collectstatic manifest, plain static URLs (same work).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    rng = random.Random(args.seed)
    if not TierRequirement.objects.exists():
        print("No tier requirements: run `python -m bench.generate_data` first.")
        return 2
    admins = list(
        PartnerMembership.objects.filter(roles__key="admin", user__is_active=True, partner__is_active=True)
        .select_related("user")
        .order_by("?")[: args.admins]
    )
    clients = []
    for membership in admins:
        _token, plaintext = api_token_issue(user=membership.user, name="bench")
        clients.append(Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}"))
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True, "email": "bench-admin@example.test"}
    )
    admin_client = Client()
    admin_client.force_login(staff)
    report = "/admin/reports/certifications/compliance/"

    def api_call():
        response = rng.choice(clients).get("/api/v1/me/partner/compliance")
        assert response.status_code == 200, response.status_code

    def report_call():
        response = admin_client.get(report)
        assert response.status_code == 200, response.status_code

    def csv_call():
        response = admin_client.get(report + "?export=csv")
        assert response.status_code == 200, response.status_code
        b"".join(response.streaming_content)

    results = {
        "compliance API": timed(args.requests, args.warmup, api_call),
        "admin report": timed(args.reports, 2, report_call),
        "report CSV": timed(max(3, args.reports // 3), 1, csv_call),
    }
    ComplianceAlert.objects.all().delete()
    check_runs = []
    for _ in range(2):  # first: raises the alerts; second: every alert still open
        started = time.perf_counter()
        counts = compliance_check(notify=False)
        check_runs.append(((time.perf_counter() - started) * 1000, counts))

    print(
        f"{Partner.objects.count()} partners, {Certificate.objects.count()} certificates; "
        f"database {connection.vendor}; {len(clients)} partner admins sampled"
    )
    print(f"{'measure':<16} {'p50 ms':>9} {'p95 ms':>9} {'budget':>9}")
    failed = False
    for name, timings in results.items():
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        budget = BUDGETS_MS[name]
        failed |= p95 > budget
        print(f"{name:<16} {p50:9.1f} {p95:9.1f} {budget:9.0f}  {'OVER BUDGET' if p95 > budget else 'ok'}")
    for label, (elapsed, counts) in zip(("daily check 1st", "daily check 2nd"), check_runs, strict=True):
        budget = BUDGETS_MS["daily check"]
        failed |= elapsed > budget
        verdict = "OVER BUDGET" if elapsed > budget else "ok"
        print(f"{label:<16} {elapsed:9.1f} {'':>9} {budget:9.0f}  {verdict}  {counts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
