"""Paths inside a package: a ZIP entry's name or a manifest's href, checked and normalised the same way.

A safe path is relative, uses ``/`` only, has no ``..``, no empty or ``.`` segments after
normalising, no drive letter and no control characters. ``None`` means "not safe".
"""

import posixpath
import re
from urllib.parse import unquote, urlsplit

from .errors import PackageRejected

DRIVE = re.compile(r"^[A-Za-z]:")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_path(name: str) -> str | None:
    """The normalised form of a path inside the package, or ``None`` when it could point outside it."""
    if not name or "\\" in name or CONTROL.search(name) or DRIVE.match(name) or name.startswith("/"):
        return None
    segments = name.split("/")
    if any(segment == ".." for segment in segments):
        return None
    normal = posixpath.normpath(name)
    if normal in (".", "") or normal.startswith(("../", "/")):
        return None
    return normal


def join_base(*bases_and_href: str) -> str:
    """Join xml:base values and an href the way a browser would resolve relative references (kept relative)."""
    path = ""
    for part in bases_and_href:
        if not part:
            continue
        if urlsplit(part).scheme or part.startswith("/"):
            return part  # absolute: refused later by the caller
        path = posixpath.join(posixpath.dirname(path) if path and not path.endswith("/") else path, part)
    return path


def split_href(href: str) -> tuple[str, str]:
    """An href split into its file path (URL-decoded) and the rest (``?query#fragment``)."""
    cut = len(href)
    for mark in ("?", "#"):
        index = href.find(mark)
        if index != -1:
            cut = min(cut, index)
    return unquote(href[:cut]), href[cut:]


def add_parameters(href: str, parameters: str) -> str:
    """Append an item's ``parameters`` to a launch href (IMS CP / SCORM rules: ``?``/``&`` joined, ``#`` kept)."""
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href + parameters
    parameters = parameters.lstrip("?&")
    if not parameters:
        return href
    return f"{href}{'&' if '?' in href else '?'}{parameters}"


def launch_href(*, owner: str, href: str, paths: set[str]) -> str:
    """A launch href checked: relative, inside the package and naming one of its ``paths``.

    Answers the normalised file path (not URL-encoded) followed by the href's own ``?query#fragment``.
    """
    path, rest = split_href(href)
    if "://" in href or href.startswith("/") or ":" in path.split("/", 1)[0]:
        raise PackageRejected(
            f"{owner} launches {href}, which is not a file of the package; launch URLs must be relative."
        )
    normal = safe_path(path)
    if normal is None:
        raise PackageRejected(f"{owner} launches {href}, which points outside the package.")
    if normal not in paths:
        raise PackageRejected(f"{owner} launches {normal}, which is not in the package.")
    return normal + rest
