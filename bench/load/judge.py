"""Read Locust's statistics (``<prefix>_stats.csv``), print them per endpoint and judge them against the target.

The target (issue 19, on the 2-core machine with every service on it): at least 150 requests/s sustained for
the whole run (3 minutes by default), p95 at most 250 ms, and not one error. p95 is judged over all requests
and per endpoint (a partner waiting on search is not consoled by fast feeds); rows in ``NOT_JUDGED`` (the S3
server's own answers) are reported, their errors count, their latency is not the hub's.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Target:
    requests_per_second: float = 150.0
    p95_ms: float = 250.0
    min_seconds: float = 180.0


@dataclass(frozen=True)
class Row:
    method: str
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float

    @property
    def label(self) -> str:
        # Our names carry their method ("GET /api/v1/feed"); Locust's aggregated row has none.
        return self.name


def _number(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):  # Locust writes "N/A" for a row without requests
        return 0.0


def read_stats(path: Path) -> list[Row]:
    """The rows of Locust's ``_stats.csv``, the aggregated row last."""
    with Path(path).open(newline="") as handle:
        rows = [
            Row(
                method=record["Type"],
                name=record["Name"],
                requests=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                rps=_number(record["Requests/s"]),
                p50=_number(record["50%"]),
                p95=_number(record["95%"]),
                p99=_number(record["99%"]),
            )
            for record in csv.DictReader(handle)
        ]
    rows.sort(key=lambda row: row.name == AGGREGATED)
    return rows


def judge(rows: list[Row], *, seconds: float, target: Target, not_judged=frozenset()) -> list[str]:
    """Why the run missed its target, one sentence per miss; empty when it passed."""
    total = next((row for row in rows if row.name == AGGREGATED), None)
    if total is None or total.requests == 0:
        return ["no request was made"]
    misses = []
    if total.failures:
        failed = ", ".join(f"{row.label} ({row.failures})" for row in rows if row.failures and row is not total)
        misses.append(f"{total.failures} request(s) failed: {failed}")
    if seconds < target.min_seconds:
        misses.append(f"the run lasted {seconds:.0f} s, under the {target.min_seconds:.0f} s the target asks")
    if total.rps < target.requests_per_second:
        misses.append(f"{total.rps:.1f} requests/s, under the target of {target.requests_per_second:.0f}")
    for row in rows:
        if row.name in not_judged or not row.requests:
            continue
        if row.p95 > target.p95_ms:
            misses.append(f"{row.label}: p95 {row.p95:.0f} ms, over {target.p95_ms:.0f} ms")
    return misses


def table(rows: list[Row], *, not_judged=frozenset()) -> str:
    """The report: requests, failures, requests/s and p50/p95/p99 per endpoint, the total last."""
    width = max([len(row.label) for row in rows] + [8])
    heads = f"{'requests':>8} {'fails':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    lines = [f"{'endpoint':<{width}} {heads}"]
    for row in rows:
        if row.name == AGGREGATED:
            lines.append("-" * len(lines[0]))
        note = "  (not judged: the S3 server's time)" if row.name in not_judged else ""
        lines.append(
            f"{row.label:<{width}} {row.requests:>8} {row.failures:>5} {row.rps:>7.1f} "
            f"{row.p50:>7.0f} {row.p95:>7.0f} {row.p99:>7.0f}{note}"
        )
    return "\n".join(lines)
