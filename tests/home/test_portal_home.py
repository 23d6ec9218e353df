"""The portal's home at /: a landing for visitors, the feed for partner users, "mark as seen", acknowledging."""

from datetime import UTC, datetime, timedelta

from django.test import override_settings

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory
from cms.models import BulletinAcknowledgement
from partners.factories import StaffUserFactory, TierFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    return response.content.decode()


def test_a_visitor_gets_the_landing_with_the_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/accounts/login/"' in html(response)
    assert "Welcome back" not in html(response)


def test_with_the_portal_switched_off_the_home_is_the_headless_notice_and_portal_pages_are_404(client, member):
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        assert "is headless" in html(client.get("/"))
        assert client.get("/links/").status_code == 404
        assert client.post("/portal/feed/seen/").status_code == 404


def test_staff_are_sent_to_the_admin_not_shown_partner_content(client):
    client.force_login(StaffUserFactory())
    AssetFactory(title="Gated price list")
    response = client.get("/")
    assert response.status_code == 403
    assert "Go to the admin" in html(response) and "Gated price list" not in html(response)


def test_the_feed_shows_what_is_new_for_my_audience_only(client, member):
    everyone = AssetFactory(title="For everyone")
    AssetFactory(title="Platinum only", min_tier=TierFactory(key="platinum", rank=40))
    response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    assert "Welcome, " in page and "For everyone" in page
    assert "Platinum only" not in page
    # The asset opens its library page, and its download is the library's (the API's audited download).
    assert f'href="/library/{everyone.pk}/"' in page and f'href="/library/{everyone.pk}/download/"' in page


def test_new_stays_new_until_i_mark_it_seen(client, gold_partner_user):
    with time_machine.travel(T0, tick=False):
        client.force_login(gold_partner_user.user)  # a session of that day (one of today's would have expired)
        AssetFactory(title="Launch kit")
        first = html(client.get("/"))
        assert "Launch kit" in first and "Welcome, " in first and "Welcome back" not in first  # a first visit
        assert "Launch kit" in html(client.get("/"))  # reading marks nothing
        response = client.post("/portal/feed/seen/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "All caught up" in html(response)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        page = html(client.get("/"))
    assert "Launch kit" not in page and "Nothing new since you last looked." in page
    assert "Welcome back" in page  # once they have marked it seen


def test_acknowledging_a_bulletin_from_the_home_page(client, member):
    bulletin = BulletinFactory(title="New pricing rules", requires_acknowledgement=True)
    assert "I have read this" in html(client.get("/"))
    response = client.post(f"/portal/bulletins/{bulletin.pk}/acknowledge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Acknowledged" in html(response)
    assert BulletinAcknowledgement.objects.filter(bulletin=bulletin, user=member).count() == 1
    assert client.post(f"/portal/bulletins/{bulletin.pk}/acknowledge/").status_code == 302  # again: no harm


def test_acknowledging_what_i_may_not_see_is_404_and_what_asks_nothing_is_400(client, member):
    hidden = BulletinFactory(requires_acknowledgement=True, min_tier=TierFactory(key="platinum", rank=40))
    assert client.post(f"/portal/bulletins/{hidden.pk}/acknowledge/").status_code == 404
    plain = BulletinFactory(requires_acknowledgement=False)
    assert client.post(f"/portal/bulletins/{plain.pk}/acknowledge/").status_code == 400
    assert not BulletinAcknowledgement.objects.exists()


def test_a_visitor_is_sent_to_sign_in_from_portal_pages(client):
    response = client.get("/links/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/links/")
    assert client.post("/portal/feed/seen/").status_code == 302


def test_the_home_page_costs_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    def count() -> int:
        with django_assert_max_num_queries(60) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    AssetFactory()
    BulletinFactory(requires_acknowledgement=True)
    client.get("/")  # the first request of a site makes its branding settings row
    few = count()
    for _ in range(6):
        AssetFactory()
        BulletinFactory(requires_acknowledgement=True)
    assert count() == few


def test_portal_pages_carry_a_strict_content_security_policy_and_the_admin_does_not(client, member, admin_client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy  # a nonce only when a page uses one
    assert "frame-ancestors 'none'" in policy
    client.logout()
    assert "script-src 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]
    assert "Content-Security-Policy" not in admin_client.get("/admin/").headers
    assert "<script>" not in html(client.get("/")) and " style=" not in html(client.get("/"))
