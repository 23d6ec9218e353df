"""The editor picks the certification an item requires in its Audience tab (a select of certifications)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from certifications.factories import CertificationFactory
from cms.models import Asset

pytestmark = pytest.mark.django_db


def test_the_audience_tab_offers_the_certifications(superuser_client):
    CertificationFactory(title="SD-WAN Pro")
    page = superuser_client.get(reverse("wagtailsnippets_cms_asset:add")).content.decode()
    assert "Requires certification" in page
    assert ">SD-WAN Pro<" in page


def test_an_editor_requires_a_certification_held_by_two_users_of_the_partner(superuser_client):
    certification = CertificationFactory(title="SD-WAN Pro")
    data = {
        "title": "Team price list",
        "asset_type": "document",
        "file": SimpleUploadedFile("prices.pdf", b"%PDF-1.4\n% test\n"),
        "required_qualification": certification.qualification_id,
        "required_qualification_mode": "partner",
        "required_holders": 2,
    }
    response = superuser_client.post(reverse("wagtailsnippets_cms_asset:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    asset = Asset.objects.get(title="Team price list")
    assert (asset.required_qualification_id, asset.required_qualification_mode, asset.required_holders) == (
        certification.qualification_id,
        "partner",
        2,
    )


def test_holders_with_a_user_requirement_are_refused_with_a_message(superuser_client):
    certification = CertificationFactory()
    data = {
        "title": "Deck",
        "asset_type": "document",
        "file": SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n% test\n"),
        "required_qualification": certification.qualification_id,
        "required_qualification_mode": "user",
        "required_holders": 3,
    }
    response = superuser_client.post(reverse("wagtailsnippets_cms_asset:add"), data)
    assert response.status_code == 200
    assert "Only a requirement held by the partner counts holders" in response.content.decode()
    assert not Asset.objects.exists()
