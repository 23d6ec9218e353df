"""The parts of ``make load`` that need no stack: the mix, the judge of Locust's statistics, the profile summary and
gunicorn's settings. (The load itself is measured by ``make load``, never timed here; Locust is not imported: its
gevent would patch the test process.)"""

import ast
import ipaddress
import random
import runpy
from pathlib import Path

import pytest

from bench.load import judge, mix
from bench.load.profile import summary

ROOT = Path(__file__).resolve().parents[2]
# The columns Locust writes to <prefix>_stats.csv (StatsCSV.requests_csv_columns).
LOCUST_COLUMNS = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def stats_csv(tmp_path, rows) -> Path:
    """A Locust stats file: ``rows`` of (type, name, requests, failures, rps, p50, p95, p99)."""
    lines = [LOCUST_COLUMNS]
    for kind, name, requests, failures, rps, p50, p95, p99 in rows:
        lines.append(
            f"{kind},{name},{requests},{failures},{p50},{p50},1,{p99},900,{rps},0,{p50},0,0,0,0,{p95},0,{p99},0,0,0"
        )
    path = tmp_path / "locust_stats.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def good_rows():
    return [
        ("GET", mix.NAMES["feed"], 9000, 0, 50.0, 40, 120, 200),
        ("GET", mix.NAMES["download_file"], 900, 0, 5.0, 30, 400, 900),  # the S3 server's time: not judged
        ("", judge.AGGREGATED, 30000, 0, 160.0, 45, 180, 300),
    ]


# --- the mix --------------------------------------------------------------------------------------------------


def locust_user_methods() -> set[str]:
    tree = ast.parse((ROOT / "bench" / "load" / "locustfile.py").read_text())
    user = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "PartnerUser")
    return {node.name for node in user.body if isinstance(node, ast.FunctionDef)}


def test_every_action_of_the_mix_is_something_the_simulated_user_does():
    assert set(mix.WEIGHTS) <= locust_user_methods()
    assert all(weight > 0 for weight in mix.WEIGHTS.values())


def test_the_mix_covers_what_the_issue_asks_for():
    asked = {"feed", "asset_list", "asset_detail", "search", "suggest", "download", "courses", "lesson", "quiz"}
    assert asked <= set(mix.WEIGHTS)
    assert any(action.startswith("portal_") for action in mix.WEIGHTS)


def test_every_request_the_locustfile_names_has_a_report_row():
    source = (ROOT / "bench" / "load" / "locustfile.py").read_text()
    named = {node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)} & set(mix.NAMES)
    assert named | set(mix.WEIGHTS) >= set(mix.NAMES) - {"download_file"}
    assert len(set(mix.NAMES.values())) == len(mix.NAMES)  # one row per endpoint


def test_actions_are_picked_with_the_odds_of_their_weights():
    rng = random.Random(7)
    picks = [mix.pick_action(rng) for _ in range(20000)]
    total = sum(mix.WEIGHTS.values())
    for action, weight in mix.WEIGHTS.items():
        assert picks.count(action) / len(picks) == pytest.approx(weight / total, abs=0.01)


def test_downloads_and_quizzes_send_two_requests_and_the_shares_add_up():
    per = mix.requests_per_action()
    assert per["download"] == per["quiz"] == 2
    assert per["feed"] == 1
    assert sum(mix.expected_request_share().values()) == pytest.approx(1.0)


def test_each_simulated_user_has_its_own_valid_address():
    addresses = [mix.address_of(n) for n in range(70_000)]
    assert len(set(addresses)) == len(addresses)
    assert all(ipaddress.ip_address(a).is_private for a in addresses[::997])


# --- the judge ------------------------------------------------------------------------------------------------


def test_a_run_at_target_passes(tmp_path):
    rows = judge.read_stats(stats_csv(tmp_path, good_rows()))
    assert rows[-1].name == judge.AGGREGATED
    assert judge.judge(rows, seconds=181, target=judge.Target(), not_judged=mix.NOT_JUDGED) == []


