"""My team (/team/): a partner admin's people and invitations, through the API's services; nobody else's."""

from django.test import override_settings

from wagtail.models import APIToken

import pytest

from partners.factories import InvitationFactory, PartnerFactory, PartnerMembershipFactory, RoleFactory
from partners.models import Invitation
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    admin_role = RoleFactory(key="admin", name="Admin")
    sales = RoleFactory(key="sales", name="Sales")
    technical = RoleFactory(key="technical", name="Technical")
    acme = PartnerFactory(key="acme", name="Acme Networks")
    globex = PartnerFactory(key="globex", name="Globex Systems")
    admin = make_token_user(
        partner=acme,
        roles=[admin_role],
        user__first_name="Priya",
        user__last_name="Patel",
        user__email="priya@acme.test",
    )
    colleague = make_token_user(
        partner=acme, roles=[sales], user__first_name="Ann", user__last_name="Andersen", user__email="ann@acme.test"
    )
    globex_user = make_token_user(partner=globex, roles=[sales], user__first_name="Gina", user__last_name="Globex")
    client.force_login(admin.user)
    return {
        "acme": acme,
        "globex": globex,
        "admin_role": admin_role,
        "sales": sales,
        "technical": technical,
        "admin": admin,
        "colleague": colleague,
        "globex_user": globex_user,
    }


def html(response) -> str:
    return response.content.decode()


def test_an_admin_sees_their_members_and_open_invitations_and_the_nav_item(client, team):
    InvitationFactory(partner=team["acme"], email="pending@acme.test", roles=[team["technical"]])
    InvitationFactory(partner=team["globex"], email="elsewhere@globex.test")
    response = client.get("/team/")
    assert response.status_code == 200
    page = html(response)
    assert 'href="/team/" aria-current="page">My team<' in page
    assert "Ann Andersen" in page and "ann@acme.test" in page and "Priya Patel" in page
    assert "Gina" not in page and "elsewhere@globex.test" not in page
    assert "pending@acme.test" in page and "Technical" in page


def test_a_partner_user_who_is_not_an_admin_gets_404_everywhere_and_no_nav_item(client, team):
    colleague = team["colleague"].user
    client.force_login(colleague)
    assert "/team/" not in html(client.get("/links/"))
    invitation = InvitationFactory(partner=team["acme"])
    admin_id = team["admin"].user.pk
    for url in (
        "/team/",
        "/team/compliance/",
        f"/team/{admin_id}/",
        f"/team/{admin_id}/roles/",
        f"/team/{admin_id}/deactivate/",
        f"/team/invitations/{invitation.pk}/revoke/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/team/invitations/", {"email": "x@acme.test"}).status_code == 404
    assert client.post(f"/team/{admin_id}/deactivate/").status_code == 404
    assert not Invitation.objects.filter(email="x@acme.test").exists()
    assert team["admin"].user.__class__.objects.get(pk=admin_id).is_active


def test_staff_and_signed_out_visitors_never_reach_the_team(client, team):
    client.logout()
    assert client.get("/team/").status_code == 302
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        client.force_login(team["admin"].user)
        assert client.get("/team/").status_code == 404


def test_search_and_status_filter_and_pages(client, team):
    PartnerMembershipFactory.create_batch(26, partner=team["acme"], user__last_name="Zeta")
    team["colleague"].user.is_active = False
    team["colleague"].user.save()
    first = html(client.get("/team/"))
    assert "Page 1 of 2" in first
    assert "Zeta" in html(client.get("/team/?page=2"))
    found = html(client.get("/team/?q=ann+anders"))
    assert "Ann Andersen</a>" in found and "Priya Patel</a>" not in found and "Zeta" not in found
    deactivated = html(client.get("/team/?status=deactivated"))
    assert "Ann Andersen</a>" in deactivated and "Priya Patel</a>" not in deactivated


def test_inviting_a_colleague_sends_the_e_mail_through_the_apis_service(client, team, mailoutbox):
    response = client.post(
        "/team/invitations/", {"email": "sam.new@acme.test", "roles": [team["sales"].pk, team["technical"].pk]}
    )
    assert response.status_code == 302 and response["Location"] == "/team/#invitations"
    invitation = Invitation.objects.get(email="sam.new@acme.test")
    assert invitation.partner == team["acme"] and invitation.invited_by == team["admin"].user
    assert {role.key for role in invitation.roles.all()} == {"sales", "technical"}
    (message,) = mailoutbox
    assert message.to == ["sam.new@acme.test"] and "/accounts/invitations/" in message.body
    assert "Invitation sent to sam.new@acme.test." in html(client.get("/team/"))


@pytest.mark.parametrize(
    "email, reason",
    [
        ("not-an-address", "Enter a valid email address."),
        ("ann@acme.test", "ann@acme.test already has an account"),
        ("", "This field is required."),
    ],
)
def test_a_refused_invitation_is_a_400_with_the_reason_and_changes_nothing(client, team, mailoutbox, email, reason):
    response = client.post("/team/invitations/", {"email": email, "roles": [team["sales"].pk]})
    assert response.status_code == 400
    assert f"The invitation was not sent. {reason}" in html(response).replace("&#x27;", "'")
    assert not Invitation.objects.exists() and not mailoutbox


def test_an_unknown_role_is_refused_too(client, team, mailoutbox):
    response = client.post("/team/invitations/", {"email": "x@acme.test", "roles": ["999999"]})
    assert response.status_code == 400 and not Invitation.objects.exists() and not mailoutbox


