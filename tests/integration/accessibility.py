"""Accessibility checks in a real browser: axe-core (``axe-playwright-python``, which ships ``axe.min.js``, so
it runs offline) and the phone-width check.

``assert_accessible(page)`` fails on any *serious* or *critical* violation of WCAG 2.0/2.1 A and AA (and
axe's best practices, which are reported but only fail at those impacts), with one readable line per
element: rule, impact, target, what to fix and the rule's help URL.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.1 AA is the portal's bar (issue 16); best practices catch what WCAG words loosely (one <h1>, landmarks).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}

_axe = Axe()  # reads the vendored axe.min.js once


def axe_violations(page, context=None) -> list[dict]:
    """axe-core's violations on the page as it is now (the script is injected through DevTools: the strict CSP
    does not stop it, and the page's own code is untouched); ``context`` limits them to parts of it (axe's own
    ``{"include": [[selector], …]}``)."""
    return _axe.run(page, context=context, options=AXE_OPTIONS).response["violations"]


def violation_lines(violations: list[dict], impacts=FAILING_IMPACTS) -> list[str]:
    lines = []
    for violation in violations:
        if violation.get("impact") not in impacts:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or violation["help"]).replace("\n", " ")
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}: {summary} [{violation['helpUrl']}]")
    return lines


def assert_accessible(page, *, where: str = "") -> None:
    """Fail with every serious or critical axe-core violation on ``page``, one line each."""
    lines = violation_lines(axe_violations(page))
    if lines:
        heading = f"{len(lines)} serious or critical accessibility violation(s) on {where or page.url}:"
        raise AssertionError("\n  ".join([heading, *lines]))


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1440, "height": 900}


def horizontal_overflow(page) -> dict | None:
    """``None`` when the page does not scroll sideways at its viewport; else the widths and the widest elements."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= window.innerWidth) return null;
            const wide = [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5)
                .map(el => {
                    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
                    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                        + classes.filter(Boolean).map(c => "." + c).join("")
                        + " (right " + Math.round(el.getBoundingClientRect().right) + "px)";
                });
            return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, widest: wide};
        }"""
    )


def assert_fits_the_width(page, *, where: str = "") -> None:
    overflow = horizontal_overflow(page)
    if overflow:
        raise AssertionError(
            f"{where or page.url} scrolls sideways: {overflow['scrollWidth']} px wide in a "
            f"{overflow['innerWidth']} px viewport; too wide: {', '.join(overflow['widest']) or '?'}"
        )
