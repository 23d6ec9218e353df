"""The link checker against a real HTTP server on 127.0.0.1: what is broken, politeness, recovery, the SSRF guard."""

import ipaddress
import itertools
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from cms.factories import AssetFactory, LinkAssetFactory
from cms.hygiene.probe import AddressGuard, HostPacer, Outcome, Prober
from cms.models import Asset, LinkCheck
from cms.services.link_checks import RUN_LOCK, LinkCheckBusy, interleaved, link_checks_run
from cms.webhook_targets import TargetRefused

from .linkserver import LinkServer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2027, 5, 10, 8, 0, tzinfo=UTC)


@pytest.fixture
def server():
    server = LinkServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def checker_settings(settings):
    settings.LINK_CHECK_TIMEOUT = 0.4
    settings.LINK_CHECK_HOST_INTERVAL = 0.0
    settings.LINK_CHECK_MAX_REDIRECTS = 3
    settings.LINK_CHECK_MAX_PER_RUN = 100
    settings.LINK_CHECK_MAX_SECONDS = 60
    settings.LINK_CHECK_INTERVAL_HOURS = 24
    settings.LINK_CHECK_USER_AGENT = "PartnerHub-LinkChecker/test"
    # The guard stays on; the test server's addresses are exempt, as an on-premises host would be.
    settings.LINK_CHECK_BLOCK_PRIVATE_ADDRESSES = True
    settings.LINK_CHECK_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    cache.delete(RUN_LOCK)


def link(url, **kwargs) -> Asset:
    return LinkAssetFactory(external_url=url, **kwargs)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- what counts as broken -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "broken", "status", "error"),
    [
        ("/ok", False, 200, ""),
        ("/moved", False, 200, ""),
        ("/no-head", False, 200, ""),
        ("/missing", True, 404, "HTTP 404 Not Found"),
        ("/error", True, 500, "HTTP 500 Internal Server Error"),
        ("/slow", True, None, "No answer within 0.4 seconds."),
        ("/loop-a", True, 302, "Redirect loop"),
        ("/chain/1", True, 302, "Too many redirects (more than 3)."),
    ],
)
def test_each_answer_is_recorded_as_broken_or_ok(server, path, broken, status, error):
    asset = link(server.url(path))

    run = link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert (check.is_broken, check.status_code) == (broken, status)
    assert check.error.startswith(error)
    assert check.url == asset.external_url
    assert (check.broken_since is not None) == broken
    assert check.failures == (1 if broken else 0)
    assert (run.checked, run.broken, run.ok) == (1, int(broken), int(not broken))


def test_a_refused_connection_is_broken():
    asset = link(f"http://127.0.0.1:{closed_port()}/gone")

    link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert check.is_broken
    assert check.status_code is None
    assert check.error == "Could not connect: connection refused."


def test_an_unknown_host_is_broken(settings):
    settings.LINK_CHECK_ALLOWED_HOSTS = ["no-such-host.invalid"]
    asset = link("http://no-such-host.invalid/page")

    link_checks_run()

    assert LinkCheck.objects.get(asset=asset).error == "Could not connect: no-such-host.invalid was not found."


