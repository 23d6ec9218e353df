"""Previews and co-branded copies on the private S3 bucket: made by the worker's code, served only through the
gated routes (previews streamed, co-branded downloads as a signed URL of the private prefix), never public."""

import io
from urllib.parse import urlparse

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
import requests
from pypdf import PdfReader

from cms.factories import AssetFactory, pdf_bytes, png_bytes, publish
from cms.models import CobrandedFile, PreviewImage
from cms.storage import private_storage
from partners.factories import PartnerFactory
from partners.services import partner_branding_update
from tests.conftest import make_token_user


@pytest.mark.django_db
def test_previews_and_cobranded_copies_live_in_the_private_bucket(client, django_capture_on_commit_callbacks):
    assert hasattr(private_storage(), "bucket_name")
    partner = PartnerFactory(name="Acme Networks")
    partner_branding_update(
        partner=partner,
        actor=None,
        display_name="Acme Networks",
        logo=SimpleUploadedFile("logo.png", png_bytes(size=(300, 120)), content_type="image/png"),
    )
    user = make_token_user(partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        asset = publish(
            AssetFactory(live=False, cobrandable=True, file=ContentFile(pdf_bytes(pages=2), name="datasheet.pdf"))
        )
    image = PreviewImage.objects.filter(preview__version__asset=asset, kind="thumbnail").get()
    assert private_storage().exists(image.file.name)
    body = client.get(f"/api/v1/assets/{asset.pk}", **user.headers).json()
    picture = client.get(body["thumbnail_url"], **user.headers)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"  # streamed, not a bucket URL
    assert client.get(body["thumbnail_url"], **make_token_user().headers).status_code == 404

    response = client.get(f"/api/v1/assets/{asset.pk}/download", **user.headers)
    assert response.status_code == 302
    copy = CobrandedFile.objects.get()
    assert urlparse(response["Location"]).path.endswith(f"/private/{copy.file.name}")
    fetched = requests.get(response["Location"], timeout=10)
    assert "Acme Networks" in PdfReader(io.BytesIO(fetched.content)).pages[0].extract_text()
    assert requests.get(response["Location"].split("?")[0], timeout=10).status_code == 403  # the bucket is private
