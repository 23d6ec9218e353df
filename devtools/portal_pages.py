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


SAMPLES: dict[str, Callable] = {
    "certificate_code": certificate_code,
}


# --- THE list ----------------------------------------------------------------------------------------------

PAGES: list[PortalPage] = [
    PortalPage("home", "/", (VISITOR, PARTNER), title="Home: landing (signed out), feed (signed in)"),
    PortalPage("links", "/links/", (PARTNER,), title="Links hub"),
    PortalPage("verify", "/verify/{certificate_code}/", (VISITOR, PARTNER), title="Certificate verification"),
    PortalPage("sign-in", "/accounts/login/", (VISITOR,), title="Sign in"),
]


#: URL names of ``home.urls`` that are no page to check or show: POST endpoints, htmx fragments, stylesheets.
#: tests/integration/test_portal_browser.py fails when a portal URL is in neither list.
NOT_PAGES = {"home:brand_css", "home:feed_seen", "home:acknowledge_bulletin"}


def pages_for(audience: str) -> list[PortalPage]:
    return [page for page in PAGES if audience in page.audiences]


def page_cases(audiences=AUDIENCES) -> list[tuple[PortalPage, str]]:
    """Every (page, audience) pair, in list order: what a harness checks or shows."""
    return [(page, audience) for page in PAGES for audience in page.audiences if audience in audiences]