def test_head_first_then_get_when_head_is_refused_with_a_descriptive_user_agent(server):
    link(server.url("/ok"))
    link(server.url("/no-head"))
    link(server.url("/missing"))

    link_checks_run()

    assert sorted(server.paths()) == sorted(
        [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head"), ("HEAD", "/missing"), ("GET", "/missing")]
    )
    assert {seen.user_agent for seen in server.requests} == {"PartnerHub-LinkChecker/test"}


def test_redirects_are_followed_and_where_they_led_is_kept(server):
    asset = link(server.url("/moved"))

    link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert server.paths() == [("HEAD", "/moved"), ("HEAD", "/ok")]
    assert check.final_url == server.url("/ok")


def test_a_redirect_loop_stops_at_the_first_repeat(server):
    link(server.url("/loop-a"))

    link_checks_run()

    assert server.paths() == [("HEAD", "/loop-a"), ("HEAD", "/loop-b")]


def test_too_many_requests_is_recorded_but_neither_broken_nor_recovered(server):
    asset = link(server.url("/busy"))

    run = link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert run.inconclusive == 1
    assert (check.is_broken, check.status_code, check.failures) == (False, 429, 0)
    assert "come back later" in check.error


# --- which links, when, recovery -----------------------------------------------------------------


def test_only_external_urls_of_assets_not_archived_are_checked(server):
    checked = link(server.url("/ok"))
    link(server.url("/missing"), archived_at=timezone.now(), live=False)
    AssetFactory()  # a file, no URL

    run = link_checks_run()

    assert run.checked == 1
    assert list(LinkCheck.objects.values_list("asset_id", flat=True)) == [checked.pk]


def test_a_broken_link_stays_broken_since_its_first_failure_and_recovers_when_it_answers_again(server):
    asset = link(server.url("/toggle"))
    with time_machine.travel(NOW, tick=True):
        link_checks_run()
    first = LinkCheck.objects.get(asset=asset)
    assert first.is_broken and first.failures == 1

    with time_machine.travel(NOW + timedelta(hours=2), tick=True):
        assert link_checks_run().checked == 0  # not due before LINK_CHECK_INTERVAL_HOURS
    with time_machine.travel(NOW + timedelta(days=1, hours=1), tick=True):
        link_checks_run()
    again = LinkCheck.objects.get(asset=asset)
    assert (again.is_broken, again.failures, again.broken_since) == (True, 2, first.broken_since)
    assert again.checked_at > first.checked_at

    server.toggle_status = 200
    with time_machine.travel(NOW + timedelta(days=2, hours=2), tick=True):
        link_checks_run()
    recovered = LinkCheck.objects.get(asset=asset)
    assert (recovered.is_broken, recovered.broken_since, recovered.failures, recovered.error) == (False, None, 0, "")
    assert recovered.status_code == 200
    assert recovered.last_ok_at == recovered.checked_at


def test_a_changed_url_is_due_at_once_and_starts_afresh(server):
    asset = link(server.url("/missing"))
    link_checks_run()
    assert LinkCheck.objects.get(asset=asset).is_broken

    Asset.objects.filter(pk=asset.pk).update(external_url=server.url("/ok"))
    run = link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert run.checked == 1
    assert (check.url, check.is_broken, check.failures) == (server.url("/ok"), False, 0)


# --- politeness: pace per host, cap per run --------------------------------------------------------


def test_requests_to_one_host_keep_the_pace_and_hosts_are_interleaved(server, settings):
    settings.LINK_CHECK_HOST_INTERVAL = 0.25
    for n in range(3):
        link(server.url(f"/ok?n={n}"))
        link(server.url(f"/ok?n={n}", host="localhost"))

    run = link_checks_run()

    assert (run.checked, run.ok) == (6, 6)
    by_host = {}
    for seen in server.requests:
        by_host.setdefault(seen.host.split(":")[0], []).append(seen.at)
    assert set(by_host) == {"127.0.0.1", "localhost"}
    for times in by_host.values():
        assert all(later - earlier >= 0.24 for earlier, later in itertools.pairwise(times))
    hosts_in_order = [seen.host.split(":")[0] for seen in server.requests]
    assert hosts_in_order[:2] in (["127.0.0.1", "localhost"], ["localhost", "127.0.0.1"])  # not all of one first
    assert run.seconds < 6 * 0.25  # the other host's turn fills the pause


def test_a_run_checks_at_most_the_cap_the_stalest_first_and_the_next_run_carries_on(server, settings):
    settings.LINK_CHECK_MAX_PER_RUN = 3
    assets = [link(server.url(f"/ok?n={n}")) for n in range(5)]
    for asset in assets[3:]:  # checked long ago: due, after the never-checked ones
        LinkCheck.objects.create(asset=asset, url=asset.external_url, checked_at=timezone.now() - timedelta(days=3))

    first = link_checks_run()
    second = link_checks_run()

    assert (first.checked, first.left) == (3, 2)
    assert (second.checked, second.left) == (2, 0)
    first_paths = [path for _, path in server.paths()[:3]]
    assert first_paths == ["/ok?n=0", "/ok?n=1", "/ok?n=2"]
    assert LinkCheck.objects.count() == 5


def test_a_run_starts_no_check_after_its_time_budget(server, settings):
    settings.LINK_CHECK_MAX_SECONDS = 0
    link(server.url("/ok"))

    run = link_checks_run()

    assert (run.checked, run.left) == (0, 1)
    assert server.requests == []


def test_one_run_at_a_time(server):
    link(server.url("/ok"))
    cache.add(RUN_LOCK, "another", 60)

    with pytest.raises(LinkCheckBusy):
        link_checks_run()
    assert server.requests == []


def test_the_pacer_waits_only_what_is_left_of_the_interval():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    pacer = HostPacer(interval=2.0, clock=lambda: now[0], sleep=sleep)

    pacer.wait("a.example")
    now[0] += 0.5
    pacer.wait("a.example")
    pacer.wait("b.example")

    assert slept == [1.5]


def test_interleaving_takes_the_host_that_may_be_asked_first():
    pacer = HostPacer(interval=10.0, clock=lambda: 0.0, sleep=lambda s: None)
    links = [
        (1, "https://a.example/1"),
        (2, "https://a.example/2"),
        (3, "https://b.example/1"),
        (4, "https://a.example/3"),
    ]
    order = []
    for pk, url in interleaved(links, pacer):
        order.append(pk)
        pacer.last[url.split("/")[2]] = float(len(order))
    assert order == [1, 3, 2, 4]


# --- the SSRF guard --------------------------------------------------------------------------------


def test_the_guard_refuses_loopback_when_the_host_is_not_exempt(server, settings):
    settings.LINK_CHECK_ALLOWED_HOSTS = []
    asset = link(server.url("/ok"))

    link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert check.is_broken
    assert check.error == "Not checked: the URL points at a private address (127.0.0.1)."
    assert server.requests == []  # never connected


def test_the_guard_checks_every_redirect_hop(server, settings):
    settings.LINK_CHECK_ALLOWED_HOSTS = ["localhost"]  # the first hop's host only
    asset = link(server.url("/moved", host="localhost").replace("/moved", "/loop-b"))  # redirects to 127.0.0.1

    link_checks_run()

    check = LinkCheck.objects.get(asset=asset)
    assert check.error.startswith("Not checked: the URL points at a private address")
    assert [path for _, path in server.paths()] == ["/loop-b"]


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.10", "169.254.169.254", "100.64.0.1", "::1", "fd00::1"])
def test_the_guard_refuses_private_addresses_before_connecting(address, monkeypatch):
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))])
    connected = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connected.append(addr))

    with pytest.raises(TargetRefused):
        AddressGuard(block_private=True).connect("intranet.example", 80, 1.0)
    assert connected == []


