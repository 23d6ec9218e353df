"""A certificate as a one-page landscape A4 PDF worth framing (fpdf2), with a QR code (segno) to its verification.

The vendor's name, logo and colour come from ``core.branding`` (the portal's Settings → Portal branding
registers them; certifications may not read the portal). Without a logo, the name's initials stand in a
coloured mark, as in the portal's header. Words are translated into the active language; the core PDF fonts
print Latin-1, so other characters become "?".

``add_fonts``, ``draw_logo`` and ``printable`` also serve the learner's transcript (``certifications.transcript_pdf``).
"""

import io
import logging
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import segno
from fpdf import FPDF
from fpdf.enums import Align, ResourceAccessPolicy

from core.branding import Branding, branding
from core.fonts import FONT_FILES, FONTS_DIR

logger = logging.getLogger(__name__)

PAGE_W, PAGE_H = 297, 210
INK = (23, 32, 51)
MUTED = (80, 90, 110)
GOLD = (176, 141, 62)
PAPER_TINT = (250, 250, 252)


#: DejaVu Sans (``core.fonts``): PDF's core fonts print only Latin-1, so "Łukasz", "Ærø" or "Дмитрий" would come
#: out as question marks. It covers Latin, Greek and Cyrillic; not CJK.
FONT = "DejaVuSans"


def printable(value: str) -> str:
    """Text as the font can print it: control characters (never meant to be printed) left out."""
    return "".join(character for character in value if character.isprintable())


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name) or ["P"]
    return "".join(word[0] for word in words[:2]).upper()


def _date(moment) -> str:
    return date_format(timezone.localdate(moment), "j F Y")


def _frame(pdf: FPDF, colour: tuple[int, int, int]) -> None:
    """A tinted sheet, a bold outer frame in the vendor's colour, a fine gold inner rule and corner marks."""
    pdf.set_fill_color(*PAPER_TINT)
    pdf.rect(0, 0, PAGE_W, PAGE_H, style="F")
    pdf.set_draw_color(*colour)
    pdf.set_line_width(2.4)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(13, 13, PAGE_W - 26, PAGE_H - 26)
    pdf.set_fill_color(*GOLD)
    for x, y in ((13, 13), (PAGE_W - 13, 13), (13, PAGE_H - 13), (PAGE_W - 13, PAGE_H - 13)):
        pdf.rect(x - 2.2, y - 2.2, 4.4, 4.4, style="F")


def draw_logo(pdf: FPDF, brand: Branding, *, x, y: float, w: float, h: float) -> bool:
    """The vendor's logo fitted in ``w`` x ``h`` mm at ``x`` (mm, or ``Align.C``), ``y``; ``False`` when there is
    none or it cannot be read (the caller prints something else: never a broken document)."""
    if not brand.logo:
        return False
    try:
        pdf.image(
            io.BytesIO(brand.logo),
            x=x,
            y=y,
            w=w,
            h=h,
            keep_aspect_ratio=True,
            alt_text=printable(brand.name),
            resource_access_policy=ResourceAccessPolicy.NONE,  # an SVG logo loads nothing else
        )
        return True
    except Exception:  # an unreadable logo: the initials, never a broken certificate
        logger.exception("The vendor's logo could not be put on a PDF; leaving it out.")
        return False


def add_fonts(pdf: FPDF) -> None:
    """Register DejaVu Sans (regular, bold, oblique) under ``FONT`` with ``pdf``."""
    for style, filename in FONT_FILES.items():
        pdf.add_font(FONT, style, FONTS_DIR / filename)


def _logo(pdf: FPDF, brand: Branding, colour: tuple[int, int, int]) -> None:
    """The vendor's logo centred at the top (at most 70 x 20 mm), or their initials in a coloured mark."""
    if draw_logo(pdf, brand, x=Align.C, y=21, w=70, h=20):
        return
    size = 16
    x = (PAGE_W - size) / 2
    pdf.set_fill_color(*colour)
    pdf.rect(x, 23, size, size, style="F", round_corners=True, corner_radius=3)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, "B", 15)
    pdf.set_xy(x, 23)
    pdf.cell(size, size, _initials(brand.name), align="C")


def _centred(pdf: FPDF, y: float, height: float, text: str, *, style="", size=12, colour=INK, spacing=0.0) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_char_spacing(spacing)
    pdf.set_xy(20, y)
    pdf.cell(PAGE_W - 40, height, printable(text), align="C")
    pdf.set_char_spacing(0)


