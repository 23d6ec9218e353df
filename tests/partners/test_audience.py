"""THE audience rule: the queryset filter and the pure function agree, case by case."""

import random

from django.contrib.auth.models import AnonymousUser

import pytest

from partners.audience import Audience, Viewer, audience_allows, can_view, viewer_for
from partners.factories import (
    PartnerFactory,
    PartnerMembershipFactory,
    PartnerTypeFactory,
    RegionFactory,
    RoleFactory,
    TierFactory,
    UserFactory,
    partner_user,
)
from tests.partners.audience_matrix import build_matrix
from tests.testapp.factories import GatedItemFactory
from tests.testapp.models import GatedItem

pytestmark = pytest.mark.django_db


def assert_queryset_and_function_agree(user, expected_ids):
    visible = set(GatedItem.objects.visible_to(user).values_list("pk", flat=True))
    assert visible == expected_ids
    for item in GatedItem.objects.all():
        assert can_view(user, item) == (item.pk in expected_ids), item.title


def test_every_combination_of_tier_type_region_and_role():
    matrix = build_matrix()
    # 4 tier cases x 3 x 3 x 3 list cases; only tier none/below/equal with nothing excluding: 3 x 2 x 2 x 2.
    assert len(matrix.items) == 108
    assert len(matrix.expected_visible) == 24
    assert_queryset_and_function_agree(matrix.viewer_user, matrix.expected_visible)


def test_a_matrix_cell_by_name():
    matrix = build_matrix()
    user = matrix.viewer_user
    assert can_view(user, matrix.items[("equal", "in", "in", "in")])
    assert can_view(user, matrix.items[("below", "unrestricted", "in", "unrestricted")])
    assert not can_view(user, matrix.items[("above", "unrestricted", "unrestricted", "unrestricted")])
    assert not can_view(user, matrix.items[("none", "out", "unrestricted", "unrestricted")])
    assert not can_view(user, matrix.items[("none", "unrestricted", "out", "unrestricted")])
    assert not can_view(user, matrix.items[("none", "unrestricted", "unrestricted", "out")])


def test_inactive_user_sees_nothing():
    matrix = build_matrix()
    matrix.viewer_user.is_active = False
    matrix.viewer_user.save()
    matrix.viewer_user.refresh_from_db()
    assert_queryset_and_function_agree(matrix.viewer_user, set())


def test_member_of_inactive_partner_sees_nothing():
    matrix = build_matrix()
    partner = matrix.viewer_user.partner_membership.partner
    partner.is_active = False
    partner.save()
    matrix.viewer_user.refresh_from_db()
    assert_queryset_and_function_agree(matrix.viewer_user, set())


def test_users_without_a_partner_and_anonymous_users_see_nothing():
    build_matrix()
    assert_queryset_and_function_agree(UserFactory(), set())
    assert_queryset_and_function_agree(AnonymousUser(), set())
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert_queryset_and_function_agree(staff, set())


def test_user_without_roles_sees_only_role_unrestricted_items():
    matrix = build_matrix()
    user = partner_user(partner=matrix.viewer_user.partner_membership.partner, roles=[])
    expected = {
        item.pk
        for (tier, types, regions, roles), item in matrix.items.items()
        if tier != "above" and "out" not in (types, regions) and roles == "unrestricted"
    }
    assert_queryset_and_function_agree(user, expected)


def test_user_with_several_roles_needs_only_one_to_match():
    world_role_a, world_role_b = RoleFactory(key="marketing"), RoleFactory(key="admin")
    user = partner_user(roles=[world_role_a, world_role_b])
    only_b = GatedItemFactory(roles=[world_role_b])
    neither = GatedItemFactory(roles=[RoleFactory(key="technical")])
    assert can_view(user, only_b)
    assert not can_view(user, neither)
    assert set(GatedItem.objects.visible_to(user)) == {only_b}


