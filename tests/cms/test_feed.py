"""``GET /api/v1/feed``: what is new for me since my last visit, leak-proof, in a fixed number of queries."""

from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.services.activity import download_record
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def feed(client, user, **params):
    response = client.get("/api/v1/feed", params, **user.headers)
    assert response.status_code == 200, response.content
    return response.json()


def titles(rows):
    return sorted(row["title"] for row in rows)


def test_new_since_i_last_marked_the_feed_as_seen_and_reading_marks_nothing(client, gold_partner_user):
    with time_machine.travel(T0, tick=False):
        AssetFactory(title="Before")
        first = feed(client, gold_partner_user)
        assert titles(first["new_assets"]) == ["Before"]  # never marked: the last 30 days
        assert titles(feed(client, gold_partner_user)["new_assets"]) == ["Before"]  # reading it again: still new
        seen = client.post("/api/v1/feed/seen", **gold_partner_user.headers)
        assert seen.status_code == 200 and seen.json()["previously_seen_at"] is None
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        AssetFactory(title="After")
        ProgramFactory(title="New program")
        second = feed(client, gold_partner_user)
    assert titles(second["new_assets"]) == ["After"]
    assert titles(second["new_programs"]) == ["New program"]
    assert second["since"].startswith("2027-06-01T09:00")


def test_assets_updated_since_i_downloaded_them_with_the_change_note(client, gold_partner_user):
    with time_machine.travel(T0, tick=False):
        asset = AssetFactory(title="Price list", live=False)
        asset.save_revision().publish()
        untouched = AssetFactory(title="Untouched", live=False)
        untouched.save_revision().publish()
        download_record(asset=asset, user=gold_partner_user.user)
        download_record(asset=untouched, user=gold_partner_user.user)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        asset.file = ContentFile(b"%PDF-1.4 v2", name="prices-v2.pdf")
        asset.version_note = "New Q3 prices"
        asset.save()
        asset.save_revision().publish()
        rows = feed(client, gold_partner_user)["updated_since_download"]
    assert [(r["asset"]["title"], r["asset"]["version"]["number"], r["asset"]["version"]["note"]) for r in rows] == [
        ("Price list", 2, "New Q3 prices")
    ]


def test_bulletins_pinned_new_and_unacknowledged(client, gold_partner_user):
    with time_machine.travel(T0 - timedelta(days=60), tick=False):
        BulletinFactory(title="Old pinned", pinned=True)
        BulletinFactory(title="Old unacknowledged", requires_acknowledgement=True)
        acknowledged = BulletinFactory(title="Old acknowledged", requires_acknowledgement=True)
        BulletinFactory(title="Old plain")
    with time_machine.travel(T0, tick=False):
        client.post(f"/api/v1/bulletins/{acknowledged.pk}/acknowledge", **gold_partner_user.headers)
        BulletinFactory(title="New plain")
        data = feed(client, gold_partner_user)
    assert titles(data["bulletins"]) == ["New plain", "Old pinned", "Old unacknowledged"]
    assert data["bulletins"][0]["title"] == "Old pinned"
    assert data["unacknowledged_bulletins"] == 1


def test_expiring_soon(client, gold_partner_user):
    with time_machine.travel(T0, tick=False):
        AssetFactory(title="Soon", expire_at=T0 + timedelta(days=5))
        AssetFactory(title="Later", expire_at=T0 + timedelta(days=60))
        assert titles(feed(client, gold_partner_user)["expiring_soon"]) == ["Soon"]


def test_feed_never_shows_what_i_may_not_see(client):
    from tests.conftest import TokenUser

    matrix = build_matrix(AssetFactory)
    from partners.services import api_token_issue

    user = TokenUser(user=matrix.viewer_user, token=api_token_issue(user=matrix.viewer_user)[1])
    data = feed(client, user)
    # The feed caps each section; the matrix has 24 visible items, so page through "new" by count.
    shown = {row["id"] for row in data["new_assets"]}
    assert shown <= matrix.expected_visible
    assert len(shown) == min(20, len(matrix.expected_visible))


def test_feed_query_count_does_not_grow(client, gold_partner_user):
    def populate(n):
        for i in range(n):
            AssetFactory(title=f"A{i}", expire_at=T0 + timedelta(days=3))
            ProgramFactory(title=f"P{i}")
            BulletinFactory(title=f"B{i}", pinned=True)

    with time_machine.travel(T0, tick=False):
        populate(2)
        feed(client, gold_partner_user, since="2027-01-01T00:00:00Z")
        with CaptureQueriesContext(connection) as few:
            feed(client, gold_partner_user, since="2027-01-01T00:00:00Z")
        populate(15)
        with CaptureQueriesContext(connection) as many:
            data = feed(client, gold_partner_user, since="2027-01-01T00:00:00Z")
    assert len(data["new_assets"]) == 17
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("since", ["yesterday", "2027-02-30T00:00:00Z", "x" * 500])
def test_bad_since_is_422(client, gold_partner_user, since):
    response = client.get("/api/v1/feed", {"since": since}, **gold_partner_user.headers)
    assert response.status_code == 422
