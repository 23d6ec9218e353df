"""The shape of the code a newcomer inherits: no app reaches for another's private names, no module is too long.

The layers themselves are import-linter's contracts (``lint-imports`` in ``make lint``).
"""

from pathlib import Path

from devtools.import_graph import ROOT, underscore_imports

MAX_MODULE_LINES = 450
CHECKED = [
    "core",
    "partners",
    "accounts",
    "cms",
    "lrs",
    "elearning",
    "search",
    "courses",
    "certifications",
    "home",
    "devtools",
    "bench",
]


def long_modules() -> dict[str, int]:
    found = {}
    for package in CHECKED:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_MODULE_LINES:
                found[str(path.relative_to(ROOT))] = lines
    return found


def test_no_app_imports_another_apps_private_names():
    assert underscore_imports() == []


def test_no_module_is_longer_than_a_newcomer_can_hold():
    assert long_modules() == {}


def test_the_checks_look_at_real_code():
    # Guards the two tests above against passing because they found nothing to read.
    assert Path(ROOT / "cms" / "apps.py").exists()
    assert sum(1 for _ in (ROOT / "cms").rglob("*.py")) > 20


def test_the_pdf_font_lives_in_core_where_every_app_that_draws_pdfs_reads_it():
    """cms (the co-brand stamp) must not read certifications' folder: a lower layer never reaches a higher one,
    by import or by path. The font is core's, and both cms' setting and certifications' PDFs point there."""
    from django.conf import settings

    from certifications import pdf
    from core.fonts import FONTS_DIR

    assert Path(settings.PARTNERHUB_COBRAND_FONT).parent == FONTS_DIR
    assert Path(settings.PARTNERHUB_COBRAND_FONT).exists()
    assert pdf.FONTS_DIR == FONTS_DIR
    assert all((FONTS_DIR / name).exists() for name in pdf.FONT_FILES.values())
    assert not (ROOT / "certifications" / "fonts").exists()


def test_every_dependency_is_pinned_once():
    """A package named twice (in one file or across both) drifts: one bump leaves the other line behind."""
    seen: dict[str, str] = {}
    twice, unpinned = [], []
    for file_name in ("requirements.txt", "requirements-dev.txt", "requirements-load.txt"):
        for line in (ROOT / file_name).read_text().splitlines():
            requirement = line.split("#", 1)[0].strip()
            if not requirement or requirement.startswith("-r "):
                continue
            name = requirement.split("==", 1)[0].split("[", 1)[0].strip().lower().replace("_", "-")
            if "==" not in requirement:
                unpinned.append(requirement)
            if name in seen:
                twice.append(f"{name} ({seen[name]} and {file_name})")
            seen[name] = file_name
    assert twice == []
    assert unpinned == []
