"""HTTP caching of partner API reads: private, varying by credentials, revalidated with ETags."""

from datetime import timedelta

from django.utils import timezone

import pytest

from cms.factories import AssetFactory, BulletinFactory
from cms.gating.lifecycle import content_archive

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/assets", "/api/v1/me", "/api/v1/bulletins", "ASSET"])
def test_reads_are_private_vary_and_revalidate_to_304(client, gold_partner_user, path):
    asset = AssetFactory()
    path = f"/api/v1/assets/{asset.pk}" if path == "ASSET" else path
    first = client.get(path, **gold_partner_user.headers)
    assert first.status_code == 200
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert {"Authorization", "Cookie"} <= {v.strip() for v in first["Vary"].split(",")}
    etag = first["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=etag, **gold_partner_user.headers)
    assert again.status_code == 304
    assert again.content == b""


def test_detail_has_last_modified(client, gold_partner_user):
    asset = AssetFactory()
    response = client.get(f"/api/v1/assets/{asset.pk}", **gold_partner_user.headers)
    assert response["Last-Modified"].endswith("GMT")


def test_a_change_is_served_at_once_despite_a_cached_copy(client, gold_partner_user):
    asset = AssetFactory(title="Old title")
    url = f"/api/v1/assets/{asset.pk}"
    etag = client.get(url, **gold_partner_user.headers)["ETag"]
    asset.title = "New title"
    asset.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag, **gold_partner_user.headers)
    assert response.status_code == 200 and response.json()["title"] == "New title"


def test_expired_or_archived_items_leave_lists_at_once(client, gold_partner_user):
    staying = AssetFactory()
    expiring = AssetFactory(expire_at=timezone.now() + timedelta(seconds=2))
    archived = AssetFactory()
    listing = client.get("/api/v1/assets", **gold_partner_user.headers)
    assert {r["id"] for r in listing.json()["results"]} == {staying.pk, expiring.pk, archived.pk}
    content_archive(item=archived)
    expiring.expire_at = timezone.now() - timedelta(seconds=1)
    expiring.save()
    again = client.get("/api/v1/assets", HTTP_IF_NONE_MATCH=listing["ETag"], **gold_partner_user.headers)
    assert again.status_code == 200
    assert {r["id"] for r in again.json()["results"]} == {staying.pk}


def test_my_acknowledgement_changes_the_etag(client, gold_partner_user):
    bulletin = BulletinFactory(requires_acknowledgement=True)
    url = f"/api/v1/bulletins/{bulletin.pk}"
    etag = client.get(url, **gold_partner_user.headers)["ETag"]
    client.post(f"{url}/acknowledge", **gold_partner_user.headers)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag, **gold_partner_user.headers)
    assert response.status_code == 200 and response.json()["acknowledged"] is True


def test_errors_and_downloads_are_not_cached(client, gold_partner_user):
    assert "ETag" not in client.get("/api/v1/assets/999999", **gold_partner_user.headers)
    asset = AssetFactory()
    download = client.get(f"/api/v1/assets/{asset.pk}/download", **gold_partner_user.headers)
    assert download["Cache-Control"] == "private, no-store"
    assert "ETag" not in download
