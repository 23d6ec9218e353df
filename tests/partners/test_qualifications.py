"""Qualification gating: the pure function, the SQL filter and the Elasticsearch filter agree, user by user."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from partners.audience import (
    Audience,
    Viewer,
    audience_allows,
    can_view,
    locked_by_qualification,
    search_document_fields,
    search_filter,
    viewer_for,
)
from partners.factories import HeldQualificationFactory, QualificationFactory, RoleFactory, partner_user
from partners.qualifications import HeldBy, Qualifications, qualifications_of, qualifications_of_many
from partners.selectors import viewers_of
from tests.partners.qualification_matrix import build_qualification_matrix, es_matches, requirement
from tests.testapp.factories import GatedItemFactory
from tests.testapp.models import GatedItem

pytestmark = pytest.mark.django_db


def fresh(user):
    user.refresh_from_db()  # a new request: no cached viewer
    for attr in ("_partnerhub_viewer",):
        user.__dict__.pop(attr, None)
    return user


def test_the_three_forms_agree_on_every_user_of_the_matrix():
    matrix = build_qualification_matrix()
    documents = {item.pk: search_document_fields(item.get_audience()) for item in matrix.items.values()}
    for name, user in matrix.users.items():
        expected = matrix.expected_ids(name)
        assert set(GatedItem.objects.visible_to(fresh(user)).values_list("pk", flat=True)) == expected, name
        for item in GatedItem.objects.all():
            assert can_view(fresh(user), item) == (item.pk in expected), (name, item.title)
        clause = search_filter(viewer_for(fresh(user)))
        assert {pk for pk, document in documents.items() if es_matches(clause, document)} == expected, name


def test_locked_items_are_those_only_the_qualification_hides():
    role = RoleFactory(key="sales")
    matrix = build_qualification_matrix()
    other_role_only = GatedItemFactory(
        title="Sales only, SD-WAN Pro", roles=[role], **requirement(matrix.qualification)
    )
    viewer = viewer_for(fresh(matrix.users["colleague"]))
    assert locked_by_qualification(matrix.items["user_sdwan"].get_audience(), viewer)
    assert not locked_by_qualification(matrix.items["open"].get_audience(), viewer)
    assert not locked_by_qualification(matrix.items["partner_sdwan_1"].get_audience(), viewer)  # visible
    # Outside the audience anyway (no sales role): invisible, never "locked".
    assert not locked_by_qualification(other_role_only.get_audience(), viewer)


def test_issuing_unlocks_and_ending_locks_at_once():
    matrix = build_qualification_matrix()
    colleague = matrix.users["colleague"]
    item = matrix.items["user_sdwan"]
    assert item not in GatedItem.objects.visible_to(fresh(colleague))
    held = HeldQualificationFactory(user=colleague, qualification=matrix.qualification)
    assert item in GatedItem.objects.visible_to(fresh(colleague))
    assert can_view(fresh(colleague), item)
    held.valid_until = timezone.now() - timedelta(seconds=1)  # expired: read time, no job needed
    held.save()
    assert item not in GatedItem.objects.visible_to(fresh(colleague))
    assert not can_view(fresh(colleague), item)


def test_partner_counts_follow_members_leaving_and_deactivated():
    matrix = build_qualification_matrix()
    enough = matrix.users["enough"]
    item = matrix.items["partner_sdwan_n"]
    assert item in GatedItem.objects.visible_to(fresh(enough))
    holder = next(
        h.user for h in matrix.qualification.holders.all() if h.user.partner_membership.partner.key == "delta"
    )
    holder.is_active = False
    holder.save()
    assert item not in GatedItem.objects.visible_to(fresh(enough))
    assert not can_view(fresh(enough), item)


def test_qualifications_read_in_one_query_and_in_bulk(django_assert_num_queries):
    matrix = build_qualification_matrix()
    viewer = viewer_for(fresh(matrix.users["holder"]))
    with django_assert_num_queries(1):
        mine = qualifications_of(user_id=viewer.user_id, partner_id=viewer.partner_id)
    assert mine.held == frozenset({matrix.qualification.pk})
    assert mine.holders(matrix.qualification.pk) == 1
    from partners.models import PartnerMembership

    viewers = viewers_of(memberships=PartnerMembership.objects.filter(user__in=matrix.users.values()))
    with django_assert_num_queries(2):
        bulk = qualifications_of_many(viewers=viewers)
    for v in viewers:
        assert bulk[v.user_id] == qualifications_of(user_id=v.user_id, partner_id=v.partner_id)


def test_lists_do_not_read_qualifications_per_item(django_assert_max_num_queries):
    matrix = build_qualification_matrix()
    for _ in range(20):
        GatedItemFactory(**requirement(matrix.qualification, HeldBy.PARTNER, 1))
    user = fresh(matrix.users["holder"])
    with django_assert_max_num_queries(3):  # membership and roles, then the one filtered query
        assert len(list(GatedItem.objects.visible_to(user))) == 23


def test_pure_function_on_plain_values():
    base = {"user_id": 1, "partner_id": 1, "tier_rank": 20, "partner_type_id": 1, "region_id": 1}
    holds = Viewer(
        **base, role_ids=frozenset(), qualifications=Qualifications(held=frozenset({5}), partner_holders=((5, 1),))
    )
    team = Viewer(**base, role_ids=frozenset(), qualifications=Qualifications(partner_holders=((5, 3),)))
    user_mode = Audience(qualification_id=5)
    partner_3 = Audience(qualification_id=5, qualification_mode=HeldBy.PARTNER, qualification_holders=3)
    assert audience_allows(user_mode, holds) and not audience_allows(user_mode, team)
    assert audience_allows(partner_3, team) and not audience_allows(partner_3, holds)
    assert not audience_allows(Audience(qualification_id=6), holds)
    assert not audience_allows(user_mode, None)


def test_holders_count_only_with_a_partner_requirement():
    item = GatedItemFactory(**requirement(QualificationFactory(), HeldBy.USER, 3))
    with pytest.raises(ValidationError, match="held by the partner"):
        item.full_clean()


def test_a_required_qualification_cannot_be_deleted():
    from django.db.models import ProtectedError

    qualification = QualificationFactory()
    GatedItemFactory(**requirement(qualification))
    with pytest.raises(ProtectedError):
        qualification.delete()


def test_viewers_of_the_same_audience_share_counts_only_with_the_same_qualifications():
    matrix = build_qualification_matrix()
    holder = viewer_for(fresh(matrix.users["holder"]))
    colleague = viewer_for(fresh(matrix.users["colleague"]))
    assert holder.audience_key == colleague.audience_key
    assert holder.qualified_audience_key != colleague.qualified_audience_key


def test_a_user_of_another_partner_holding_it_does_not_count():
    matrix = build_qualification_matrix()
    outsider = partner_user()
    HeldQualificationFactory(user=outsider, qualification=matrix.qualification)
    short = fresh(matrix.users["short"])
    assert matrix.items["partner_sdwan_n"] not in GatedItem.objects.visible_to(short)
