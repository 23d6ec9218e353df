"""The partner portal in a real browser (Debian's chromium) on a live server.

- Every page of ``devtools.portal_pages.PAGES``, for every audience it lists (signed out, a partner user, a
  partner admin): no serious or critical axe-core violation at 1440 px and at 375 px, no sideways scrolling
  at 375 px, and a 1440 px screenshot (``.stack/screenshots/portal-<page>-<audience>-1440.png``).
- The flows that exist: sign in through the form with a second factor, the feed, acknowledging a bulletin
  (htmx: no page load), "Mark all as seen".
- A small leak matrix through the browser: two users of another tier, type, region and role each see only
  their gated bulletin and link on every page that lists them, and the other's item is 404 at its URL.

A new page is one line in ``devtools/portal_pages.py``; a new kind of gated item in the leak matrix is one
``GatedKind`` in ``GATED_KINDS`` below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from accounts.factories import PASSWORD, partner_user_with_password
from certifications.factories import CertificateFactory, CertificationFactory
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.models import BulletinAcknowledgement
from courses.factories import QuestionFactory, QuizFactory, course_with, course_with_package
from courses.models import Lesson
from courses.package_lessons import package_refs
from courses.services.enrollment import course_enroll
from devtools.portal_pages import NOT_PAGES, PAGES, PARTNER, PARTNER_ADMIN, VISITOR, page_cases
from elearning.factories import PackageFactory
from home.factories import PortalLinkFactory
from partners.factories import (
    PartnerFactory,
    PartnerTypeFactory,
    RegionFactory,
    RoleFactory,
    TierFactory,
    partner_user,
)
from partners.models import PARTNER_ADMIN_ROLE, PartnerMfaPolicy
from search.services import search_reindex
from tests.accounts.mfa import enrol, fresh_totp_code

from .accessibility import DESKTOP, PHONE, assert_accessible, assert_fits_the_width

# The live server reads what the test wrote: committed data, flushed after each test (the migrations' data restored).
live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- The world: two partner users who must never see each other's gated items ----------------------------


@dataclass
class World:
    ann: object  # Acme: Gold reseller in EMEA, sales; Acme requires a second factor and Ann has one
    ann_totp_secret: str
    bob: object  # Globex: Registered distributor in APAC, technical and partner admin
    items: dict  # (kind name, "everyone" | "ann" | "bob") -> the item

    def user_for(self, audience: str):
        return {VISITOR: None, PARTNER: self.ann, PARTNER_ADMIN: self.bob}[audience]


@dataclass(frozen=True)
class GatedKind:
    """One kind of audience-gated item: how to make one, the pages that list it, and its own URLs."""

    name: str
    make: Callable  # (title, **audience) -> item
    listed_on: tuple[str, ...]  # paths of the pages that list it for whoever may see it
    own_urls: Callable  # item -> [(method, url)]: each must be 404 for someone who may not see it


def _bulletin(title, **audience):
    return BulletinFactory(title=title, requires_acknowledgement=True, **audience)


GATED_KINDS = [
    GatedKind(
        "bulletin",
        _bulletin,
        ("/", "/bulletins/"),
        lambda b: [
            ("GET", f"/bulletins/{b.pk}/"),
            ("GET", f"/api/v1/bulletins/{b.pk}"),
            ("POST", f"/portal/bulletins/{b.pk}/acknowledge/"),
        ],
    ),
    GatedKind(
        "asset",
        lambda title, **audience: AssetFactory(title=title, **audience),
        ("/library/",),
        lambda a: [("GET", f"/library/{a.pk}/"), ("GET", f"/library/{a.pk}/download/")],
    ),
    GatedKind(
        "program",
        lambda title, **audience: ProgramFactory(title=title, **audience),
        ("/programs/",),
        lambda p: [("GET", f"/programs/{p.pk}/"), ("GET", f"/api/v1/programs/{p.pk}")],
    ),
    GatedKind(
        "course",
        lambda title, **audience: course_with(lessons_per_module=(1,), title=title, **audience),
        ("/learning/",),
        lambda c: [("GET", f"/learning/{c.pk}/"), ("POST", f"/learning/{c.pk}/enrol/")],
    ),
    # A course made of a learning package: its lesson's page, the launch (portal and API) that frames the player.
    GatedKind(
        "package course",
        lambda title, **audience: _package_course(title, **audience),
        ("/learning/",),
        lambda c: [
            ("GET", f"/learning/{c.pk}/lessons/{_package_lesson(c).pk}/"),
            ("POST", f"/learning/{c.pk}/lessons/{_package_lesson(c).pk}/play/"),
            ("POST", f"/api/v1/lessons/{_package_lesson(c).pk}/launch"),
        ],
    ),
    # A certification's stand-alone exam: its page and "Start".
    GatedKind(
        "exam",
        lambda title, **audience: _exam(title, **audience),
        ("/certifications/",),
        lambda c: [("GET", f"/certifications/exams/{c.pk}/"), ("POST", f"/certifications/exams/{c.pk}/start/")],
    ),
    # The links hub has no page per link (a link leads out of the portal); its list is the API's too.
    GatedKind(
        "link", lambda title, **audience: PortalLinkFactory(title=title, **audience), ("/links/",), lambda _: []
    ),
]


def _package_course(title, **audience):
    """A live course whose lesson is a SCORM 2004 package (the runtime's sample), for ``audience``."""
    package = PackageFactory(standard="scorm2004", title=f"{title} package")
    return course_with_package(package, course=course_with(lessons_per_module=(), title=title, **audience))


def _package_lesson(course):
    return next(lesson for lesson in Lesson.objects.filter(module__course=course) if package_refs(lesson))


def _exam(title, **audience):
    """A certification whose exam is taken on its own (no prerequisite), for ``audience``."""
    quiz = QuizFactory(title=f"{title} quiz", pass_mark=50)
    QuestionFactory(bank=quiz.bank, choices=[("Right", True), ("Wrong", False)])
    return CertificationFactory(title=title, exam=quiz, exam_standalone=True, **audience)


@pytest.fixture
def world():
    gold, registered = TierFactory(key="gold", rank=30), TierFactory(key="registered", rank=10)
    reseller, distributor = PartnerTypeFactory(key="reseller"), PartnerTypeFactory(key="distributor")
    emea, apac = RegionFactory(key="emea"), RegionFactory(key="apac")
    sales, technical = RoleFactory(key="sales"), RoleFactory(key="technical")
    admin = RoleFactory(key=PARTNER_ADMIN_ROLE)
    acme = PartnerFactory(
        name="Acme Networks",
        tier=gold,
        partner_type=reseller,
        region=emea,
        mfa_policy=PartnerMfaPolicy.REQUIRED,
    )
    globex = PartnerFactory(name="Globex", tier=registered, partner_type=distributor, region=apac)
    ann = partner_user_with_password(
        email="ann@acme.example", partner=acme, roles=[sales], user__first_name="Ann", user__last_name="Andersen"
    )
    secret, _codes = enrol(ann)
    bob = partner_user_with_password(
        email="bob@globex.example",
        partner=globex,
        roles=[technical, admin],
        user__first_name="Bob",
        user__last_name="Baker",
    )
    items = {}
    for kind in GATED_KINDS:
        items[kind.name, "everyone"] = kind.make(f"Everyone's {kind.name}")
        items[kind.name, "ann"] = kind.make(
            f"Gold EMEA resellers' sales {kind.name}",
            min_tier=gold,
            partner_types=[reseller],
            regions=[emea],
            roles=[sales],
        )
        items[kind.name, "bob"] = kind.make(
            f"APAC distributors' technical {kind.name}", partner_types=[distributor], regions=[apac], roles=[technical]
        )
    for who, user in (("ann", ann), ("bob", bob)):  # a package lesson's page is for the course's learners
        course_enroll(user=user, course=items["package course", who])
    AssetFactory(title="Q3 launch deck")  # something new in the feed
    CertificateFactory(user=ann)  # for /verify/<code>/ and /certifications/<id>/
    partner_user(partner=globex, roles=[technical], user__first_name="Cleo", user__last_name="Chen")  # Bob's team
    search_reindex()  # the library searches Elasticsearch
    return World(ann=ann, ann_totp_secret=secret, bob=bob, items=items)


# --- Every page: accessible, fits a phone, a desktop screenshot ---------------------------------------------


def _cases():
    for portal_page, audience in page_cases():
        yield pytest.param(portal_page, audience, id=f"{portal_page.name}-{audience}")


@live_data
@pytest.mark.parametrize(("portal_page", "audience"), list(_cases()))
def test_every_page_is_accessible_and_fits_a_phone(
    live_server, new_context, world, screenshot_dir, portal_page, audience
):
    user = world.user_for(audience)
    page = new_context(user, viewport=DESKTOP).new_page()
    url = portal_page.url_for(user)
    where = f"{portal_page.name} ({audience}, {{width}} px, {url})"
    response = page.goto(url)
    assert response.status == 200, f"{url} as {audience}: HTTP {response.status} at {page.url}"
    assert page.url == live_server.url + url, f"{url} as {audience} went to {page.url}"
    if portal_page.press:
        press(page, portal_page.press)
        where = f"{portal_page.name} ({audience}, {{width}} px, {url}, after {portal_page.press})"

    failures = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        label = where.format(width=viewport["width"])
        if viewport is DESKTOP:
            page.screenshot(path=screenshot_dir / f"portal-{portal_page.name}-{audience}-1440.png", full_page=True)
        else:
            failures += _failure(assert_fits_the_width, page, label)
        failures += _failure(assert_accessible, page, label)
    assert not failures, "\n".join(failures)


def press(page, name: str) -> None:
    """Press the page's button ``name`` (a regular expression: "Start|Resume") and wait for what answers."""
    button = page.get_by_role("button", name=re.compile(f"^({name})$")).first
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("networkidle")


def _failure(check, page, where) -> list[str]:
    try:
        check(page, where=where)
    except AssertionError as error:
        return [str(error)]
    return []


def test_the_page_list_names_every_portal_page():
    """A page the portal gains is added to ``devtools.portal_pages.PAGES`` (or ``NOT_PAGES``), so every harness
    (these tests, ``make screenshots``, the benchmark) covers it."""
    from django.urls import URLResolver

    from home.urls import urlpatterns

    def routes(patterns, prefix="/"):
        # An area's own URLconf is included under its prefix (``team/``, ``learning/``): walk into it.
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, route)
            else:
                yield f"home:{pattern.name}", route

    listed = {page.path.split("{")[0] for page in PAGES}
    missing = []
    for name, route in routes(urlpatterns):
        if name not in NOT_PAGES and route.split("<")[0] not in listed:
            missing.append(f"{name} ({route})")
    assert not missing, (
        f"portal URLs in no harness: {', '.join(missing)}; add each to devtools/portal_pages.PAGES "
        "(or to NOT_PAGES if it is no page: a POST endpoint, a fragment, a stylesheet)"
    )


