"""The SCORM runtime in a real browser (Debian's chromium) on a live server, as a learner uses it on two devices.

- SCORM 1.2: a package uploaded through the service, launched; the learner answers one question and suspends;
  on "another device" (a new browser context, no cookies, a new launch) the SCO resumes with the answer and the
  place restored from the server; the learner finishes, and the attempt on the server is completed and passed
  with its score (the manifest's mastery score decided).
- SCORM 2004, three SCOs (choice and flow): the first SCO finished and Next, the second suspended; a new
  device resumes at the second SCO with its answer; both remaining SCOs finished through Next; the attempt is
  completed and passed with the mean score.

The player is checked for what a person sees at 375 and 1440 px (screenshots, no sideways scrolling, axe-core).
"""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

import pytest
from playwright.sync_api import expect

from elearning import samples
from elearning.models import PackageAttempt, ScoRuntime
from elearning.services import package_upload
from elearning.services.runtime import launch_start, launch_url
from partners.factories import partner_user

from .accessibility import DESKTOP, PHONE, assert_accessible, assert_fits_the_width

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _content_types_cached():
    """Every model's content type in Django's cache, as after any portal page: the next live-server test restores
    the migrations' data (serialized rollback), and Wagtail's ``Page()`` asks for its content type while being
    restored, before the content types themselves are; a cache miss there inserts a row that collides with the
    restored one. These tests never render a portal page, so they warm the cache themselves."""
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def ann():
    return partner_user(user__first_name="Ann", user__last_name="Doe", user__email="ann@acme.example")


def device(new_context, viewport=DESKTOP):
    """A new browser on its own (no hub session, no cookies): the launch link is its only credential."""
    return new_context(viewport=viewport).new_page()


def open_player(page, *, user, package, context="lesson:1"):
    _, token = launch_start(user=user, package=package, context=context)
    page.goto(launch_url(token))
    return page.frame_locator("#player-frame")


def save_shot(page, screenshot_dir: Path, name: str) -> None:
    path = screenshot_dir / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    extra = os.environ.get("RUNTIME_SHOTS_DIR")  # e.g. /work/shots/runtime for a person to look at
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)


@live_data
def test_scorm12_answer_suspend_resume_on_another_device_and_pass(new_context, ann, screenshot_dir):
    package = package_upload(
        file=ContentFile(samples.scorm12_sco_zip(title="Security basics", mastery_score=80), name="security.zip"),
        user=None,
    )

    page = device(new_context)
    sco = open_player(page, user=ann, package=package)
    expect(page.get_by_role("heading", level=1, name="Security basics")).to_be_visible()
    expect(sco.locator("#status")).to_have_text("Ready.")
    sco.locator("#q1-b").click()
    expect(sco.locator("#status")).to_have_text("Answer saved.")
    sco.locator("#suspend").click()
    expect(sco.locator("#status")).to_have_text(re.compile("^Suspended"))
    row = ScoRuntime.objects.get(attempt__user=ann, unit="item-1")
    assert row.exit == "suspend" and row.location == "q1" and '"q1":"b"' in row.suspend_data
    assert row.interactions_count == 1 and row.total_seconds > 0

    # Another device: a new launch of the same attempt; the CMI comes from the server.
    page = device(new_context, viewport=PHONE)
    sco = open_player(page, user=ann, package=package)
    expect(sco.locator("#status")).to_have_text("Welcome back: your answers are restored.")
    expect(sco.locator("#q1-b")).to_have_attribute("aria-pressed", "true")
    assert_fits_the_width(page, where="the SCORM 1.2 player at 375 px")
    save_shot(page, screenshot_dir, "runtime-scorm12-375")
    sco.locator("#q2-a").click()
    expect(sco.locator("#status")).to_have_text("Answer saved.")
    sco.locator("#finish").click()
    expect(sco.locator("#status")).to_have_text("Finished: 100% (passed).")

    attempt = PackageAttempt.objects.get(user=ann, package=package)
    assert (attempt.completion_status, attempt.success_status, attempt.status) == ("completed", "passed", "completed")
    assert attempt.score_percent == Decimal("100.00") and attempt.score_raw == Decimal(100)
    assert attempt.completed_at and attempt.passed_at and attempt.number == 1
    row = ScoRuntime.objects.get(attempt=attempt)
    assert row.lesson_status == "passed" and row.session_count == 2 and row.interactions_count == 2
    assert row.cmi["core"]["score"]["raw"] == "100"

    page.get_by_role("link", name="Exit").click()
    expect(page.get_by_text("Your progress is saved.")).to_be_visible()
    expect(page.locator(".player-result")).to_have_text(re.compile(r"Passed · Score 100%"))
    page.wait_for_load_state("networkidle")  # nothing in flight when the database is flushed


