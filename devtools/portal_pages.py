"""The portal's pages, in ONE list that every harness reads.

- the browser tests (``tests/integration/test_portal_browser.py``): axe-core, the 375 px phone width, a 1440 px
  screenshot, for every page and every audience it lists;
- ``make screenshots`` (``devtools/screenshots.py``): PNGs of every page at 1440 and 375 px from the demo;
- the portal benchmark (``bench/portal_latency.py``): server time per page, p50/p95, budget 100 ms.

**Adding a page is one line in ``PAGES``.** Its ``path`` may hold ``{placeholders}``: each one is filled by
the function of the same name in ``SAMPLES``, which picks an object of that kind from whatever database the
harness runs on (the browser tests' world, the demo, the benchmark's population) as the given user may see
it. A new kind of placeholder is one small function there (e.g. ``asset_id``: an asset the user may see).

``audiences`` says who a page is checked and shown for: ``visitor`` (signed out), ``partner`` (any partner
user) and ``partner_admin`` (a partner admin: pages only they may open, such as their team).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

VISITOR = "visitor"
PARTNER = "partner"
PARTNER_ADMIN = "partner_admin"
AUDIENCES = (VISITOR, PARTNER, PARTNER_ADMIN)


@dataclass(frozen=True)
class PortalPage:
    name: str  # short and stable: test ids, screenshot and benchmark names ("home", "links", "verify")
    path: str  # "/verify/{certificate_code}/": placeholders are filled from SAMPLES
    audiences: tuple[str, ...]
    title: str = ""  # what the README's screenshot table calls it
    full_page: bool = True  # screenshot the whole page (False: the first screen only, for long lists)
    #: A button the harness presses once the page is open (a form of the page), then checks and shows the page
    #: that answers: e.g. a package lesson's "Start", whose answer frames the player.
    press: str = ""

    def __post_init__(self):
        unknown = set(self.audiences) - set(AUDIENCES)
        if unknown:
            raise ValueError(f"{self.name}: unknown audience(s) {sorted(unknown)}; choose from {AUDIENCES}")
        missing = set(self.placeholders()) - set(SAMPLES)
        if missing:
            raise ValueError(f"{self.name}: no sample function for {sorted(missing)} in SAMPLES")

    def placeholders(self) -> list[str]:
        return [field for _text, field, _spec, _conv in string.Formatter().parse(self.path) if field]

    def url_for(self, user=None) -> str:
        """The page's path with its placeholders filled for ``user`` (``None``: a visitor)."""
        return self.path.format(**{name: SAMPLES[name](user) for name in self.placeholders()})


class NoSample(LookupError):
    """The database has nothing to fill a page's placeholder with (say what to create)."""


# --- Samples: one function per placeholder, ``(user or None) -> value`` -------------------------------------


def certificate_code(user=None) -> str:
    """A current certificate's verification code (the page is public: anyone's; the user's own first)."""
    from django.db.models import Case, IntegerField, Value, When
    from django.utils import timezone

    from certifications.models import Certificate

    current = Certificate.objects.filter(revoked_at=None, superseded_at=None, expires_at__gt=timezone.now())
    mine = When(user_id=getattr(user, "pk", None), then=Value(0))
    own_first = Case(mine, default=Value(1), output_field=IntegerField())
    code = current.order_by(own_first, "pk").values_list("verification_code", flat=True)[:1]
    if not code:
        raise NoSample("no current certificate for /verify/<code>/: issue one (CertificateFactory, load_demo)")
    return code[0]


def _first(values, what: str):
    values = list(values[:1])
    if not values:
        raise NoSample(what)
    return values[0]


def asset_id(user) -> int:
    """An asset the user may see (``/library/<id>/``)."""
    from cms.models import Asset

    visible = Asset.objects.visible_to(user).order_by("-last_published_at", "pk")
    return _first(visible.values_list("pk", flat=True), "no asset the user may see: publish one (AssetFactory)")


def program_id(user) -> int:
    from cms.selectors import programs_for_partner

    programs = programs_for_partner(user=user).order_by("pk").values_list("pk", flat=True)
    return _first(programs, "no program the user may see: publish one (ProgramFactory)")


def bulletin_id(user) -> int:
    from cms.selectors import bulletins_for_partner

    bulletins = bulletins_for_partner(user=user).order_by("pk").values_list("pk", flat=True)
    return _first(bulletins, "no bulletin the user may see: publish one (BulletinFactory)")


def course_id(user) -> int:
    from courses.selectors import courses_for_partner

    courses = courses_for_partner(user=user).order_by("pk").values_list("pk", flat=True)
    return _first(courses, "no course the user may take: publish one (CourseFactory)")


def package_lesson(user) -> str:
    """``<course id>/lessons/<lesson id>``: a lesson made of a learning package, in a course the user may take and
    is enrolled in (a lesson's page sends anyone else to the course's)."""
    from courses.models import Enrollment, Lesson
    from courses.package_lessons import package_refs
    from courses.selectors import courses_for_partner

    enrolled = Enrollment.objects.current().filter(user_id=getattr(user, "pk", None)).values("course_id")
    courses = courses_for_partner(user=user).filter(pk__in=enrolled)
    lessons = Lesson.objects.filter(module__course__in=courses, body__icontains="package")
    ordered = lessons.order_by("module__course_id", "module__sort_order", "sort_order", "pk")
    found = (
        (lesson.module.course_id, lesson.pk) for lesson in ordered.select_related("module") if package_refs(lesson)
    )
    course, lesson = next(found, (None, None))
    if lesson is None:
        raise NoSample("no package lesson in a course the user is enrolled in: courses.factories.course_with_package")
    return f"{course}/lessons/{lesson}"


