"""Who must have a second factor: staff who can publish or administer, and users of partners that require it."""

from django.contrib.auth.models import Permission

from wagtail.models import GroupPagePermission, Page

import pytest

from accounts.factories import partner_user_with_password
from accounts.mfa.policy import mfa_enabled_for, mfa_required_for
from partners.factories import PartnerFactory, UserFactory, staff_user_with_permissions
from partners.models import PartnerMfaPolicy

from .mfa import enrol

pytestmark = pytest.mark.django_db


def staff_with(*permissions: str, page_permission: str | None = None):
    """A staff user who may use the admin, in a group with ``permissions`` ("app.codename") and a page permission."""
    user = staff_user_with_permissions(*permissions)
    if page_permission:
        GroupPagePermission.objects.create(
            group=user.groups.get(),
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=page_permission),
        )
    return user


def test_superusers_must_have_it():
    assert mfa_required_for(UserFactory(is_staff=True, is_superuser=True))


def test_a_page_publisher_must_have_it_an_editor_who_only_submits_need_not():
    assert mfa_required_for(staff_with(page_permission="publish_page"))
    assert not mfa_required_for(staff_with(page_permission="change_page"))
    assert not mfa_required_for(staff_with("cms.change_asset", "cms.add_asset"))


def test_publishing_any_snippet_kind_needs_it():
    assert mfa_required_for(staff_with("cms.publish_asset"))
    assert mfa_required_for(staff_with("courses.publish_course"))


@pytest.mark.parametrize("permission", ["auth.change_user", "auth.add_user", "auth.change_group", "auth.delete_group"])
def test_whoever_administers_users_or_groups_must_have_it(permission):
    assert mfa_required_for(staff_with(permission))


def test_partner_users_must_have_it_only_when_their_partner_requires_it():
    relaxed = partner_user_with_password(email="pat@relaxed.example")
    strict = partner_user_with_password(
        email="sam@strict.example", partner=PartnerFactory(mfa_policy=PartnerMfaPolicy.REQUIRED)
    )
    assert PartnerFactory().mfa_policy == PartnerMfaPolicy.OPTIONAL  # the default
    assert not mfa_required_for(relaxed)
    assert mfa_required_for(strict)


def test_nobody_signed_out_or_deactivated_is_held_to_it():
    from django.contrib.auth.models import AnonymousUser

    assert not mfa_required_for(AnonymousUser())
    assert not mfa_required_for(None)
    assert not mfa_required_for(UserFactory(is_staff=True, is_superuser=True, is_active=False))


def test_enabled_means_an_authenticator_app_not_only_recovery_codes():
    user = UserFactory()
    assert not mfa_enabled_for(user)
    enrol(user)
    assert mfa_enabled_for(UserFactory._meta.model.objects.get(pk=user.pk))


def test_the_policy_costs_one_query_for_a_partner_user(django_assert_num_queries):
    user = partner_user_with_password(email="pat@relaxed.example")
    with django_assert_num_queries(1):
        assert not mfa_required_for(user)
        assert not mfa_required_for(user)  # cached on the user for the rest of the request


def test_the_partners_admin_form_offers_the_policy(admin_client):
    partner = PartnerFactory()
    html = admin_client.get(f"/admin/partners/edit/{partner.pk}/").content.decode()
    assert 'name="mfa_policy"' in html
    assert "Required for every user" in html and "Optional: each user chooses" in html
