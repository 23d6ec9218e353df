"""Faults of real services while partners use the hub (issue 19, item 2): what they saw and what was stored.

* PostgreSQL restarted under requests to a real gunicorn (kept connections, ``DATABASE_CONN_MAX_AGE``):
  the gap answers 503 + ``Retry-After`` (the API's JSON error, the portal's plain page), never another
  5xx, and every request after the restart succeeds with the same gunicorn.
* Elasticsearch killed (SIGKILL) and started again under searches: they answer from the database
  fallback meanwhile, with no 5xx; a publish and an expiry made during the outage reach the index
  when the reconciliation task runs after it returns.
* Beat stopped for an hour of simulated time (time-machine): what expired meanwhile is never served
  (the read path applies the live window itself), and the sweep's next run catches up once, in
  order (publish, expire, then archive; one audit entry and one webhook per transition).

The services are stopped and started with ``devtools.stack.control`` (the stack's folder comes from
``PARTNERHUB_STACK_DIR``): same port, same data. Elasticsearch restarts once for the module (20-40 s).
"""

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
import requests
import time_machine

from cms.factories import AssetFactory
from cms.gating.lifecycle import AUTO_ARCHIVE_ACTION, EXPIRE_ACTION, SCHEDULED_PUBLISH_ACTION
from cms.models import Asset, WebhookDelivery, WebhookEndpoint
from cms.outages import UNAVAILABLE
from cms.tasks import lifecycle_sweep
from devtools.stack import control
from devtools.stack.processes import StackError, free_port
from search.client import get_client
from search.documents import document_id
from search.index import alias_name
from search.models import PendingSearchSync
from search.selectors import OUTAGE_KEY
from search.services import search_reindex
from search.tasks import reconcile_search_index
from tests.conftest import make_token_user
from tests.integration.conftest import ROOT, _database_url_for

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module")
def stack():
    try:
        return control.stack_dir()
    except StackError as error:
        pytest.fail(f"{error}.", pytrace=False)


@pytest.fixture(scope="module")
def web(django_db_setup, django_db_blocker):
    """The hub under gunicorn (two sync workers, connections kept 60 s) on the test database: its base URL."""
    with django_db_blocker.unblock():
        database_url = _database_url_for(connection.settings_dict["NAME"])
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",  # the hard case: kept connections that a restart breaks
        "SEARCH_OUTAGE_SECONDS": "3",  # back on Elasticsearch soon after it returns
    }
    (ROOT / ".stack").mkdir(exist_ok=True)
    log = open(ROOT / ".stack" / "faults-gunicorn.log", "w")  # noqa: SIM115 - closed at teardown
    command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"]
    command.append("--no-control-socket")  # several gunicorns on one machine would share ~/.gunicorn/gunicorn.ctl
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with {process.returncode}; see .stack/faults-gunicorn.log")
            try:
                requests.get(f"{url}/api/v1/nothing", timeout=10)
                break
            except requests.RequestException:  # not listening yet, or still loading the app
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not answer within 60 s; see .stack/faults-gunicorn.log")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@dataclass
class Answer:
    started: float
    path: str
    status: int
    retry_after: str | None
    content_type: str
    body: object


