"""The audience tab says how many partners and partner users the audience chosen so far reaches, right now."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupPagePermission, Page

import pytest

from certifications.models import Certification
from cms.factories import AssetFactory
from cms.models import Asset, Bulletin, Program
from courses.models import Course
from partners.admin.reach import may_set_audiences
from partners.audience import gated_models
from partners.factories import (
    PartnerFactory,
    PartnerMembershipFactory,
    PartnerTypeFactory,
    RegionFactory,
    RoleFactory,
    TierFactory,
    partner_user,
    staff_user_with_permissions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    gold, silver = TierFactory(key="gold", rank=30), TierFactory(key="silver", rank=20)
    reseller, emea, sales = PartnerTypeFactory(key="reseller"), RegionFactory(key="emea"), RoleFactory(key="sales")
    acme = PartnerFactory(name="Acme", tier=gold, partner_type=reseller, region=emea)
    bolt = PartnerFactory(name="Bolt", tier=silver, partner_type=reseller, region=emea)
    PartnerFactory(name="Closed", tier=gold, partner_type=reseller, region=emea, is_active=False)
    PartnerMembershipFactory(partner=acme, roles=[sales])
    PartnerMembershipFactory(partner=acme)
    PartnerMembershipFactory(partner=acme, roles=[sales], user__is_active=False)
    PartnerMembershipFactory(partner=bolt, roles=[sales], leaves_on=timezone.localdate() - timedelta(days=1))
    PartnerMembershipFactory(partner=bolt, roles=[sales])
    return {"gold": gold, "reseller": reseller, "emea": emea, "sales": sales}


def reach(client, **params):
    response = client.get(reverse("partners_audience_reach"), params)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_reach_counts_active_partners_and_their_current_active_users(client, world):
    client.force_login(staff_user_with_permissions("cms.change_asset"))
    assert "reaches <strong>2 partners</strong> and <strong>3 partner users</strong>: Acme, Bolt." in reach(client)
    assert "<strong>1 partner</strong> and <strong>2 partner users</strong>: Acme." in reach(
        client, min_tier=world["gold"].pk
    )
    assert "<strong>2 partners</strong> and <strong>2 partner users</strong>" in reach(
        client, roles=world["sales"].pk, regions=world["emea"].pk, partner_types=world["reseller"].pk
    )
    nobody = reach(client, regions=RegionFactory(key="apac").pk)
    assert "<strong>0 partners</strong>" in nobody and "nobody would see it" in nobody


def test_a_long_list_of_partners_is_sampled(client, world):
    for n in range(6):
        PartnerFactory(name=f"Zeta {n}")
    client.force_login(staff_user_with_permissions("cms.change_asset"))
    assert "Acme, Bolt, Zeta 0, Zeta 1, Zeta 2 and 3 more." in reach(client)


def test_bad_parameters_are_ignored_not_an_error(client, world):
    client.force_login(staff_user_with_permissions("cms.change_asset"))
    assert "<strong>2 partners</strong>" in reach(client, min_tier="gold", roles=["x", "-1"], regions="1.5")


def test_partner_users_and_visitors_cannot_ask(client, world):
    assert client.get(reverse("partners_audience_reach")).status_code == 302  # to the sign-in
    client.force_login(partner_user(partner=PartnerFactory()))
    assert client.get(reverse("partners_audience_reach")).status_code in (302, 403)


def test_staff_who_may_set_no_audience_are_refused_and_see_no_counts(client, world):
    client.force_login(staff_user_with_permissions("partners.view_partner"))  # may open the admin, edit no content
    response = client.get(reverse("partners_audience_reach"))
    assert response.status_code == 403
    assert "reaches" not in response.content.decode() and "Acme" not in response.content.decode()


def test_an_editor_who_may_add_assets_gets_the_counts(client, world):
    client.force_login(staff_user_with_permissions("cms.add_asset"))
    assert "reaches <strong>2 partners</strong> and <strong>3 partner users</strong>: Acme, Bolt." in reach(client)


def test_a_page_editor_gets_the_counts_for_the_home_pages_banners(client, world):
    user = staff_user_with_permissions()
    GroupPagePermission.objects.create(
        group=user.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page"),
    )
    client.force_login(user)
    assert "reaches <strong>2 partners</strong>" in reach(client)


def test_may_set_audiences_asks_every_model_with_an_audience(world):
    assert {Asset, Program, Bulletin, Course, Certification} <= set(gated_models())
    assert not may_set_audiences(staff_user_with_permissions())
    for permission in ("cms.change_bulletin", "courses.add_course", "certifications.change_certification"):
        assert may_set_audiences(staff_user_with_permissions(permission)), permission


def test_the_audience_tab_has_the_live_reach_and_its_script(client, world):
    client.force_login(staff_user_with_permissions("cms.change_asset"))
    asset = AssetFactory()
    html = client.get(reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk])).content.decode()
    assert f'data-audience-reach data-url="{reverse("partners_audience_reach")}"' in html
    assert "partners/admin/audience_reach.js" in html