def test_resend_sends_a_new_link_and_revoke_asks_first(client, team, mailoutbox):
    invitation = InvitationFactory(partner=team["acme"], email="pending@acme.test")
    old_hash = invitation.token_hash
    response = client.post(f"/team/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash and mailoutbox[-1].to == ["pending@acme.test"]

    confirm = client.get(f"/team/invitations/{invitation.pk}/revoke/")
    assert confirm.status_code == 200 and "Revoke the invitation to pending@acme.test?" in html(confirm)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None  # asking is not doing
    assert client.post(f"/team/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    assert "Invitation to pending@acme.test revoked." in html(client.get("/team/"))
    assert "pending@acme.test" not in html(client.get("/team/"))  # no longer waiting

    again = client.post(f"/team/invitations/{invitation.pk}/revoke/")
    assert again.status_code == 400 and "revoked already" in html(again)
    resend = client.post(f"/team/invitations/{invitation.pk}/resend/")
    assert resend.status_code == 400 and "cannot be resent" in html(resend)


def test_another_partners_invitations_and_members_are_404(client, team, mailoutbox):
    theirs = InvitationFactory(partner=team["globex"])
    gina = team["globex_user"].user
    assert client.post(f"/team/invitations/{theirs.pk}/resend/").status_code == 404
    assert client.get(f"/team/invitations/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/team/invitations/{theirs.pk}/revoke/").status_code == 404
    for url in (f"/team/{gina.pk}/", f"/team/{gina.pk}/roles/", f"/team/{gina.pk}/deactivate/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/team/{gina.pk}/deactivate/").status_code == 404
    make_admin = {"roles": [team["admin_role"].pk], "confirm": "True"}
    assert client.post(f"/team/{gina.pk}/roles/", make_admin).status_code == 404
    theirs.refresh_from_db()
    gina.refresh_from_db()
    assert theirs.revoked_at is None and gina.is_active and not mailoutbox
    assert list(gina.partner_membership.roles.values_list("key", flat=True)) == ["sales"]


def test_changing_roles_takes_a_form_and_a_confirmation(client, team):
    ann = team["colleague"].user
    form = html(client.get(f"/team/{ann.pk}/roles/"))
    assert "Roles of Ann Andersen" in form and f'value="{team["sales"].pk}"' in form
    chosen = {"roles": [team["technical"].pk, team["admin_role"].pk]}
    confirm = client.post(f"/team/{ann.pk}/roles/", chosen)
    assert confirm.status_code == 200 and "Change Ann Andersen's roles?" in html(confirm)
    assert list(ann.partner_membership.roles.values_list("key", flat=True)) == ["sales"]  # not yet
    done = client.post(f"/team/{ann.pk}/roles/", {**chosen, "confirm": "True"})
    assert done.status_code == 302 and done["Location"] == f"/team/{ann.pk}/"
    assert set(ann.partner_membership.roles.values_list("key", flat=True)) == {"technical", "admin"}
    assert "Ann Andersen&#x27;s roles were changed." in html(client.get(done["Location"]))


def test_an_admin_cannot_drop_their_own_admin_role_a_400_that_changes_nothing(client, team):
    me = team["admin"].user
    response = client.post(f"/team/{me.pk}/roles/", {"roles": [team["sales"].pk], "confirm": "True"})
    assert response.status_code == 400 and "You cannot remove your own admin role" in html(response)
    assert list(me.partner_membership.roles.values_list("key", flat=True)) == ["admin"]
    bad = client.post(f"/team/{team['colleague'].user.pk}/roles/", {"roles": ["nope"], "confirm": "True"})
    assert bad.status_code == 400
    assert list(team["colleague"].user.partner_membership.roles.values_list("key", flat=True)) == ["sales"]


def test_deactivating_asks_first_then_locks_out_and_reactivating_lets_back_in(client, team):
    ann = team["colleague"].user
    confirm = client.get(f"/team/{ann.pk}/deactivate/")
    assert confirm.status_code == 200 and "Deactivate Ann Andersen?" in html(confirm)
    ann.refresh_from_db()
    assert ann.is_active
    response = client.post(f"/team/{ann.pk}/deactivate/")
    assert response.status_code == 302
    ann.refresh_from_db()
    assert not ann.is_active
    assert not APIToken.objects.filter(user=ann, revoked_at__isnull=True).exists()  # as the API's deactivate does
    assert "Ann Andersen was deactivated and signed out." in html(client.get(response["Location"]))
    assert client.get(f"/team/{ann.pk}/reactivate/").status_code == 200
    assert client.post(f"/team/{ann.pk}/reactivate/").status_code == 302
    ann.refresh_from_db()
    assert ann.is_active


def test_an_admin_cannot_deactivate_themselves(client, team):
    me = team["admin"].user
    page = html(client.get(f"/team/{me.pk}/deactivate/"))
    assert "You cannot deactivate or reactivate yourself" in page and 'type="submit"' not in page.split("<main")[1]
    response = client.post(f"/team/{me.pk}/deactivate/")
    assert response.status_code == 400 and "You cannot deactivate or reactivate yourself" in html(response)
    me.refresh_from_db()
    assert me.is_active


def test_the_team_page_costs_the_same_queries_for_a_small_and_a_larger_team(
    client, team, django_assert_max_num_queries
):
    InvitationFactory(partner=team["acme"], roles=[team["sales"]])
    client.get("/team/")
    with django_assert_max_num_queries(40) as small:
        assert client.get("/team/").status_code == 200
    for _ in range(12):
        PartnerMembershipFactory(partner=team["acme"], roles=[team["sales"], team["technical"]])
        InvitationFactory(partner=team["acme"], roles=[team["technical"]])
    small_count = len(small)  # before the next request: each request empties the query log
    client.get("/team/")  # what they added moved the identity generation: facts read anew once
    with django_assert_max_num_queries(small_count):
        assert client.get("/team/").status_code == 200