def test_any_error_fails_the_run_and_names_the_endpoint(tmp_path):
    rows = good_rows()
    rows[0] = ("GET", mix.NAMES["feed"], 9000, 2, 50.0, 40, 120, 200)
    rows[-1] = ("", judge.AGGREGATED, 30000, 2, 160.0, 45, 180, 300)
    misses = judge.judge(
        judge.read_stats(stats_csv(tmp_path, rows)), seconds=181, target=judge.Target(), not_judged=mix.NOT_JUDGED
    )
    assert misses == [f"2 request(s) failed: {mix.NAMES['feed']} (2)"]


def test_too_few_requests_per_second_or_too_short_a_run_fails(tmp_path):
    rows = good_rows()
    rows[-1] = ("", judge.AGGREGATED, 20000, 0, 120.5, 45, 180, 300)
    misses = judge.judge(
        judge.read_stats(stats_csv(tmp_path, rows)), seconds=60, target=judge.Target(), not_judged=mix.NOT_JUDGED
    )
    assert misses == [
        "the run lasted 60 s, under the 180 s the target asks",
        "120.5 requests/s, under the target of 150",
    ]


def test_p95_is_judged_per_endpoint_except_the_s3_servers_own(tmp_path):
    rows = good_rows()
    rows[0] = ("GET", mix.NAMES["feed"], 9000, 0, 50.0, 40, 260, 400)
    misses = judge.judge(
        judge.read_stats(stats_csv(tmp_path, rows)), seconds=181, target=judge.Target(), not_judged=mix.NOT_JUDGED
    )
    assert misses == [f"{mix.NAMES['feed']}: p95 260 ms, over 250 ms"]


def test_a_row_without_requests_and_a_run_without_any(tmp_path):
    path = tmp_path / "locust_stats.csv"
    path.write_text(f"{LOCUST_COLUMNS}\n,Aggregated,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n")
    rows = judge.read_stats(path)
    assert rows[0].p95 == 0.0
    assert judge.judge(rows, seconds=181, target=judge.Target()) == ["no request was made"]


def test_the_report_has_a_line_per_endpoint_and_the_total_last(tmp_path):
    report = judge.table(judge.read_stats(stats_csv(tmp_path, good_rows())), not_judged=mix.NOT_JUDGED)
    lines = report.splitlines()
    assert lines[0].split()[:2] == ["endpoint", "requests"]
    assert lines[1].startswith(mix.NAMES["feed"]) and lines[1].split()[-3:] == ["40", "120", "200"]
    assert "not judged" in lines[2]
    assert lines[-1].startswith(judge.AGGREGATED)


# --- the profile and gunicorn ---------------------------------------------------------------------------------

RAW = """\
process 1:"gunicorn";handle (gunicorn/workers/sync.py:180);search (search/api.py:140);execute (psycopg/cursor.py:97) 30
process 1:"gunicorn";handle (gunicorn/workers/sync.py:180);search (search/api.py:140);as_sql (django/db/models/sql/compiler.py:700) 10
process 1:"gunicorn";handle (gunicorn/workers/sync.py:180);MappedPage.__getitem__ (cms/api.py:108);dumps (json/encoder.py:200) 20
process 1:"gunicorn";wait (gunicorn/workers/sync.py:40);select (selectors.py:400) 40
"""  # noqa: E501


def test_the_profile_summary_splits_samples_by_endpoint_and_kind_of_work():
    text = summary(RAW, view="search")
    assert "100 samples" in text
    assert "40.0%  (no view: idle, or between requests)" in text
    assert "40.0%  search (search/api.py)" in text
    assert "20.0%  list_assets (cms/api.py)" in text
    assert "75.0%  PostgreSQL (psycopg: round trips, rows)" in text
    assert "25.0%  ORM: compiling SQL" in text


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "")
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (5, 1, "sync")
    assert settings["preload_app"] is True and settings["control_socket_disable"] is True
    assert settings["max_requests_jitter"] == settings["max_requests"] // 10 > 0
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["worker_class"] == "gthread"