def exam_id(user) -> int:
    """A certification whose exam is taken on its own, visible to the user (``/certifications/exams/<id>/``)."""
    from certifications.models import Certification

    exams = Certification.objects.visible_to(user).filter(exam_standalone=True, exam__isnull=False).order_by("pk")
    return _first(
        exams.values_list("pk", flat=True), "no stand-alone exam the user may see: CertificationFactory(exam=…)"
    )


def certificate_id(user) -> int:
    from certifications.selectors import certificates_of

    return _first(certificates_of(user=user).values_list("pk", flat=True), "the user has no certificate")


def member_id(user) -> int:
    """Another member of the partner the user administers (``/team/<id>/``)."""
    from partners.members import members_of, partner_administered_by

    partner = partner_administered_by(user=user)
    if partner is None:
        raise NoSample("the user administers no partner")
    others = members_of(partner=partner).exclude(user_id=user.pk).values_list("user_id", flat=True)
    return _first(others, "the partner has no other member: add one (PartnerUserFactory)")


SAMPLES: dict[str, Callable] = {
    "certificate_code": certificate_code,
    "asset_id": asset_id,
    "program_id": program_id,
    "bulletin_id": bulletin_id,
    "course_id": course_id,
    "certificate_id": certificate_id,
    "package_lesson": package_lesson,
    "exam_id": exam_id,
    "member_id": member_id,
}


# --- THE list ----------------------------------------------------------------------------------------------

PAGES: list[PortalPage] = [
    PortalPage("home", "/", (VISITOR, PARTNER), title="Home: landing (signed out), feed (signed in)"),
    PortalPage("library", "/library/", (PARTNER,), title="Library: search, facets, type-ahead", full_page=False),
    PortalPage("asset", "/library/{asset_id}/", (PARTNER,), title="An asset: previews, versions, variants, download"),
    PortalPage("programs", "/programs/", (PARTNER,), title="Programs"),
    PortalPage("program", "/programs/{program_id}/", (PARTNER,), title="A program"),
    PortalPage("bulletins", "/bulletins/", (PARTNER,), title="Bulletins"),
    PortalPage("bulletin", "/bulletins/{bulletin_id}/", (PARTNER,), title="A bulletin, to acknowledge"),
    PortalPage("learning", "/learning/", (PARTNER,), title="Learning: my courses and the catalogue"),
    PortalPage("course", "/learning/{course_id}/", (PARTNER,), title="A course (the player once enrolled)"),
    PortalPage(
        "package-lesson",
        "/learning/{package_lesson}/",
        (PARTNER,),
        title="A lesson of a learning package (SCORM, cmi5), the player framed after Start",
        press="Start|Resume",
    ),
    PortalPage("certifications", "/certifications/", (PARTNER,), title="My certifications"),
    PortalPage("exam", "/certifications/exams/{exam_id}/", (PARTNER,), title="A certification's stand-alone exam"),
    PortalPage("certificate", "/certifications/{certificate_id}/", (PARTNER,), title="A certificate, to share"),
    PortalPage("team", "/team/", (PARTNER_ADMIN,), title="My team (partner admins)"),
    PortalPage("team-member", "/team/{member_id}/", (PARTNER_ADMIN,), title="A member's learning and certificates"),
    PortalPage("scorecard", "/team/scorecard/", (PARTNER_ADMIN,), title="Scorecard: score, trend, what to do next"),
    PortalPage("compliance", "/team/compliance/", (PARTNER_ADMIN,), title="Tier compliance and its forecast"),
    PortalPage("company", "/team/company/", (PARTNER_ADMIN,), title="Company: co-branding logo and name"),
    PortalPage("profile", "/profile/", (PARTNER,), title="Profile"),
    PortalPage("links", "/links/", (PARTNER,), title="Links hub"),
    PortalPage("verify", "/verify/{certificate_code}/", (VISITOR, PARTNER), title="Certificate verification"),
    PortalPage("sign-in", "/accounts/login/", (VISITOR,), title="Sign in"),
]


#: URL names of ``home.urls`` that are no page to check or show: POST endpoints, htmx fragments, stylesheets.
#: tests/integration/test_portal_browser.py fails when a portal URL is in neither list.
NOT_PAGES = {
    "home:brand_css",
    "home:feed_seen",
    "home:acknowledge_bulletin",
    "home:library_suggest",  # the type-ahead's fragment (the library page shows it)
    "home:profile_name",
    "home:profile_language",
    "home:profile_notifications",
    "home:profile_token_create",
    "home:profile_token_revoke",
    "home:profile_sign_out_elsewhere",
    "home:team_invite",  # POST endpoints of "My team" (the team page shows their forms)
    "home:team_invitation_resend",
    "home:team_invitation_revoke",
    "home:my_transcript",  # file downloads (PDF, CSV), not pages: tests/certifications/test_transcript.py
    "home:team_member_transcript",
    "home:team_company_logo",  # the company page's logo picture (an image, not a page)
}


def pages_for(audience: str) -> list[PortalPage]:
    return [page for page in PAGES if audience in page.audiences]


def page_cases(audiences=AUDIENCES) -> list[tuple[PortalPage, str]]:
    """Every (page, audience) pair, in list order: what a harness checks or shows."""
    return [(page, audience) for page in PAGES for audience in page.audiences if audience in audiences]
