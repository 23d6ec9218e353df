"""Screenshots of every portal page, from the demo, for the README: ``make screenshots``.

    python -m devtools.screenshots [--out docs/screenshots] [--keep] [--demo-dir DIR]

Builds the demo in a throwaway folder (SQLite, ``migrate`` and ``load_demo``; nothing of the checkout's own
database, media or var/ is touched), starts the development server on a free loopback port, signs in through
the sign-in form as the demo partner user (and the demo partner admin, for pages only they see), and saves a
PNG of every page of ``devtools.portal_pages.PAGES``, for each audience it lists, at 1440 and 375 px wide:
``<out>/<page>-<audience>-<width>.png``, the whole page cut at three screens. The PNGs are reduced to 256
colours (the UI's flat colours survive it; a file shrinks to about a third). The server is stopped at the
end, whatever happens. ``--keep`` keeps the throwaway folder; ``--demo-dir`` uses one kept before.

Needs Debian's chromium (``make browser`` installs it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from devtools.browser import chromium_path
from devtools.portal_pages import PARTNER, PARTNER_ADMIN, VISITOR, page_cases

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = {1440: 900, 375: 812}  # width: the viewport's height (the first screen, when not the full page)
MAX_SCREENS = 3
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# What would point the demo at the checkout's services or storage instead of the throwaway folder.
UNSET = (
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "SECRET_KEY",
)


class ScreenshotError(Exception):
    pass


def say(message: str) -> None:
    print(f"[screenshots] {message}", flush=True)


def throwaway_env(folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        PARTNERHUB_VAR_DIR=str(folder / "var"),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_MEDIA_ROOT=str(folder / "private-media"),
        PARTNERHUB_VERIFY_RATE="1000/m",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, log: Path) -> None:
    started = time.monotonic()
    with log.open("a") as out:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        tail = log.read_text()[-2000:]
        raise ScreenshotError(f"manage.py {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
    say(f"manage.py {' '.join(args)}: {time.monotonic() - started:.0f}s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str], *, log: Path):
    """The development server on a free loopback port; stopped (its whole process group) on the way out."""
    port = free_port()
    out = log.open("a")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise ScreenshotError(f"the server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise ScreenshotError(f"the server did not listen on port {port} within 60s; see {log}") from None
                time.sleep(0.3)
        say(f"server on http://127.0.0.1:{port} (pid {process.pid})")
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        out.close()
        say("server stopped")


def demo_users() -> dict[str, object]:
    """The users each audience is shown as: the demo partner user and the demo partner admin (read in-process)."""
    from django.contrib.auth import get_user_model

    from partners.demo import DEMO_PARTNER_ADMIN, DEMO_PARTNER_USER

    users = get_user_model().objects.in_bulk([DEMO_PARTNER_USER, DEMO_PARTNER_ADMIN], field_name="username")
    return {VISITOR: None, PARTNER: users[DEMO_PARTNER_USER], PARTNER_ADMIN: users[DEMO_PARTNER_ADMIN]}


def sign_in(context, base: str, user, password: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_load_state()
    if "/accounts/2fa/" in page.url or "/accounts/reauthenticate/" in page.url:
        raise ScreenshotError(f"{user.email} is asked for a second factor ({page.url}): the demo partner must not")
    if page.url.rstrip("/") != base:
        raise ScreenshotError(f"signing in as {user.email} ended at {page.url}, not the portal's home")
    page.close()


def shrink_png(path: Path) -> None:
    """256 colours, no dithering: the portal's flat colours and text stay crisp, the file about a third."""
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def screenshot_area(page, portal_page, width: int, height: int) -> dict:
    """The whole page, down to at most ``MAX_SCREENS`` screens (a feed on a phone is many metres long)."""
    if not portal_page.full_page:
        return {"full_page": False}
    tall = page.evaluate("() => document.documentElement.scrollHeight")
    return {"full_page": True, "clip": {"x": 0, "y": 0, "width": width, "height": min(tall, MAX_SCREENS * height)}}


def press(page, name: str) -> None:
    """Press the page's button ``name`` (a regular expression: "Start|Resume") and wait for what answers."""
    import re

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(f"^({name})$")).first.click()
    page.wait_for_load_state("networkidle")


def take(base: str, out: Path, users: dict, password: str, cases: list) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            contexts = {}
            for audience in sorted({audience for _page, audience, _url in cases}):
                context = browser.new_context(locale="en-US", viewport={"width": 1440, "height": WIDTHS[1440]})
                if users[audience] is not None:
                    sign_in(context, base, users[audience], password)
                contexts[audience] = context
            for n, (portal_page, audience, url) in enumerate(cases, start=1):
                page = contexts[audience].new_page()
                response = page.goto(base + url)
                if response is None or response.status != 200 or page.url != base + url:
                    status = response.status if response else "no response"
                    raise ScreenshotError(f"{url} as {audience}: HTTP {status}, at {page.url}")
                if portal_page.press:  # e.g. a package lesson's "Start": the answer frames the player
                    press(page, portal_page.press)
                sizes = []
                for width, height in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    path = out / f"{portal_page.name}-{audience}-{width}.png"
                    page.screenshot(path=path, **screenshot_area(page, portal_page, width, height))
                    shrink_png(path)
                    saved.append(path)
                    sizes.append(f"{width} px {path.stat().st_size // 1024} KB")
                page.close()
                say(f"[{n}/{len(cases)}] {portal_page.name} as {audience} ({url}): {', '.join(sizes)}")
        finally:
            browser.close()
    return saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway demo folder (its path is printed).")
    parser.add_argument("--demo-dir", type=Path, help="Use the demo a --keep run left there (kept again).")
    args = parser.parse_args(argv)

    if not chromium_path():
        say("ERROR: chromium is missing: run `make browser` (installs Debian's chromium, as root).")
        return 2
    reuse = args.demo_dir is not None and (args.demo_dir / "db.sqlite3").exists()
    folder = args.demo_dir.resolve() if reuse else Path(tempfile.mkdtemp(prefix="partnerhub-screenshots-"))
    log = folder / "demo.log"
    env = throwaway_env(folder)
    started = time.monotonic()
    try:
        say(f"demo in {folder} (log {log})")
        if not reuse:
            manage(env, "migrate", "--noinput", "-v0", log=log)
            manage(env, "load_demo", "--no-progress", log=log)
            manage(env, "previews_generate", log=log)  # what the worker would have made meanwhile

        os.environ.update(env)  # this process reads the same throwaway database for the pages' samples
        for key in UNSET:
            os.environ.pop(key, None)
        import django

        django.setup()
        from partners.demo import DEMO_PASSWORD

        users = demo_users()
        cases = [(page, audience, page.url_for(users[audience])) for page, audience in page_cases()]

        args.out.mkdir(parents=True, exist_ok=True)
        with running_server(env, log=log) as base:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop in this thread; the ORM is done
            saved = take(base, args.out, users, DEMO_PASSWORD, cases)
        for stale in sorted(set(args.out.glob("*.png")) - set(saved)):  # a page renamed or gone from the list
            stale.unlink()
            say(f"removed {stale.name} (no such page and audience any more)")
        total = sum(path.stat().st_size for path in saved)
        say(f"{len(saved)} PNGs, {total / 1024:.0f} KB in all, in {args.out} ({time.monotonic() - started:.0f}s)")
        return 0
    except ScreenshotError as error:
        say(f"ERROR: {error}")
        return 1
    finally:
        if args.keep or reuse:
            say(f"kept {folder} (again: --demo-dir {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
