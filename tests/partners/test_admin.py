"""The partners admin: listings, filters, search, export, editing and who may open it."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wagtail.log_actions import registry as log_registry
from wagtail.models import ReferenceIndex

import pytest

from partners.factories import (
    PartnerFactory,
    PartnerMembershipFactory,
    PartnerTypeFactory,
    RegionFactory,
    RoleFactory,
    TierFactory,
    UserFactory,
    give_second_factor,
)
from partners.models import Role, Tier
from partners.services import api_token_issue

pytestmark = pytest.mark.django_db
STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)


@pytest.fixture
def superuser_client(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.test", "admin-password")
    give_second_factor(admin)
    client.force_login(admin)
    return client


@pytest.fixture
def data():
    """Two tiers, two partners and one partner user at each of them."""
    registered = TierFactory(key="registered", name="Registered", rank=10)
    gold = TierFactory(key="gold", name="Gold", rank=30)
    reseller = PartnerTypeFactory(key="reseller", name="Reseller")
    emea = RegionFactory(key="emea", name="EMEA")
    sales = RoleFactory(key="sales", name="Sales")
    technical = RoleFactory(key="technical", name="Technical")
    acme = PartnerFactory(key="acme", name="Acme Resellers", tier=gold, partner_type=reseller, region=emea)
    globex = PartnerFactory(key="globex", name="Globex Systems", tier=registered, partner_type=reseller, region=emea)
    alice = PartnerMembershipFactory(
        user=UserFactory(username="alice", email="alice@acme.test"), partner=acme, roles=[sales, technical]
    ).user
    bob = PartnerMembershipFactory(
        user=UserFactory(username="bob", email="bob@globex.test"), partner=globex, roles=[technical]
    ).user
    return {
        "registered": registered,
        "gold": gold,
        "reseller": reseller,
        "emea": emea,
        "sales": sales,
        "technical": technical,
        "acme": acme,
        "globex": globex,
        "alice": alice,
        "bob": bob,
    }


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("viewset", "expected"),
    [
        ("partners", ["Acme Resellers", "Globex Systems"]),
        ("partner_users", ["alice", "alice@acme.test", "bob", "bob@globex.test", "Sales, Technical"]),
        ("partner_tiers", ["Registered", "Gold"]),
        ("partner_types", ["Reseller"]),
        ("partner_regions", ["EMEA"]),
        ("partner_roles", ["Sales", "Technical"]),
    ],
)
def test_index_views_list_their_objects(superuser_client, data, viewset, expected):
    html = listed(superuser_client.get(reverse(f"{viewset}:index")))
    for text in expected:
        assert text in html


@pytest.mark.parametrize(
    ("viewset", "obj"),
    [
        ("partners", "acme"),
        ("partner_users", None),
        ("partner_tiers", "gold"),
        ("partner_types", "reseller"),
        ("partner_regions", "emea"),
        ("partner_roles", "sales"),
    ],
)
def test_add_and_edit_forms_render(superuser_client, data, viewset, obj):
    pk = data[obj].pk if obj else data["alice"].partner_membership.pk
    assert superuser_client.get(reverse(f"{viewset}:add")).status_code == 200
    assert superuser_client.get(reverse(f"{viewset}:edit", args=[pk])).status_code == 200


def test_partner_list_shows_member_count_and_status(superuser_client, data):
    url = reverse("partners:index")
    assert "Inactive" not in listed(superuser_client.get(url))
    data["globex"].is_active = False
    data["globex"].save()
    for username in ["carol", "dave"]:
        PartnerMembershipFactory(user=UserFactory(username=username), partner=data["globex"])

    html = listed(superuser_client.get(url, {"ordering": "-member_count"}))

    assert html.index("Globex Systems") < html.index("Acme Resellers")
    assert "Inactive" in html


def test_partner_list_filters_by_tier(superuser_client, data):
    html = listed(superuser_client.get(reverse("partners:index"), {"tier": data["gold"].pk}))

    assert "Acme Resellers" in html
    assert "Globex Systems" not in html


def test_partner_list_searches_by_name(superuser_client, data):
    html = listed(superuser_client.get(reverse("partners:index"), {"q": "globex"}))

    assert "Globex Systems" in html
    assert "Acme Resellers" not in html


def test_partner_list_exports_csv(superuser_client, data):
    response = superuser_client.get(reverse("partners:index"), {"export": "csv"})

    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "Name,Key,Tier,Partner type,Region,Channel manager,Active,Members"
    assert "Acme Resellers,acme,Gold,Reseller,EMEA,,True,1" in rows


def test_partner_user_list_filters_by_role_and_tier(superuser_client, data):
    url = reverse("partner_users:index")

    html = listed(superuser_client.get(url, {"roles": data["sales"].pk}))
    assert "alice@acme.test" in html
    assert "bob@globex.test" not in html

    html = listed(superuser_client.get(url, {"partner__tier": data["registered"].pk}))
    assert "bob@globex.test" in html
    assert "alice@acme.test" not in html


def test_partner_user_list_searches_by_email_and_partner_name(superuser_client, data):
    url = reverse("partner_users:index")

    html = listed(superuser_client.get(url, {"q": "bob@"}))
    assert "bob@globex.test" in html
    assert "alice@acme.test" not in html

    html = listed(superuser_client.get(url, {"q": "acme res"}))
    assert "alice@acme.test" in html
    assert "bob@globex.test" not in html


def test_deactivating_a_partner_in_the_admin_locks_its_users_out_of_the_api(superuser_client, data):
    acme = data["acme"]
    _, plaintext = api_token_issue(user=data["alice"], name="t")
    api = Client()  # no admin session: the token alone must authenticate
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert api.get("/api/v1/me", **auth).status_code == 200

    # The edit form posts foreign keys as ids; an unchecked checkbox is simply absent.
    response = superuser_client.post(
        reverse("partners:edit", args=[acme.pk]),
        {
            "name": acme.name,
            "key": acme.key,
            "tier": acme.tier_id,
            "partner_type": acme.partner_type_id,
            "region": acme.region_id,
            "mfa_policy": "optional",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("partners:index")
    acme.refresh_from_db()
    assert acme.is_active is False
    assert log_registry.get_logs_for_instance(acme).filter(action="wagtail.edit").exists()
    assert api.get("/api/v1/me", **auth).status_code == 401


def test_partner_user_cannot_open_the_partner_admin(client, data):
    client.force_login(data["alice"])

    response = client.get(reverse("partners:index"))

    assert response.status_code == 302
    assert response.url.startswith(STAFF_LOGIN)


def test_a_tier_in_use_cannot_be_deleted(superuser_client, data):
    gold = data["gold"]
    url = reverse("partner_tiers:delete", args=[gold.pk])  # loads the admin, which registers Partner for indexing
    ReferenceIndex.create_or_update_for_object(data["acme"])

    html = listed(superuser_client.get(url))
    superuser_client.post(url)

    assert "One or more references to this tier prevent it from being deleted." in html
    assert Tier.objects.filter(pk=gold.pk).exists()


def test_a_tier_in_use_is_not_deleted_even_when_the_reference_index_missed_the_use(superuser_client, data):
    gold = data["gold"]
    ReferenceIndex.remove_for_object(data["acme"])

    response = superuser_client.post(reverse("partner_tiers:delete", args=[gold.pk]), follow=True)

    assert "cannot be deleted: it is still used by Acme Resellers" in listed(response)
    assert Tier.objects.filter(pk=gold.pk).exists()


def test_an_unused_role_can_be_deleted(superuser_client, data):
    unused = RoleFactory(key="finance", name="Finance")

    response = superuser_client.post(reverse("partner_roles:delete", args=[unused.pk]))

    assert response.status_code == 302
    assert not Role.objects.filter(pk=unused.pk).exists()


def test_the_main_menu_has_a_partners_group(superuser_client):
    html = listed(superuser_client.get(reverse("wagtailadmin_home")))

    assert '"label": "Partners"' in html
    for viewset in ["partners", "partner_users", "partner_tiers", "partner_types", "partner_regions", "partner_roles"]:
        assert f'"url": "{reverse(f"{viewset}:index")}"' in html


def test_deactivating_a_user_in_the_admin_locks_them_out_of_the_api(superuser_client, data):
    _, plaintext = api_token_issue(user=data["alice"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert Client().get("/api/v1/me", **auth).status_code == 200

    response = superuser_client.post(
        reverse("wagtail_bulk_action", args=("auth", "user", "set_active_state")) + f"?id={data['alice'].pk}",
        {"mark_as_active": "False"},
    )
    assert response.status_code == 302
    data["alice"].refresh_from_db()
    assert data["alice"].is_active is False
    assert Client().get("/api/v1/me", **auth).status_code == 401


def test_api_tokens_are_listed_and_revoked_in_the_admin(superuser_client, data):
    from wagtail.models import APIToken

    token, plaintext = api_token_issue(user=data["alice"], name="Portal SSO bridge")
    listing = superuser_client.get(reverse("wagtailusers_api_tokens:index"))
    assert listing.status_code == 200
    assert b"Portal SSO bridge" in listing.content
    assert plaintext.encode() not in listing.content  # only the prefix is ever shown

    response = superuser_client.post(reverse("wagtailusers_api_tokens:delete", args=[token.pk]))
    assert response.status_code == 302
    assert APIToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401
