"""A partner admin changes a colleague's roles (``partners.members.member_roles_set``); a partner keeps an admin."""

from django.core.exceptions import ValidationError

from wagtail.models import ModelLogEntry

import pytest

from partners.factories import PartnerMembershipFactory
from partners.members import member_roles_refusal, member_roles_set

pytestmark = pytest.mark.django_db


def membership_of(token_user):
    return token_user.user.partner_membership


def test_an_admin_gives_a_colleague_exactly_the_roles_chosen_and_it_is_logged(world):
    colleague = membership_of(world["colleague"])
    _membership, changed = member_roles_set(
        membership=colleague, roles=[world["technical"], world["admin_role"]], actor=world["admin"].user
    )
    assert changed
    assert set(colleague.roles.values_list("key", flat=True)) == {"technical", "admin"}
    entry = ModelLogEntry.objects.for_instance(colleague).get()
    assert entry.user == world["admin"].user and entry.data == {"roles": ["admin", "technical"]}
    same = [world["admin_role"], world["technical"]]
    assert member_roles_set(membership=colleague, roles=same, actor=None)[1] is False


def test_an_admin_cannot_take_the_admin_role_from_themselves(world):
    me = membership_of(world["admin"])
    PartnerMembershipFactory(partner=world["acme"], roles=[world["admin_role"]])  # another admin exists
    with pytest.raises(ValidationError, match="your own admin role"):
        member_roles_set(membership=me, roles=[world["sales"]], actor=world["admin"].user)
    assert list(me.roles.values_list("key", flat=True)) == ["admin"]


def test_the_last_active_admin_keeps_the_role(world):
    me = membership_of(world["admin"])
    assert member_roles_refusal(membership=me, roles=[], actor=None) == (
        "This is the partner's last administrator: make someone else an administrator first."
    )
    other = PartnerMembershipFactory(partner=world["acme"], roles=[world["admin_role"]])
    assert member_roles_refusal(membership=me, roles=[], actor=other.user) is None
    other.user.is_active = False
    other.user.save()
    assert member_roles_refusal(membership=me, roles=[], actor=other.user) is not None  # a deactivated one is no admin