def _fact(pdf: FPDF, x: float, width: float, label: str, value: str, colour) -> None:
    """A small caps label over its value, centred in a column of the footer."""
    pdf.set_xy(x, 152)
    pdf.set_font(FONT, "B", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.set_char_spacing(1.2)
    pdf.cell(width, 5, printable(label.upper()), align="C")
    pdf.set_char_spacing(0)
    pdf.set_xy(x, 158)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*colour)
    pdf.cell(width, 6, printable(value), align="C")


def _qr(pdf: FPDF, verify_url: str) -> None:
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=6, border=1, dark="#172033")
    qr.seek(0)
    x, y, size = PAGE_W - 58, 138, 34
    alt = printable(_("QR code to verify this certificate"))
    pdf.image(qr, x=x, y=y, w=size, h=size, link=verify_url, alt_text=alt)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(x - 6, y + size + 1)
    pdf.cell(size + 12, 4, printable(_("Scan to verify")), align="C")


def _title(pdf: FPDF, title: str, colour) -> None:
    """The certification's title in at most two lines: smaller type for a long one, cut short past that."""
    pdf.set_text_color(*colour)
    for size in (20, 16, 13):
        pdf.set_font(FONT, "B", size)
        lines = pdf.multi_cell(PAGE_W - 80, size * 0.45, printable(title), align="C", dry_run=True, output="LINES")
        if len(lines) <= 2:
            break
    else:
        lines = [*lines[:1], lines[1].rstrip() + "..."]
    pdf.set_xy(40, 113)
    pdf.multi_cell(PAGE_W - 80, size * 0.45, "\n".join(lines), align="C")


def certificate_pdf(*, certificate, holder_name: str, verify_url: str, brand: Branding | None = None) -> bytes:
    """The certificate as PDF bytes; ``brand`` defaults to the registered branding (``core.branding``)."""
    brand = brand or branding()
    colour = brand.colour_rgb
    certification = certificate.certification
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(printable(f"{certification.title}: {holder_name}"))
    pdf.set_author(printable(brand.name))
    pdf.set_creator(printable(brand.name))
    pdf.set_auto_page_break(False)
    add_fonts(pdf)
    pdf.add_page()
    _frame(pdf, colour)
    _logo(pdf, brand, colour)

    _centred(pdf, 44, 7, brand.name, style="B", size=12, colour=MUTED)
    _centred(pdf, 56, 10, _("Certificate of achievement"), style="B", size=24, colour=colour, spacing=1.5)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.4)
    pdf.line(PAGE_W / 2 - 30, 69, PAGE_W / 2 + 30, 69)
    _centred(pdf, 74, 7, _("This certifies that"), style="I", size=12, colour=MUTED)

    pdf.set_font(FONT, "B", 32)
    name_size = 32 * min(1.0, (PAGE_W - 60) / max(pdf.get_string_width(printable(holder_name)), 1))
    _centred(pdf, 82, 16, holder_name, style="B", size=max(name_size, 14))
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.line(PAGE_W / 2 - 80, 100, PAGE_W / 2 + 80, 100)

    _centred(pdf, 104, 7, _("has earned the certification"), style="I", size=12, colour=MUTED)
    _title(pdf, certification.title, colour)
    if certificate.partner:
        _centred(pdf, pdf.get_y() + 1, 7, _("at %(partner)s") % {"partner": certificate.partner.name}, size=11)

    column = 52
    left = 30
    _fact(pdf, left, column, _("Issued"), _date(certificate.issued_at), INK)
    _fact(pdf, left + column, column, _("Valid until"), _date(certificate.expires_at), INK)
    _fact(pdf, left + 2 * column, column, _("Certificate code"), certificate.verification_code, INK)

    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(24, 172)
    pdf.cell(0, 5, printable(_("Check that this certificate is valid at")))
    pdf.set_xy(24, 177)
    pdf.set_text_color(*colour)
    pdf.cell(200, 5, printable(verify_url), link=verify_url)
    pdf.set_xy(24, 183)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, printable(_("Issued by %(vendor)s") % {"vendor": brand.name}))

    _qr(pdf, verify_url)
    pdf.set_text_color(*INK)
    return bytes(pdf.output())
