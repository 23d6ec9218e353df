"""A certificate as a clean one-page PDF (fpdf2), with its verification code, URL and a QR code (segno)."""

import io

from django.utils import timezone

import segno
from fpdf import FPDF


def _text(value: str) -> str:
    """Core PDF fonts speak Latin-1: keep what they can print, replace the rest."""
    return value.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(*, certificate, holder_name: str, verify_url: str) -> bytes:
    certification = certificate.certification
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_text(f"{certification.title}: {holder_name}"))
    pdf.set_author("Partner Hub")
    pdf.add_page()
    pdf.set_draw_color(40, 40, 90)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font("Helvetica", "", 14)
    pdf.set_y(30)
    pdf.cell(0, 10, "Certificate of achievement", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 28)
    pdf.cell(0, 18, _text(holder_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, "is certified in", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    pdf.multi_cell(0, 12, _text(certification.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    if certificate.partner:
        pdf.cell(0, 8, _text(f"at {certificate.partner.name}"), align="C", new_x="LMARGIN", new_y="NEXT")
    issued = timezone.localdate(certificate.issued_at).strftime("%d %B %Y")
    expires = timezone.localdate(certificate.expires_at).strftime("%d %B %Y")
    pdf.cell(0, 8, f"Issued {issued} - valid until {expires}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(160)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(200, 6, f"Verification code: {certificate.verification_code}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(200, 6, _text(f"Check it at {verify_url}"), link=verify_url)
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    pdf.image(qr, x=240, y=150, w=35, h=35)
    return bytes(pdf.output())
