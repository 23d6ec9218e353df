"""An administrator resets a user's two-factor authentication: in the Wagtail admin (whoever may change users) and,
for their own partner's users only, a partner admin through the API. Both audited with who did it."""

from django.contrib.auth.models import Group, Permission
from django.test import Client

import pytest

from accounts.factories import PASSWORD, partner_user_with_password, staff_user_with_password
from accounts.models import SignInEvent, SignInEventType
from partners.factories import PartnerFactory, RoleFactory, UserFactory
from partners.models import PARTNER_ADMIN_ROLE, PartnerMfaPolicy
from partners.services import api_token_issue

from .mfa import authenticator_types, enrol

pytestmark = pytest.mark.django_db

USERS = "/admin/users/"


def refused(response) -> bool:
    """Wagtail's answer to a permission refused in its admin: back to the dashboard (with a message)."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def reset_url(user) -> str:
    return f"/admin/accounts/mfa-reset/{user.pk}/"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def user_manager():
    """Staff who may change users, without being a superuser."""
    user = UserFactory(is_staff=True)
    group = Group.objects.create(name="User managers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="auth", codename="change_user"),
    )
    user.groups.add(group)
    return user


@pytest.fixture(autouse=True)
def not_enforced(settings):
    # The reset's own rules are at stake here, for administrators with or without a second factor of their own;
    # being held to enrolment is tests/accounts/test_mfa_enforcement.py's.
    settings.PARTNERHUB_MFA_ENFORCED = False


@pytest.fixture
def boss():
    return staff_user_with_password(username="boss", email="boss@vendor.example", is_superuser=True)


@pytest.fixture
def editor():
    editor = staff_user_with_password(username="ed", email="ed@vendor.example", is_superuser=False)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    enrol(editor)
    return editor


def test_the_users_listing_offers_the_reset_for_users_who_have_mfa(boss, editor, django_assert_max_num_queries):
    client = admin_client(boss)
    for number in range(5):
        enrol(UserFactory(username=f"enrolled{number}"))
    with django_assert_max_num_queries(40):  # one query for every row's button, however many rows
        html = client.get(USERS).content.decode()
    assert reset_url(editor) in html
    assert reset_url(boss) not in html  # nothing to reset


def test_a_reset_is_confirmed_then_removes_every_authenticator_and_is_audited(boss, editor):
    client = admin_client(boss)
    confirm = client.get(reset_url(editor))
    assert confirm.status_code == 200
    assert "This removes their TOTP, recovery codes." in confirm.content.decode()
    assert authenticator_types(editor) == {"totp", "recovery_codes"}  # asking changes nothing

    done = client.post(reset_url(editor), REMOTE_ADDR="192.0.2.44")
    assert done["Location"] == USERS
    assert authenticator_types(editor) == set()
    [row] = SignInEvent.objects.filter(event=SignInEventType.MFA_RESET)
    assert (row.user, row.actor, row.method, row.ip_address) == (editor, boss, "admin", "192.0.2.44")
    assert row.detail == "Removed: TOTP, recovery codes"

    # They sign in with their password alone now.
    assert Client().post("/accounts/login/", {"login": "ed@vendor.example", "password": PASSWORD})["Location"] == "/"


def test_nothing_to_reset_says_so_and_changes_nothing(boss):
    other = UserFactory()
    client = admin_client(boss)
    assert "has no two-factor authentication to reset" in client.get(reset_url(other)).content.decode()
    client.post(reset_url(other))
    assert not SignInEvent.objects.filter(event=SignInEventType.MFA_RESET).exists()


def test_whoever_may_change_users_may_reset_but_not_a_superusers(editor, boss):
    manager = user_manager()
    client = admin_client(manager)
    assert client.get(reset_url(editor)).status_code == 200
    enrol(boss)
    assert refused(client.get(reset_url(boss)))
    assert refused(client.post(reset_url(boss)))
    assert authenticator_types(boss) == {"totp", "recovery_codes"}


def test_staff_who_may_not_change_users_are_refused_and_nothing_changes(editor):
    colleague = staff_user_with_password(username="col", email="col@vendor.example", is_superuser=False)
    colleague.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client = admin_client(colleague)
    assert refused(client.get(reset_url(editor)))
    assert refused(client.post(reset_url(editor)))
    assert authenticator_types(editor) == {"totp", "recovery_codes"}
    assert reset_url(editor) not in client.get(USERS).content.decode()
    assert not SignInEvent.objects.filter(event=SignInEventType.MFA_RESET).exists()


# --- a partner admin, through the API -------------------------------------------------------------


@pytest.fixture
def acme():
    acme = PartnerFactory(name="Acme", mfa_policy=PartnerMfaPolicy.REQUIRED)
    admin = partner_user_with_password(
        email="priya@acme.example", partner=acme, roles=[RoleFactory(key=PARTNER_ADMIN_ROLE)]
    )
    member = partner_user_with_password(email="ann@acme.example", partner=acme)
    outsider = partner_user_with_password(email="kim@globex.example", partner=PartnerFactory(name="Globex"))
    for user in (admin, member, outsider):
        enrol(user)
    _token, plaintext = api_token_issue(user=admin, name="admin tool")
    return {"partner": acme, "admin": admin, "member": member, "outsider": outsider, "auth": f"Bearer {plaintext}"}


def api_reset(acme, user, auth=None):
    url = f"/api/v1/me/partner/users/{user.pk}/mfa/reset"
    return Client().post(url, HTTP_AUTHORIZATION=auth or acme["auth"])


def test_a_partner_admin_resets_their_own_partners_user(acme):
    response = api_reset(acme, acme["member"])
    assert response.status_code == 200, response.content
    assert response.json() == {"user_id": acme["member"].pk, "removed": 2, "required": True}
    assert authenticator_types(acme["member"]) == set()
    [row] = SignInEvent.objects.filter(event=SignInEventType.MFA_RESET)
    assert (row.user, row.actor, row.partner) == (acme["member"], acme["admin"], acme["partner"])


def test_another_partners_user_is_404_and_so_is_everything_for_non_admins(acme):
    assert api_reset(acme, acme["outsider"]).status_code == 404
    assert authenticator_types(acme["outsider"]) == {"totp", "recovery_codes"}
    _token, plaintext = api_token_issue(user=acme["member"], name="not an admin")
    assert api_reset(acme, acme["admin"], auth=f"Bearer {plaintext}").status_code == 404
    assert api_reset(acme, UserFactory(), auth=acme["auth"]).status_code == 404
    assert not SignInEvent.objects.filter(event=SignInEventType.MFA_RESET).exists()


def test_not_their_own_and_not_twice(acme):
    own = api_reset(acme, acme["admin"])
    assert own.status_code == 400 and "your own" in own.json()["detail"]
    assert api_reset(acme, acme["member"]).status_code == 200
    again = api_reset(acme, acme["member"])
    assert again.status_code == 400 and "no two-factor authentication to reset" in again.json()["detail"]
