"""Content views: every successful detail read of a gated item by a partner user is one ``ContentView`` row.

Lists, 404s (outside the audience, or no such item), locked items (403) and editors' previews record nothing;
recording costs the detail one INSERT and no other query.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from certifications.factories import CertificationFactory
from cms.factories import AssetFactory, BulletinFactory, ContentViewFactory, ProgramFactory
from cms.gating.preview import preview_snapshot_create, preview_token_for
from cms.models import ContentView
from cms.services.activity import record_content_view
from partners.factories import PartnerFactory, PartnerMembershipFactory, StaffUserFactory, TierFactory
from partners.services import api_token_issue
from tests.conftest import make_token_user
from tests.partners.qualification_matrix import requirement

pytestmark = pytest.mark.django_db

KINDS = {"assets": AssetFactory, "programs": ProgramFactory, "bulletins": BulletinFactory}


def auth(user):
    _token, plaintext = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.mark.parametrize("path", list(KINDS))
def test_an_api_detail_read_records_one_view_with_the_item_and_the_users_partner(client, gold_partner_user, path):
    item = KINDS[path]()
    assert client.get(f"/api/v1/{path}?page_size=100", **gold_partner_user.headers).status_code == 200
    assert not ContentView.objects.exists()  # a list is not a view of each item
    assert client.get(f"/api/v1/{path}/{item.pk}", **gold_partner_user.headers).status_code == 200
    view = ContentView.objects.get()
    assert (view.kind, view.item_id, view.user, view.partner) == (
        path.removesuffix("s"),
        item.pk,
        gold_partner_user.user,
        gold_partner_user.user.partner_membership.partner,
    )
    assert view.viewed_at is not None
    client.get(f"/api/v1/{path}/{item.pk}", **gold_partner_user.headers)
    assert ContentView.objects.count() == 2  # every read counts: unique viewers are the reader's business


def test_a_304_revalidation_is_a_read_too(client, gold_partner_user):
    """The view ran and the client shows the item it holds (``ApiCachingMiddleware`` answers 304 on its ETag)."""
    asset = AssetFactory()
    etag = client.get(f"/api/v1/assets/{asset.pk}", **gold_partner_user.headers)["ETag"]
    again = client.get(f"/api/v1/assets/{asset.pk}", HTTP_IF_NONE_MATCH=etag, **gold_partner_user.headers)
    assert again.status_code == 304
    assert ContentView.objects.count() == 2


@pytest.mark.parametrize("path", list(KINDS))
def test_a_404_records_nothing(client, gold_partner_user, path):
    hidden = KINDS[path](min_tier=TierFactory(key="platinum", rank=40))  # outside a Gold partner's audience
    draft = KINDS[path](live=False)
    for pk in (hidden.pk, draft.pk, 999_999):
        assert client.get(f"/api/v1/{path}/{pk}", **gold_partner_user.headers).status_code == 404
    assert not ContentView.objects.exists()


@pytest.mark.parametrize("path", list(KINDS))
def test_a_locked_item_403_records_nothing(client, gold_partner_user, path):
    locked = KINDS[path](**requirement(CertificationFactory().qualification))
    assert client.get(f"/api/v1/{path}/{locked.pk}", **gold_partner_user.headers).status_code == 403
    assert not ContentView.objects.exists()


def test_editors_previews_record_nothing(client, rf):
    """The headless preview (``GET /api/v1/preview``) and Wagtail's preview of an item are not views."""
    editor = StaffUserFactory()
    asset = AssetFactory(title="Deck")
    token = preview_token_for(snapshot=preview_snapshot_create(item=asset, user=editor))
    assert client.get("/api/v1/preview", {"token": token}).status_code == 200
    request = rf.get("/")
    request.user = editor
    assert asset.serve_preview(request, "").status_code == 200
    assert not ContentView.objects.exists()


def test_staff_and_anonymous_users_without_a_partner_record_nothing(client):
    asset = AssetFactory()
    editor = StaffUserFactory()
    client.force_login(editor)  # no API token for them (``api_token_issue`` refuses): the session, and the portal
    assert client.get(f"/api/v1/assets/{asset.pk}").status_code in (401, 404)
    assert client.get(f"/library/{asset.pk}/").status_code == 403  # "not a partner"
    assert record_content_view(user=editor, item=asset) is None
    assert record_content_view(user=AnonymousUser(), item=asset) is None
    assert not ContentView.objects.exists()


def test_staff_who_are_partner_members_are_recorded_and_left_out_of_partner_analytics(client):
    """Like their downloads and searches: recorded as members of their partner; ``by_partner_users`` drops them,
    and the users of test partners, as ``SearchQuery.objects.by_partner_users`` does."""
    asset = AssetFactory()
    staff_member = PartnerMembershipFactory(user=StaffUserFactory()).user
    tester = make_token_user(partner=PartnerFactory(is_test=True)).user
    partner = make_token_user().user
    for user in (staff_member, tester, partner):
        assert client.get(f"/api/v1/assets/{asset.pk}", **auth(user)).status_code == 200
    assert ContentView.objects.count() == 3
    assert [view.user for view in ContentView.objects.by_partner_users()] == [partner]


def test_the_service_records_any_gated_kind_by_its_model_name():
    user = make_token_user().user
    program = ProgramFactory()
    view = record_content_view(user=user, item=program)
    assert (view.kind, view.item_id, view.partner_id) == ("program", program.pk, user.partner_membership.partner_id)


def test_the_factory_takes_the_item_and_the_users_partner():
    user = make_token_user().user
    bulletin = BulletinFactory()
    view = ContentViewFactory(item=bulletin, user=user)
    assert (view.kind, view.item_id, view.partner) == ("bulletin", bulletin.pk, user.partner_membership.partner)
    anonymous = ContentViewFactory()
    assert (anonymous.kind, anonymous.user, anonymous.partner) == ("asset", None, None)


def test_recording_costs_the_asset_detail_one_insert_and_nothing_else(client, gold_partner_user, monkeypatch):
    asset = AssetFactory()
    url = f"/api/v1/assets/{asset.pk}"

    def detail():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **gold_partner_user.headers).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    detail()  # warm the caches (identity, counts) like any second request
    recorded = detail()
    with monkeypatch.context() as patched:
        patched.setattr("cms.api.activity.record_content_view", lambda **kwargs: None)
        unrecorded = detail()
    assert len(recorded) == len(unrecorded) + 1
    extra = [sql for sql in recorded if "cms_contentview" in sql]
    assert len(extra) == 1 and extra[0].startswith('INSERT INTO "cms_contentview"')