def test_random_populations_agree_with_the_pure_function():
    rng = random.Random(7)
    tiers = [TierFactory(rank=rank) for rank in (10, 20, 30, 40)]
    types = [PartnerTypeFactory() for _ in range(3)]
    regions = [RegionFactory() for _ in range(3)]
    roles = [RoleFactory() for _ in range(3)]
    for _ in range(60):
        GatedItemFactory(
            min_tier=rng.choice([None, *tiers]),
            partner_types=rng.sample(types, rng.randint(0, 2)),
            regions=rng.sample(regions, rng.randint(0, 2)),
            roles=rng.sample(roles, rng.randint(0, 2)),
            live=rng.random() > 0.1,
        )
    items = list(GatedItem.objects.all())
    for _ in range(25):
        partner = PartnerFactory(
            tier=rng.choice(tiers),
            partner_type=rng.choice(types),
            region=rng.choice(regions),
            is_active=rng.random() > 0.1,
        )
        membership = PartnerMembershipFactory(partner=partner, roles=rng.sample(roles, rng.randint(0, 3)))
        user = membership.user
        expected = {item.pk for item in items if can_view(user, item)}
        assert set(GatedItem.objects.visible_to(user).values_list("pk", flat=True)) == expected


def test_visible_to_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    matrix = build_matrix()
    user = matrix.viewer_user
    user.refresh_from_db()
    with django_assert_max_num_queries(3):  # membership, roles, then the one filtered query
        assert len(list(GatedItem.objects.visible_to(user))) == 24


def test_pure_function_on_plain_values():
    viewer = Viewer(user_id=1, partner_id=1, tier_rank=20, partner_type_id=1, region_id=1, role_ids=frozenset({1}))
    assert audience_allows(Audience(), viewer)
    assert audience_allows(Audience(min_tier_rank=20), viewer)
    assert not audience_allows(Audience(min_tier_rank=21), viewer)
    assert not audience_allows(Audience(partner_type_ids=frozenset({2})), viewer)
    assert not audience_allows(Audience(region_ids=frozenset({2})), viewer)
    assert audience_allows(Audience(role_ids=frozenset({1, 2})), viewer)
    assert not audience_allows(Audience(role_ids=frozenset({2})), viewer)
    assert not audience_allows(Audience(), None)


def test_viewer_reflects_the_partner():
    tier = TierFactory(rank=30)
    role = RoleFactory()
    user = partner_user(partner=PartnerFactory(tier=tier), roles=[role])
    viewer = viewer_for(user)
    assert viewer.tier_rank == 30
    assert viewer.role_ids == frozenset({role.pk})


@pytest.mark.parametrize("field", ["partner_types", "regions", "roles"])
def test_deleting_reference_data_named_by_an_audience_is_refused(field):
    """Deleting it would empty the list, and an empty list means everyone: fail closed instead."""
    from django.db.models import ProtectedError

    factory = {"partner_types": PartnerTypeFactory, "regions": RegionFactory, "roles": RoleFactory}[field]
    restricted_to, unused = factory(), factory()
    item = GatedItemFactory(**{field: [restricted_to]})
    with pytest.raises(ProtectedError, match="part of the audience"):
        restricted_to.delete()
    item.refresh_from_db()
    assert list(getattr(item, field).all()) == [restricted_to]
    unused.delete()  # nothing names it: deleting is fine


def test_bulk_deleting_reference_data_named_by_an_audience_is_refused_too():
    from django.db import transaction
    from django.db.models import ProtectedError

    from partners.models import Role

    role = RoleFactory()
    GatedItemFactory(roles=[role])
    with pytest.raises(ProtectedError), transaction.atomic():
        Role.objects.filter(pk=role.pk).delete()
    assert Role.objects.filter(pk=role.pk).exists()


def test_changing_an_audience_changes_who_sees_it_at_once():
    sales, technical = RoleFactory(key="sales"), RoleFactory(key="technical")
    seller = partner_user(roles=[sales])
    item = GatedItemFactory(roles=[sales])
    assert set(GatedItem.objects.visible_to(seller)) == {item}
    item.roles.set([technical])
    item.save()
    assert set(GatedItem.objects.visible_to(seller)) == set()
    assert not can_view(seller, GatedItem.objects.get(pk=item.pk))
    item.roles.set([])
    item.save()
    assert set(GatedItem.objects.visible_to(seller)) == {item}
    assert GatedItem.objects.get(pk=item.pk).audience_roles_key == "*"