def test_the_guard_can_be_turned_off_for_tests_only(server):
    prober = Prober(user_agent="test", timeout=1.0, guard=AddressGuard(block_private=False))

    assert prober.check(server.url("/ok")).outcome == Outcome.OK
    assert Prober(user_agent="test", timeout=1.0).check(server.url("/ok")).outcome == Outcome.BROKEN


def test_production_settings_always_block_private_addresses():
    """Whatever the environment says: in production an exempt host is named, the guard is never off."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="partners.example.com",
        CLAMAV_URL="tcp://127.0.0.1:3310",  # production requires a virus scanner
        LINK_CHECK_BLOCK_PRIVATE_ADDRESSES="false",
    )
    code = "from django.conf import settings as s; print(s.LINK_CHECK_BLOCK_PRIVATE_ADDRESSES)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


# --- the command and the scheduled task ---------------------------------------------------------------


def test_the_command_checks_one_asset_now_due_or_not(server, capsys):
    asset = link(server.url("/missing"))
    other = link(server.url("/ok"))
    LinkCheck.objects.create(asset=asset, url=asset.external_url, checked_at=timezone.now())  # not due

    call_command("check_links", "--asset", str(asset.pk))

    assert LinkCheck.objects.get(asset=asset).is_broken
    assert not LinkCheck.objects.filter(asset=other).exists()
    captured = capsys.readouterr()
    assert "1 checked: 0 ok, 1 broken" in captured.out
    assert "link" in captured.err  # tqdm's bar


def test_the_command_checks_one_host(server):
    on_host = link(server.url("/ok", host="localhost"))
    elsewhere = link(server.url("/ok"))

    call_command("check_links", "--host", "LOCALHOST", "--no-progress")

    assert LinkCheck.objects.filter(asset=on_host).exists()
    assert not LinkCheck.objects.filter(asset=elsewhere).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--asset", "999999"], "No asset with an external URL matches"),
        (["--host", "https://x.example/"], "--host takes a host name"),
        (["--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_the_command_says_what_is_wrong(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("check_links", "--no-progress", *args)


def test_the_command_refuses_while_a_run_goes_on():
    cache.add(RUN_LOCK, "another", 60)
    with pytest.raises(CommandError, match="Another link check run is going on"):
        call_command("check_links", "--no-progress")


def test_beat_runs_the_checker(server, settings):
    from cms.tasks import check_links

    asset = link(server.url("/error"))

    result = check_links.delay().get()

    assert settings.CELERY_BEAT_SCHEDULE["check-links"]["task"] == "cms.tasks.check_links"
    assert result.startswith("1 checked: 0 ok, 1 broken")
    assert LinkCheck.objects.get(asset=asset).is_broken


def test_the_report_shows_what_the_checker_found(server, superuser_client):
    for path in ("/ok", "/missing", "/error", "/slow", "/loop-a", "/moved"):
        link(server.url(path), title=f"Link {path}")
    link(f"http://127.0.0.1:{closed_port()}/", title="Link refused")

    link_checks_run()
    response = superuser_client.get(reverse("cms_reports:broken_links"))

    assert response.status_code == 200
    assert sorted(item.title for item in response.context["object_list"]) == [
        "Link /error", "Link /loop-a", "Link /missing", "Link /slow", "Link refused",
    ]  # fmt: skip
    html = response.content.decode()
    for text in ("HTTP 404 Not Found", "HTTP 500 Internal Server Error", "No answer within 0.4 seconds.",
                 "Redirect loop", "connection refused"):  # fmt: skip
        assert text in html
