"""The registry of the vendor's branding (name, logo, colour), for lower apps that print it but may not read it.

The branding is edited in the portal (``home.models.PortalBranding``, a Wagtail setting), a higher layer
than the apps that print it (certifications' PDF). The portal registers a provider from its
``AppConfig.ready()``::

    register_branding_provider(lambda: Branding(name="Acme", logo=b"<png bytes>", colour="#3a4fd8"))

and a lower app asks ``branding()``. Without a provider, or when it answers ``None`` or fails, the answer is
the default: ``PARTNERHUB_BADGE_ISSUER_NAME`` (the issuer named in Open Badges), no logo, the portal's blue.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_COLOUR = "#3a4fd8"


@dataclass(frozen=True)
class Branding:
    name: str
    #: The logo's file as bytes (PNG, JPEG, GIF or SVG), ``None`` for none.
    logo: bytes | None = None
    #: The main colour as ``#RRGGBB``.
    colour: str = DEFAULT_COLOUR

    @property
    def colour_rgb(self) -> tuple[int, int, int]:
        value = self.colour if len(self.colour or "") == 7 else DEFAULT_COLOUR
        return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


BrandingProvider = Callable[[], Branding | None]

_provider: list[BrandingProvider] = []


def register_branding_provider(provider: BrandingProvider) -> None:
    """``provider()`` answers the vendor's ``Branding`` now (or ``None``); a second registration replaces the first."""
    _provider[:] = [provider]


def unregister_branding_provider() -> None:
    """Forget the provider (tests; an app that is switched off)."""
    _provider.clear()


def default_branding() -> Branding:
    return Branding(name=settings.PARTNERHUB_BADGE_ISSUER_NAME)


def branding() -> Branding:
    """The vendor's branding from the registered provider, or the default. Never raises."""
    if not _provider:
        return default_branding()
    try:
        return _provider[0]() or default_branding()
    except Exception:  # a missing logo file must not cost a partner their certificate
        logger.exception("The branding provider failed; using the default branding.")
        return default_branding()
