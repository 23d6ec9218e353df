"""Integration tests run against real services started by ``devtools/stack/`` (DESIGN §7).

``make test`` runs this folder inside ``python -m devtools.stack run``, which starts
PostgreSQL, Redis, Elasticsearch and an S3 server and passes their URLs in the
environment. With ``CI=true`` a missing service fails the run; elsewhere the tests
are skipped with the command to start them.

Sign-in flows (issue 15) also get Keycloak (``keycloak``, ``keycloak_admin``) and a real
browser (``browser``, ``page``: Playwright driving Debian's ``chromium``); only the tests
that ask for them need them.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "DATABASE_URL": "PostgreSQL",
    "CELERY_BROKER_URL": "Redis",
    "ELASTICSEARCH_URL": "Elasticsearch",
    "AWS_S3_ENDPOINT_URL": "the S3 server",
}
HOW = "start them with `make stack` and `source .stack/dev/env`, or run `make test`"
# Playwright's own browser download is not reachable: it drives Debian's chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing():
    missing = [f"{what} ({name})" for name, what in REQUIRED.items() if not os.environ.get(name)]
    if os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql", ""):
        missing.append("PostgreSQL (DATABASE_URL is not a postgres:// URL)")
    return missing


def pytest_collection_modifyitems(config, items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.integration)

    # pytest-django's live_server is transactional: the flush after such a test also drops what migrations
    # made (Wagtail's default locale, the root page), which the tests after it would miss. They run last
    # (a stable sort keeps their order), and get that data back (``_migrations_data_for_the_live_server``).
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session", autouse=True)
def _require_services():
    # Never skipped: without its services an integration test fails, saying how to start them.
    missing = _missing()
    if missing:
        pytest.fail(f"Integration services missing: {', '.join(missing)}. {HOW}.", pytrace=False)


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real ``celery worker`` process consuming from Redis, on the same test database.

    One per module, stopped after it: a worker kept for the whole session would still be consuming while the
    fault tests run their own workers (taking their tasks, with other settings), and would not outlive their
    Redis restarts (kombu stops a worker whose broker goes away under it)."""
    from django.db import connection

    from cms.celery import app

    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # The worker must see the database pytest-django created, not the development one.
        "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
    }
    (ROOT / ".stack").mkdir(exist_ok=True)  # a stack run elsewhere (--dir /tmp/...) has not made it
    log = open(ROOT / ".stack" / "celery-worker.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--loglevel=INFO",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"itest-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}; see .stack/celery-worker.log")
            if app.control.ping(timeout=0.5, destination=[f"itest-{os.getpid()}@{os.uname().nodename}"]):
                break
        else:
            pytest.fail("the Celery worker did not answer a ping within 60s; see .stack/celery-worker.log")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def _database_url_for(name: str) -> str:
    url = os.environ["DATABASE_URL"]
    return url.rsplit("/", 1)[0] + "/" + name


def _missing_infrastructure(what: str, how: str):
    pytest.fail(f"{what} missing: {how}.", pytrace=False)


# --- Keycloak (devtools/keycloak): the partners' and the vendor's identity providers -----------


@pytest.fixture(scope="session")
def keycloak():
    """The running Keycloak (``KeycloakServer``): its URL and realms (clients, secrets, users, passwords)."""
    from devtools.keycloak.idp import KeycloakServer

    if not os.environ.get("KEYCLOAK_URL"):
        _missing_infrastructure("Keycloak (KEYCLOAK_URL)", HOW)
    return KeycloakServer.from_env(os.environ)


@pytest.fixture
def keycloak_admin(keycloak):
    """Keycloak's admin API, to change a user in their IdP (groups, enabled); undone after the test."""
    admin = keycloak.admin()
    yield admin
    admin.restore()


# --- A real browser: Playwright driving Debian's chromium -----------------------------------


@pytest.fixture(scope="session")
def browser(_serialized_migrations_data):
    """One headless chromium for the session; each test gets its own context from ``page``."""
    from devtools.browser import chromium_path

    executable = chromium_path()
    if not executable:
        _missing_infrastructure("Debian's chromium", "run `make browser` as root, or `sudo apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
    # beside it. The tests are synchronous: allow it while the browser lives, as pytest-playwright's users do.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies: no IdP session carried over) and a page in it."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def screenshot_dir():
    """Where browser tests save what a person would see (``.stack/screenshots``, kept after the run)."""
    path = ROOT / ".stack" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def _serialized_migrations_data(django_db_setup):
    """The copy of what migrations made that pytest-django serialized when it created the test database.

    Read before Playwright starts: Django's connections are context-local, and under Playwright's sync API the
    tests get a connection object that never had the copy, so serialized rollback would restore nothing.
    """
    from django.db import connections

    return getattr(connections["default"], "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def _migrations_data_for_the_live_server(request, _serialized_migrations_data):
    """A live-server (browser) test gets what migrations made (the root page, groups, permissions), and hands the
    copy to the connection it runs on, so that serialized rollback works again for the tests after it."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from wagtail.models import Page

    if _serialized_migrations_data is None:
        pytest.fail("The test database was created without a serialized copy of its migrations' data.")
    connection._test_serialized_contents = _serialized_migrations_data
    if not Page.objects.exists():
        connection.creation.deserialize_db_from_string(_serialized_migrations_data)
    # Every content type in Django's cache, as after any portal page: the next live-server test restores the
    # migrations' data, and Wagtail's ``Page()`` asks for its content type while being restored, before the
    # content types themselves are; a cache miss there inserts a row that collides with the restored one.
    ContentType.objects.get_for_models(*apps.get_models())


# --- The portal in a browser: contexts signed in without the form, at a chosen width ---------------------


@pytest.fixture
def new_context(browser, live_server, settings):
    """``new_context(user=None, viewport=None)``: a browser context on the live server (relative URLs work).

    With a ``user``, already signed in: a session made as the test client's ``force_login`` makes it, its cookie
    handed to the browser (the sign-in form itself is tested once, in the flows). Closed after the test.
    The live server is the site's public address here (``PARTNERHUB_PUBLIC_URL``: links in PDFs and e-mails).
    """
    from django.test import Client

    settings.PARTNERHUB_PUBLIC_URL = live_server.url

    contexts = []

    def make(user=None, *, viewport=None):
        context = browser.new_context(
            locale="en-US", viewport=viewport or {"width": 1280, "height": 900}, base_url=live_server.url
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context

    yield make
    for context in contexts:
        context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight(timeout: float = 15.0) -> None:
    """Wait until no other client of the test database is inside a query or a transaction.

    A closed browser may leave a request running in the live server (a player's last commit as its page
    goes); the flush after a transactional test would then deadlock with that request's transaction.
    Connections still busy after ``timeout`` seconds are ended, so that the flush does not hang on them,
    and the test fails naming each one (its application, state, for how long, and its query).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            # Inside a transaction PostgreSQL shows one snapshot of pg_stat_activity until it is cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT pid, application_name, state, now() - xact_start, left(query, 200) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                "AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')"
            )
            busy = cursor.fetchall()
            if not busy:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [[row[0] for row in busy]])
    named = "; ".join(
        f"pid {pid} ({application or 'no application name'}) {state} for {age}: {query}"
        for pid, application, state, age, query in busy
    )
    pytest.fail(
        f"{len(busy)} connection(s) to the test database still busy after {timeout:g} s, ended so that the "
        f"database can be flushed: {named}",
        pytrace=False,
    )
