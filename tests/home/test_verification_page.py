"""The public verification page of a certificate, where the PDF's link and QR code lead."""

import io
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
from pypdf import PdfReader

from certifications.factories import CertificateFactory, CertificationFactory
from certifications.services import certificate_revoke
from partners.factories import StaffUserFactory, partner_user
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    holder = partner_user(user__first_name="Ann", user__last_name="Andersen", user__email="ann@acme.example")
    return CertificateFactory(user=holder, certification=CertificationFactory(title="Certified SD-WAN seller"))


def page(client, code):
    response = client.get(f"/verify/{code}/")
    return response.status_code, response.content.decode()


def test_anyone_reads_a_valid_certificate_with_only_the_holder_the_certification_and_the_dates(client, certificate):
    status, html = page(client, certificate.verification_code)
    assert status == 200
    assert "Valid" in html and "Certified SD-WAN seller" in html and "Ann Andersen" in html
    assert f"{certificate.expires_at:%Y}" in html
    assert "ann@acme.example" not in html and str(certificate.partner) not in html  # nothing else


def test_a_revoked_or_expired_certificate_says_so(client, certificate):
    certificate_revoke(certificate=certificate, reason="Shared exam answers", user=StaffUserFactory())
    status, html = page(client, certificate.verification_code)
    assert status == 200 and "Revoked" in html and "Shared exam answers" not in html  # the reason stays private
    expired = CertificateFactory(expires_in=timedelta(days=-1))
    assert "Expired" in page(client, expired.verification_code)[1]


def test_an_unknown_code_is_404_with_a_page_that_says_what_to_do(client):
    status, html = page(client, "not-a-real-code")
    assert status == 404 and "No certificate has this code" in html


def test_checking_too_often_from_one_address_is_429(client, certificate):
    statuses = [client.get(f"/verify/{certificate.verification_code}/").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429  # PARTNERHUB_VERIFY_RATE, as the API


def test_the_pdf_and_the_api_lead_to_this_page(client, certificate, settings):
    settings.PARTNERHUB_PUBLIC_URL = (
        "https://partners.example.com"  # links leave the request: on the one public address
    )
    holder = make_token_user()
    mine = CertificateFactory(user=holder.user)
    listed = client.get("/api/v1/me/certificates", **holder.headers).json()["results"][0]
    assert listed["verification_url"] == f"https://partners.example.com/verify/{mine.verification_code}/"
    pdf = client.get(f"/api/v1/certificates/{mine.pk}/pdf", **holder.headers)
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"/verify/{mine.verification_code}/" in text and "/api/v1/verify/" not in text


def test_with_the_portal_switched_off_the_links_fall_back_to_the_api(client, settings):
    settings.PARTNERHUB_PUBLIC_URL = (
        "https://partners.example.com"  # links leave the request: on the one public address
    )
    holder = make_token_user()
    mine = CertificateFactory(user=holder.user, issued_at=timezone.now())
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        listed = client.get("/api/v1/me/certificates", **holder.headers).json()["results"][0]
        assert listed["verification_url"] == f"https://partners.example.com/api/v1/verify/{mine.verification_code}"
        assert client.get(f"/verify/{mine.verification_code}/").status_code == 404
