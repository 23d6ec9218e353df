"""The vendor's branding for what lower apps print (the certificate PDF), read from Settings → Portal branding.

``HomeConfig.ready()`` registers ``certificate_branding`` with ``core.branding``: certifications asks
``core.branding.branding()`` and never imports the portal.
"""

from core.branding import Branding

from .models import PortalBranding

#: A raster logo is printed from a PNG rendition at most this big (sharp at 70 x 20 mm, 300 dpi and more).
LOGO_RENDITION = "max-1200x400|format-png"


def logo_bytes(image) -> bytes:
    """The logo's file: an SVG as it is (fpdf2 draws it as vectors), anything else as a PNG rendition."""
    source = image.file if image.is_svg() else image.get_rendition(LOGO_RENDITION).file
    with source.open("rb") as handle:
        return handle.read()


def certificate_branding() -> Branding:
    """The vendor's name, logo and main colour (two queries: the setting, its logo's rendition)."""
    setting = PortalBranding.load()
    return Branding(
        name=setting.name,
        logo=logo_bytes(setting.logo) if setting.logo_id else None,
        colour=setting.primary_colour,
    )
