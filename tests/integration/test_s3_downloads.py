"""Gated downloads from the private S3 bucket: a 302 to a short-lived signed URL, never a public one."""

from urllib.parse import parse_qs, urlparse

from django.conf import settings

import pytest
import requests

from cms.factories import AssetFactory
from cms.storage import private_storage
from partners.factories import TierFactory
from tests.conftest import make_token_user


@pytest.mark.django_db
def test_download_redirects_to_a_signed_attachment_url_of_the_private_prefix(client):
    assert hasattr(private_storage(), "bucket_name")
    user = make_token_user()
    asset = AssetFactory(live=False, title="Q3 price list")
    asset.save_revision().publish()
    assert asset.file.name.startswith("assets/")

    response = client.get(f"/api/v1/assets/{asset.pk}/download", **user.headers)
    assert response.status_code == 302
    location = response["Location"]
    query = parse_qs(urlparse(location).query)
    assert urlparse(location).path.endswith(f"/private/{asset.file.name}")
    assert query["X-Amz-Expires"] == [str(settings.PARTNERHUB_DOWNLOAD_URL_SECONDS)]
    assert query["response-content-disposition"] == ['attachment; filename="q3-price-list.pdf"']
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content.startswith(b"%PDF")
    assert requests.get(location.split("?")[0], timeout=10).status_code == 403  # the bucket is private


@pytest.mark.django_db
def test_gated_download_is_404_and_hands_out_no_url(client):
    secret = AssetFactory(min_tier=TierFactory(key="diamond", rank=99))
    outsider = make_token_user_with_low_tier()
    response = client.get(f"/api/v1/assets/{secret.pk}/download", **outsider.headers)
    assert response.status_code == 404
    assert "Location" not in response


def make_token_user_with_low_tier():
    from partners.factories import PartnerFactory

    return make_token_user(partner=PartnerFactory(tier=TierFactory(key="registered", rank=10)))