@live_data
def test_scorm2004_multi_sco_flow_suspend_resume_on_another_device_and_complete(new_context, ann, screenshot_dir):
    package = package_upload(
        file=ContentFile(samples.scorm2004_multi_sco_zip(title="Selling with partners", scos=3), name="selling.zip"),
        user=None,
    )

    page = device(new_context)
    sco = open_player(page, user=ann, package=package, context="lesson:7")
    expect(page.get_by_text("Part 1 of 3: Know your partner program")).to_be_visible()
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="Register a deal")).to_be_visible()
    expect(sco.locator("#status")).to_have_text("Ready.")
    assert_accessible(page, where="the SCORM 2004 player")
    save_shot(page, screenshot_dir, "runtime-scorm2004-1440")
    sco.locator("#answer-c").click()
    expect(sco.locator("#status")).to_have_text("Answer saved.")
    sco.locator("#finish").click()
    expect(page.locator("#player-message")).to_have_text(re.compile("This part is finished"))
    page.get_by_role("link", name="Next").click()

    expect(page.get_by_text("Part 2 of 3: Register a deal")).to_be_visible()
    expect(page.locator(".player-toc li").first.locator(".toc-status")).to_have_text("passed")
    sco = page.frame_locator("#player-frame")
    expect(sco.locator("#status")).to_have_text("Ready.")
    sco.locator("#answer-a").click()
    expect(sco.locator("#status")).to_have_text("Answer saved.")
    sco.locator("#suspend").click()
    expect(sco.locator("#status")).to_have_text(re.compile("^Suspended"))

    # Another device resumes at the suspended SCO, its answer restored.
    page = device(new_context, viewport=PHONE)
    sco = open_player(page, user=ann, package=package, context="lesson:7")
    expect(page.get_by_text("Part 2 of 3: Register a deal")).to_be_visible()
    expect(sco.locator("#status")).to_have_text("Welcome back: your answer is restored.")
    expect(sco.locator("#answer-a")).to_have_attribute("aria-pressed", "true")
    assert_fits_the_width(page, where="the SCORM 2004 player at 375 px")
    save_shot(page, screenshot_dir, "runtime-scorm2004-375")
    sco.locator("#finish").click()
    expect(page.locator("#player-message")).to_have_text(re.compile("This part is finished"))
    page.get_by_role("link", name="Next").click()

    expect(page.get_by_text("Part 3 of 3: Ask for help")).to_be_visible()
    sco = page.frame_locator("#player-frame")
    sco.locator("#answer-b").click()
    expect(sco.locator("#status")).to_have_text("Answer saved.")
    sco.locator("#finish").click()
    expect(page.locator("#player-message")).to_have_text(re.compile("This part is finished"))

    attempt = PackageAttempt.objects.get(user=ann, package=package, context="lesson:7")
    assert (attempt.completion_status, attempt.success_status) == ("completed", "passed")
    assert attempt.score_percent == Decimal("100.00") and attempt.total_seconds > 0
    rows = {row.unit: row for row in ScoRuntime.objects.filter(attempt=attempt)}
    assert set(rows) == {"item-1", "item-2", "item-3"}
    assert all(row.completion_status == "completed" and row.success_status == "passed" for row in rows.values())
    assert rows["item-2"].session_count == 2 and rows["item-2"].cmi["exit"] == "normal"

    page.set_viewport_size(DESKTOP)
    page.reload()
    save_shot(page, screenshot_dir, "runtime-scorm2004-done-1440")
    page.wait_for_load_state("networkidle")