# --- Flows ----------------------------------------------------------------------------------------------------


@live_data
def test_a_partner_user_signs_in_with_their_second_factor_acknowledges_a_bulletin_and_marks_all_seen(
    live_server, new_context, world, screenshot_dir
):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/")
    page.click("text=Sign in")
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_login", world.ann.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")

    # Acme requires a second factor: Ann is asked for her app's code.
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("#id_code", fresh_totp_code(world.ann_totp_secret))
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Welcome, Ann"  # her first visit
    launch_deck = page.get_by_role("heading", name="Q3 launch deck")
    assert launch_deck.is_visible()
    page.screenshot(path=screenshot_dir / "portal-flow-1-feed.png", full_page=True)

    # Acknowledging is an htmx request: the card turns into "Acknowledged" and the page is not loaded again.
    bulletin = world.items["bulletin", "everyone"]
    card = page.locator(f"#bulletin-{bulletin.pk}")
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.evaluate("() => { window.stillTheSamePage = true; }")
    card.get_by_role("button", name=f"I have read this {bulletin.title}").click()
    page.locator(f"#bulletin-{bulletin.pk} >> text=Acknowledged").wait_for()
    assert card.get_by_role("button").count() == 0
    assert page.evaluate("() => window.stillTheSamePage === true") and not loads
    assert BulletinAcknowledgement.objects.filter(bulletin=bulletin, user=world.ann).count() == 1

    # "Mark all as seen": the line under the heading says so, in place.
    page.get_by_role("button", name="Mark all as seen").click()
    page.locator("#feed-since >> text=All caught up").wait_for()
    assert page.evaluate("() => window.stillTheSamePage === true") and not loads
    page.screenshot(path=screenshot_dir / "portal-flow-2-acknowledged-and-seen.png", full_page=True)

    # Loaded again: what was new is no longer new, and a bulletin leaves the feed once it is acknowledged and
    # seen (unless pinned); the one still waiting for Ann's acknowledgement stays.
    page.reload()
    assert page.locator("h1").inner_text() == "Welcome back, Ann"  # she has marked her feed seen
    assert not page.locator(f"#bulletin-{bulletin.pk}").count()
    waiting = world.items["bulletin", "ann"]
    assert page.get_by_role("button", name=f"I have read this {waiting.title}").is_visible()
    assert page.locator("text=Nothing new since you last looked.").is_visible()
    assert not launch_deck.count()


