"""Gated files through every door Django and Wagtail would otherwise open.

A gated asset's file lives in private storage, outside ``MEDIA_ROOT``, and has no
URL: not ``/media/…``, not Wagtail's document serve view, not a guessable path.
Only the gated download endpoint (the API issue) will hand it out.
"""

from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse

import pytest

from cms.factories import AssetFactory
from cms.storage import private_storage
from partners.factories import PartnerFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated_asset():
    return AssetFactory(live=True, min_tier=TierFactory(key="platinum", rank=40), title="Platinum price list")


@pytest.fixture
def outsider(client):
    user = partner_user(partner=PartnerFactory(tier=TierFactory(key="registered", rank=10)))
    client.force_login(user)
    return client


def candidate_urls(asset):
    name = asset.file.name
    base = Path(name).name
    return [
        f"/media/{name}",
        f"/media/private/{name}",
        f"/private-media/{name}",
        f"/documents/{asset.pk}/{base}",
        f"/documents/{asset.pk}/",
        f"/{name}",
        f"/static/{name}",
        f"/admin/documents/{asset.pk}/",
    ]


def test_the_file_is_stored_privately_outside_media_root(gated_asset):
    stored = Path(private_storage().path(gated_asset.file.name))
    assert stored.exists()
    assert Path(settings.PRIVATE_MEDIA_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents


def test_private_files_have_no_url(gated_asset):
    with pytest.raises(NotImplementedError, match="download endpoint"):
        _ = gated_asset.file.url


def test_wagtail_document_serve_view_is_not_mounted():
    with pytest.raises(NoReverseMatch):
        reverse("wagtaildocs_serve", args=[1, "file.pdf"])


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_no_url_serves_the_file(client, outsider, gated_asset, who):
    browser = client if who == "outsider" else type(client)()
    content = gated_asset.file.open("rb").read()
    gated_asset.file.close()
    for url in candidate_urls(gated_asset):
        response = browser.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (302, 404), url
        assert content not in body, url


def test_media_url_does_not_serve_private_files_even_in_debug(client, gated_asset, settings):
    settings.DEBUG = True
    response = client.get(f"/media/{gated_asset.file.name}")
    assert response.status_code == 404