class Load:
    """Requests in a loop from a thread, each answer recorded, until stopped."""

    def __init__(self, base: str, paths: list[str], headers: dict, cookies: dict | None = None):
        self.base, self.paths, self.answers, self.errors = base, paths, [], []
        self.session = requests.Session()
        self.session.headers.update(headers)
        self.session.cookies.update(cookies or {})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for path in self.paths:
                started = time.monotonic()
                try:
                    response = self.session.get(self.base + path, timeout=30, allow_redirects=False)
                except requests.RequestException as error:  # gunicorn itself must never stop answering
                    self.errors.append(error)
                    continue
                is_json = response.headers.get("Content-Type", "").startswith("application/json")
                body = response.json() if is_json else response.text
                self.answers.append(
                    Answer(
                        started,
                        path,
                        response.status_code,
                        response.headers.get("Retry-After"),
                        response.headers.get("Content-Type", ""),
                        body,
                    )
                )
                time.sleep(0.05)  # steady load that leaves the restarting service some CPU on a small machine

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=60)

    def since(self, moment: float) -> list[Answer]:
        return [answer for answer in self.answers if answer.started >= moment]

    def wait_for(self, predicate, *, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                pytest.fail(f"{what} within {timeout:.0f}s")
            time.sleep(0.1)


def in_index(pk) -> bool:
    return get_client().exists(index=alias_name(), id=document_id("asset", pk))


# --- The stack's own stop and start ------------------------------------------------------------------


def test_one_service_stops_and_starts_again_on_its_port_with_its_data(stack):
    """What the fault tests rely on (``devtools.stack.control``), shown on Redis, the quickest to restart."""
    import redis

    url = os.environ["REDIS_URL"]
    before = control.read_state(stack)["services"]["redis"]
    redis.Redis.from_url(url).set("faults:probe", "kept")
    control.stop_service(stack, "redis")  # a clean stop writes dump.rdb
    assert not control.is_listening(before["port"])
    assert control.read_state(stack)["services"]["redis"]["pid"] is None
    with pytest.raises(StackError, match="not running"):
        control.stop_service(stack, "redis")
    assert control.start_service(stack, "redis")["REDIS_URL"] == url  # the same port, so the same URL
    after = control.read_state(stack)["services"]["redis"]
    assert after["port"] == before["port"] and after["pid"] != before["pid"]
    assert redis.Redis.from_url(url).get("faults:probe") == b"kept"

    control.restart_service(stack, "redis", kill=True)  # a crash: Redis runs without persistence
    assert redis.Redis.from_url(url).get("faults:probe") is None


# --- PostgreSQL restarted ----------------------------------------------------------------------


@live_data
def test_a_postgresql_restart_answers_503_with_retry_after_and_the_app_recovers_by_itself(stack, web):
    partner = make_token_user()
    AssetFactory(title="Price list")
    portal = Client()
    portal.force_login(partner.user)
    cookies = {settings.SESSION_COOKIE_NAME: portal.cookies[settings.SESSION_COOKIE_NAME].value}
    api_paths = ["/api/v1/assets", "/api/v1/me"]
    headers = {"Authorization": f"Bearer {partner.token}"}
    for path in [*api_paths, "/"]:
        assert requests.get(web + path, headers=headers, cookies=cookies, timeout=10).status_code == 200, path

    with Load(web, [*api_paths, "/"], headers, cookies) as load:
        load.wait_for(lambda: len(load.answers) >= 6, timeout=20, what="no answers before the restart")
        control.stop_service(stack, "postgres")
        down = time.monotonic()
        load.wait_for(lambda: len(load.since(down)) >= 6, timeout=20, what="no answers while the database was away")
        starting = time.monotonic()
        control.start_service(stack, "postgres")
        back = time.monotonic()
        load.wait_for(lambda: len(load.since(back)) >= 15, timeout=30, what="too few answers after the restart")
    connection.close()  # this process's own connection died with the server; the next query reconnects

    unavailable = [answer for answer in load.answers if answer.status == 503]
    away, restart = starting - down, back - starting
    print(f"PostgreSQL away {away:.1f}s, back in {restart:.1f}s: {len(unavailable)}/{len(load.answers)} answers 503")
    assert load.errors == []
    statuses = {answer.status for answer in load.answers}
    assert statuses <= {200, 503}, statuses
    gap = [answer for answer in load.since(down) if answer.started < starting]
    assert unavailable and all(answer.status == 503 for answer in gap)  # the gap was seen, and only as 503
    for answer in unavailable:
        assert answer.retry_after == str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
        if answer.path.startswith("/api/"):
            assert answer.body == {"detail": UNAVAILABLE}  # the API's JSON error shape
        else:
            assert answer.content_type.startswith("text/html") and "Briefly unavailable" in answer.body
    after = load.since(back)
    assert [answer for answer in after if answer.status != 200] == []  # every request once it is back
    assert {answer.path for answer in after} == {*api_paths, "/"}
    assert any(answer.body.get("count") == 1 for answer in after if answer.path == "/api/v1/assets")


# --- Elasticsearch killed and started again ------------------------------------------------------


@pytest.fixture
def empty_index():
    def drop():
        client = get_client()
        for name in client.indices.get(index=f"{alias_name()}*"):
            client.indices.delete(index=name, ignore=[404])

    drop()
    yield
    drop()


@live_data
def test_elasticsearch_killed_search_falls_back_and_changes_reach_the_index_after_it_returns(stack, web, empty_index):
    partner = make_token_user()
    AssetFactory(title="Price list")
    expiring = AssetFactory(title="Price sheet", expire_at=timezone.now() + timedelta(seconds=2))
    search_reindex()
    headers = {"Authorization": f"Bearer {partner.token}"}
    paths = ["/api/v1/search?q=price", "/api/v1/search/suggest?q=pri", "/api/v1/assets"]

    def titles(answer):
        return {hit["title"] for hit in answer.body["results"]}

    def searches(answers):
        return [answer for answer in answers if answer.path == paths[0]]

    with Load(web, paths, headers) as load:
        load.wait_for(lambda: len(load.answers) >= 3, timeout=20, what="no answers before the kill")
        assert searches(load.answers)[0].body["backend"] == "elasticsearch"
        killed = time.monotonic()
        control.stop_service(stack, "elasticsearch", kill=True)
        # While it is away: a publish, and an expiry by the real sweep; neither can reach the index now.
        added = AssetFactory(title="Price calculator")
        time.sleep(max(0.0, (expiring.expire_at - timezone.now()).total_seconds()) + 0.1)
        assert lifecycle_sweep.apply().get().startswith("0 published, 1 expired")
        assert set(PendingSearchSync.objects.values_list("item_id", flat=True)) == {added.pk, expiring.pk}
        changed = time.monotonic()
        load.wait_for(lambda: len(searches(load.since(changed))) >= 2, timeout=20, what="no searches in the outage")
        control.start_service(stack, "elasticsearch")
        back = time.monotonic()
        assert in_index(expiring.pk) and not in_index(added.pk)  # the index missed both changes
        assert reconcile_search_index.apply().get()  # what beat runs every few minutes
        reconciled = time.monotonic()
        cache.delete(OUTAGE_KEY)
        load.wait_for(
            lambda: any(answer.body["backend"] == "elasticsearch" for answer in searches(load.since(reconciled))),
            timeout=30,
            what="search did not go back to Elasticsearch",
        )

    outage = [answer for answer in searches(load.since(killed)) if answer.started < back]
    print(f"Elasticsearch away {back - killed:.1f}s: {len(outage)} searches from the database")
    assert load.errors == []
    assert [answer for answer in load.answers if answer.status >= 500] == []
    assert {answer.status for answer in load.answers} == {200}
    assert outage and {answer.body["backend"] for answer in outage} == {"database"}
    for answer in searches(load.since(changed)):  # never the expired sheet, from either backend
        assert "Price sheet" not in titles(answer)
    assert [a for a in load.since(changed) if a.path == paths[1] and a.body == []] == []  # suggest kept answering
    assert not in_index(expiring.pk) and in_index(added.pk)
    assert not PendingSearchSync.objects.exists()
    final = [answer for answer in searches(load.since(reconciled)) if answer.body["backend"] == "elasticsearch"]
    assert final and titles(final[-1]) == {"Price list", "Price calculator"}


# --- Beat stopped for an hour of simulated time ---------------------------------------------------


@pytest.mark.django_db
def test_beat_stopped_for_an_hour_serves_nothing_expired_and_the_sweep_catches_up_once_in_order(client, empty_index):
    partner = make_token_user()
    start = timezone.now().replace(microsecond=0)
    archive_days = timedelta(days=settings.ARCHIVE_AFTER_EXPIRY_DAYS)
    with time_machine.travel(start, tick=False):  # beat's last sweep ran now, then beat stopped
        kept = AssetFactory(title="Rebate deck kept", expire_at=start + timedelta(hours=2))
        expires = AssetFactory(title="Rebate deck expiring", expire_at=start + timedelta(minutes=10))
        flash = AssetFactory(title="Rebate deck flash", live=False)
        flash.go_live_at, flash.expire_at = start + timedelta(minutes=20), start + timedelta(minutes=40)
        flash.save_revision().publish()  # scheduled: goes live at 20 past, expires at 40 past
        archive_due = AssetFactory(title="Rebate deck old", live=False)
        Asset.objects.filter(pk=archive_due.pk).update(
            expired=True, expire_at=start - archive_days + timedelta(minutes=30)
        )
        long_missed = AssetFactory(title="Rebate deck missed")  # its expiry was missed long ago: expire, then archive
        Asset.objects.filter(pk=long_missed.pk).update(expire_at=start - archive_days - timedelta(days=1))
        search_reindex()
    WebhookEndpoint.objects.create(name="Portal", url="https://hooks.example.com/partnerhub")  # every event

    def served(now) -> dict:
        with time_machine.travel(now, tick=False):
            listed = {a["id"] for a in client.get("/api/v1/assets", **partner.headers).json()["results"]}
            found = {
                h["id"] for h in client.get("/api/v1/search", {"q": "rebate"}, **partner.headers).json()["results"]
            }
            details = {
                asset.pk
                for asset in (kept, expires, flash, archive_due, long_missed)
                if client.get(f"/api/v1/assets/{asset.pk}", **partner.headers).status_code == 200
            }
            return {"list": listed, "search": found, "detail": details}

    # No sweep runs during the hour: the read path applies the live window itself.
    assert served(start + timedelta(minutes=5)) == {
        "list": {kept.pk, expires.pk},
        "search": {kept.pk, expires.pk},
        "detail": {kept.pk, expires.pk},
    }
    for minutes in (11, 30, 59):
        assert served(start + timedelta(minutes=minutes)) == {
            "list": {kept.pk},
            "search": {kept.pk},
            "detail": {kept.pk},
        }

    logs_before = ModelLogEntry.objects.count()
    with time_machine.travel(start + timedelta(hours=1), tick=False):  # beat is back: its next sweep
        assert lifecycle_sweep.apply().get().startswith("1 published, 3 expired, 2 archived")
        assert lifecycle_sweep.apply().get().startswith("0 published, 0 expired, 0 archived")  # nothing twice

    entries = list(ModelLogEntry.objects.order_by("pk")[logs_before:].values_list("object_id", "action"))
    assert sorted(entries) == sorted(
        [
            (str(flash.pk), SCHEDULED_PUBLISH_ACTION),
            (str(flash.pk), EXPIRE_ACTION),
            (str(expires.pk), EXPIRE_ACTION),
            (str(long_missed.pk), EXPIRE_ACTION),
            (str(long_missed.pk), AUTO_ARCHIVE_ACTION),
            (str(archive_due.pk), AUTO_ARCHIVE_ACTION),
        ]
    )  # each transition once
    assert entries.index((str(flash.pk), SCHEDULED_PUBLISH_ACTION)) < entries.index((str(flash.pk), EXPIRE_ACTION))
    assert entries.index((str(long_missed.pk), EXPIRE_ACTION)) < entries.index(
        (str(long_missed.pk), AUTO_ARCHIVE_ACTION)
    )
    deliveries = sorted((d.payload["id"], d.event) for d in WebhookDelivery.objects.order_by("pk"))
    assert deliveries == sorted(
        [
            (flash.pk, "published"),
            (flash.pk, "expired"),
            (expires.pk, "expired"),
            (long_missed.pk, "expired"),
            (long_missed.pk, "archived"),
            (archive_due.pk, "archived"),
        ]
    )  # one webhook per transition
    states = {a.pk: (a.live, a.expired, a.archived_at is not None) for a in Asset.objects.all()}
    assert states == {
        kept.pk: (True, False, False),
        expires.pk: (False, True, False),
        flash.pk: (False, True, False),
        archive_due.pk: (False, True, True),
        long_missed.pk: (False, True, True),
    }
    assert served(start + timedelta(hours=1)) == {"list": {kept.pk}, "search": {kept.pk}, "detail": {kept.pk}}