@live_data
def test_two_partner_users_each_see_only_their_gated_items_and_the_others_are_404(new_context, world):
    for me, other in (("ann", "bob"), ("bob", "ann")):
        page = new_context(getattr(world, me)).new_page()
        seen = {}
        for path in sorted({path for kind in GATED_KINDS for path in kind.listed_on}):
            assert page.goto(path).status == 200
            seen[path] = page.locator("main").inner_text()
        csrf_token = page.evaluate("() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
        for kind in GATED_KINDS:
            mine, theirs, everyone = (world.items[kind.name, who] for who in (me, other, "everyone"))
            for path in kind.listed_on:
                assert mine.title in seen[path], f"{me} misses their {kind.name} on {path}"
                assert everyone.title in seen[path], f"{me} misses everyone's {kind.name} on {path}"
                assert theirs.title not in seen[path], f"{me} sees {other}'s {kind.name} on {path}"
            for (method, url), (_, own_url) in zip(kind.own_urls(theirs), kind.own_urls(mine), strict=True):
                send = page.request.get if method == "GET" else page.request.post
                headers = {} if method == "GET" else {"X-CSRFToken": csrf_token}
                status = send(url, headers=headers, max_redirects=0).status
                assert status == 404, f"{me}: {method} {url} of {other}'s {kind.name} answered {status}"
                # The same URL of their own item answers: the 404 above is the audience rule, not a broken URL.
                status = send(own_url, headers=headers, max_redirects=0).status
                assert status in (200, 302), f"{me}: {method} {own_url} of their own answered {status}"
