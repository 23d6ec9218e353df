"""The registry of public links: where a page of a higher app lives, for a lower app that only knows its name.

A lower app (certifications) must print a link to a page that a higher one (the portal, ``home``) serves,
without importing it. The higher app registers a builder from its ``AppConfig.ready()``::

    register_link("certificate_verification", lambda request, code: request.build_absolute_uri(...))

and the lower one asks ``link_for("certificate_verification", request, code=...)``, which answers ``None``
when nobody registered it (the portal switched off, or not installed): the caller falls back to its own URL.

``public_url(path)``: every link that leaves the request it was made in (e-mails, PDFs, the Open Badge's
issuer, what a Celery task writes) is on ``PARTNERHUB_PUBLIC_URL``, the one configured public address, never
on whatever host a request happened to arrive by.
"""

from collections.abc import Callable

from django.conf import settings

LinkBuilder = Callable[..., str | None]

_links: dict[str, LinkBuilder] = {}


def register_link(name: str, builder: LinkBuilder) -> None:
    """``builder(request, **arguments)`` answers the absolute URL of ``name``, or ``None`` when it has none now."""
    _links[name] = builder


def link_for(name: str, request, **arguments) -> str | None:
    builder = _links.get(name)
    return builder(request, **arguments) if builder is not None else None


def public_url(path: str = "/") -> str:
    """``path`` on the site's one public address (``PARTNERHUB_PUBLIC_URL``)."""
    return settings.PARTNERHUB_PUBLIC_URL + path
