"""The token and the viewer's facts are cached (``partners.identity_cache``), and every change ends that at once."""

from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from partners.factories import PartnerFactory, RoleFactory, TierFactory
from partners.services import held_qualifications_replace
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller():
    partner = PartnerFactory(tier=TierFactory(key="gold", name="Gold", rank=30))
    return make_token_user(partner=partner, roles=[RoleFactory(key="sales", name="Sales")])


def me(client, caller):
    return client.get("/api/v1/me", **caller.headers)


def test_a_known_token_costs_no_query_for_who_is_asking(client, caller):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/assets", **caller.headers).status_code == 200
    with CaptureQueriesContext(connection) as then:
        assert client.get("/api/v1/assets", **caller.headers).status_code == 200
    assert "wagtailcore_apitoken" not in " ".join(q["sql"] for q in then.captured_queries)
    # Neither the token (with its user) nor the viewer's facts are read again: at least two queries fewer.
    assert len(then) <= len(first) - 2


def test_deactivating_the_user_refuses_the_cached_token_at_once(client, caller):
    assert me(client, caller).status_code == 200
    caller.user.is_active = False
    caller.user.save()
    assert me(client, caller).status_code == 401


def test_revoking_the_token_or_deactivating_the_partner_refuses_it_at_once(client, caller):
    from wagtail.models import APIToken

    assert me(client, caller).status_code == 200
    partner = caller.user.partner_membership.partner
    partner.is_active = False
    partner.save()
    assert me(client, caller).status_code == 401
    partner.is_active = True
    partner.save()
    assert me(client, caller).status_code == 200
    APIToken.objects.get(user=caller.user).revoke()
    assert me(client, caller).status_code == 401


def test_a_role_taken_away_changes_what_the_cached_viewer_sees(client, caller):
    from cms.factories import AssetFactory

    asset = AssetFactory(roles=[caller.user.partner_membership.roles.get()])
    assert client.get(f"/api/v1/assets/{asset.pk}", **caller.headers).status_code == 200
    caller.user.partner_membership.roles.clear()
    assert client.get(f"/api/v1/assets/{asset.pk}", **caller.headers).status_code == 404


def test_the_last_day_ends_the_cached_token(client, caller):
    membership = caller.user.partner_membership
    membership.leaves_on = timezone.localdate()
    membership.save()
    assert me(client, caller).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert me(client, caller).status_code == 401


def test_bulk_held_qualification_writes_move_the_generation_on(caller):
    from django.core.cache import cache

    from partners.identity_cache import GENERATION_KEY
    from partners.models import Qualification

    qualification = Qualification.objects.create(key="q", name="Q")
    before = cache.get(GENERATION_KEY)
    held_qualifications_replace(
        qualification_ids=[qualification.pk], wanted={(caller.user.pk, qualification.pk): None}
    )
    assert cache.get(GENERATION_KEY) != before
