"""Stamping a partner's logo and name onto a PDF: an overlay page drawn with fpdf2, merged with pypdf.

Pure: bytes in, bytes out. The original's pages keep their content; the overlay is drawn over the chosen
pages (first, last or all) in the chosen corner, the logo ``size`` high with the name beside it.
"""

import io
from pathlib import Path

from django.conf import settings

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

MM = 72 / 25.4
#: Logo height per size, in millimetres; the name is set at a third of it.
LOGO_HEIGHT_MM = {"small": 10, "medium": 15, "large": 22}
MARGIN_MM = 8
FONT = "cobrand"


class StampError(Exception):
    """The PDF cannot be co-branded (encrypted, damaged)."""


def _font(pdf: FPDF, name: str) -> str:
    """A Unicode font when one is configured and present, else Helvetica (names outside Latin-1 lose letters)."""
    path = Path(settings.PARTNERHUB_COBRAND_FONT) if settings.PARTNERHUB_COBRAND_FONT else None
    if path and path.exists():
        pdf.add_font(FONT, "", str(path))
        return name
    pdf.set_font("helvetica")
    return name.encode("latin-1", "replace").decode("latin-1")


def _overlay(*, width: float, height: float, name: str, logo: bytes | None, corner: str, size: str) -> bytes:
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_page()
    text = _font(pdf, name)
    logo_h = LOGO_HEIGHT_MM.get(size, LOGO_HEIGHT_MM["medium"]) * MM
    font_size = max(7.0, logo_h / 3)
    pdf.set_font(FONT if FONT in pdf.fonts else "helvetica", size=font_size)
    logo_w = 0.0
    if logo:
        with Image.open(io.BytesIO(logo)) as image:
            logo_w = logo_h * image.width / image.height
    gap = 4 if logo else 0
    text_w = pdf.get_string_width(text)
    total_w = min(logo_w + gap + text_w, width - 2 * MARGIN_MM * MM)
    margin = MARGIN_MM * MM
    left = margin if corner.endswith("left") else width - margin - total_w
    top = margin if corner.startswith("top") else height - margin - logo_h
    if logo:
        pdf.image(io.BytesIO(logo), x=left, y=top, h=logo_h, w=logo_w)
    pdf.set_text_color(40, 40, 40)
    pdf.set_xy(left + logo_w + gap, top + (logo_h - font_size) / 2)
    pdf.cell(w=max(total_w - logo_w - gap, 1), h=font_size, text=text)
    return bytes(pdf.output())


def _targets(count: int, pages: str) -> list[int]:
    return {"first": [0], "last": [count - 1], "all": list(range(count))}.get(pages, [0])


def stamp_pdf(pdf: bytes, *, name: str, logo: bytes | None, pages: str, corner: str, size: str) -> bytes:
    """``pdf`` with the logo and name on the chosen pages; raises ``StampError`` for a PDF it cannot change."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise StampError("The PDF is encrypted.")
        writer = PdfWriter(clone_from=reader)
    except StampError:
        raise
    except Exception as error:  # pypdf raises many kinds for a damaged file
        raise StampError(f"The PDF cannot be read ({error}).") from None
    if not writer.pages:
        raise StampError("The PDF has no pages.")
    overlays: dict[tuple[float, float], object] = {}
    for index in _targets(len(writer.pages), pages):
        page = writer.pages[index]
        box = page.mediabox
        key = (float(box.width), float(box.height))
        if key not in overlays:
            made = _overlay(width=key[0], height=key[1], name=name, logo=logo, corner=corner, size=size)
            overlays[key] = PdfReader(io.BytesIO(made)).pages[0]
        page.merge_translated_page(overlays[key], tx=float(box.left), ty=float(box.bottom))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
