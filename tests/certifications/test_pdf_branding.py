"""The certificate PDF: landscape A4, the vendor's name and logo (Settings → Portal branding, via core.branding),
the holder, the certification, the dates, the code, and the link and QR code to the verification page."""

import io

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from certifications.factories import CertificateFactory, CertificationFactory
from certifications.pdf import certificate_pdf
from core.branding import Branding
from home.models import PortalBranding
from partners.factories import partner_user
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


def png(width=600, height=160, colour=(14, 110, 90)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def set_branding(*, name="Northwind Networks", logo: bytes | None = None, colour="#0e6e5a"):
    setting = PortalBranding.load()
    setting.name, setting.primary_colour = name, colour
    if logo:
        image = ImageFile(io.BytesIO(logo), name="logo.png")
        setting.logo = get_image_model().objects.create(title="Logo", file=image)
    setting.save()


def images_on(pdf: bytes) -> list:
    return list(PdfReader(io.BytesIO(pdf)).pages[0].images)


@pytest.fixture
def holder():
    return make_token_user(user__first_name="Ann", user__last_name="Andersen")


def download(client, holder, certificate) -> bytes:
    response = client.get(f"/api/v1/certificates/{certificate.pk}/pdf", **holder.headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_pdf_is_landscape_a4_with_the_vendor_holder_certification_dates_code_and_verification_link(
    client, holder, settings
):
    settings.PARTNERHUB_PUBLIC_URL = (
        "https://partners.example.com"  # links leave the request: on the one public address
    )
    set_branding()
    certificate = CertificateFactory(
        user=holder.user, certification=CertificationFactory(title="Certified SD-WAN Architect")
    )
    reader = PdfReader(io.BytesIO(download(client, holder, certificate)))
    page = reader.pages[0]
    assert len(reader.pages) == 1
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)  # A4 landscape
    text = page.extract_text()
    for expected in ("Northwind Networks", "Ann Andersen", "Certified SD-WAN Architect"):
        assert expected in text
    assert certificate.verification_code in text
    assert f"{certificate.issued_at:%Y}" in text and f"{certificate.expires_at:%Y}" in text
    assert f"https://partners.example.com/verify/{certificate.verification_code}/" in text
    links = [annotation.get_object()["/A"]["/URI"] for annotation in page["/Annots"]]
    assert f"https://partners.example.com/verify/{certificate.verification_code}/" in links  # the link and the QR code
    assert reader.metadata.author == "Northwind Networks"


def test_without_a_logo_only_the_qr_code_is_an_image_and_with_one_the_logo_is_embedded(client, holder):
    set_branding()
    certificate = CertificateFactory(user=holder.user)
    assert len(images_on(download(client, holder, certificate))) == 1  # the QR code; the initials are drawn
    set_branding(logo=png())
    pictures = images_on(download(client, holder, certificate))
    assert len(pictures) == 2
    assert any(picture.image.size[0] / picture.image.size[1] == pytest.approx(600 / 160) for picture in pictures)


def test_the_branding_comes_through_the_registry_without_certifications_importing_the_portal():
    certificate = CertificateFactory(user=partner_user(user__first_name="Łukasz", user__last_name="Żółć"))
    pdf = certificate_pdf(
        certificate=certificate,
        holder_name="Łukasz Żółć",  # beyond Latin-1: printed as written (a vendored Unicode font)
        verify_url="https://hub.example/verify/x/",
        brand=Branding(name="Initech Partners", logo=b"not an image"),  # an unreadable logo: the initials instead
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Initech" in text and "Łukasz Żółć" in text and "?" not in text
    assert text.startswith("IP\nInitech Partners")  # the initials stand in for the logo
    assert len(images_on(pdf)) == 1


def test_an_svg_logo_is_drawn_and_loads_nothing_else():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80" viewBox="0 0 300 80">'
        b'<rect width="300" height="80" fill="#0e6e5a"/>'
        b'<image href="file:///etc/passwd" width="10" height="10"/></svg>'
    )
    brand = Branding("Acme", svg)
    pdf = certificate_pdf(certificate=CertificateFactory(), holder_name="Ann", verify_url="https://x/", brand=brand)
    assert pdf.startswith(b"%PDF") and b"root:" not in pdf
