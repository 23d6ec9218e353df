"""The page an invitation's link opens: the partner and address, a name and a password, then signed in."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from partners.factories import InvitationFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"


def page(token):
    return f"/accounts/invitations/{token}/"


def fill(client, token, **overrides):
    data = {"first_name": "Nina", "last_name": "Novak", "password1": PASSWORD, "password2": PASSWORD, **overrides}
    return client.post(page(token), data)


@pytest.fixture
def invitation(world):
    return InvitationFactory(partner=world["acme"], email="nina@acme.test", token="the-link", roles=[world["sales"]])


def test_the_page_names_the_partner_and_address_and_asks_for_a_name_and_password(client, invitation):
    response = client.get(page("the-link"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Join Acme Networks" in html and "nina@acme.test" in html
    for field in ("first_name", "last_name", "password1", "password2"):
        assert f'name="{field}"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_accepting_creates_the_account_signs_in_and_goes_home(client, invitation):
    response = fill(client, "the-link")

    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(email="nina@acme.test")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert [r.key for r in user.partner_membership.roles.all()] == ["sales"]
    # Signed in: the API answers the session.
    assert client.get("/api/v1/me").json()["partner"]["name"] == "Acme Networks"
    # The link is used up.
    client.logout()
    again = client.get(page("the-link"))
    assert again.status_code == 410 and "accepted already" in again.content.decode()


def test_a_refused_password_or_differing_ones_show_why_and_create_nothing(client, invitation):
    weak = fill(client, "the-link", password1="password", password2="password")
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    differ = fill(client, "the-link", password2=PASSWORD + "x")
    assert differ.status_code == 200 and "The two passwords differ." in differ.content.decode()
    assert not get_user_model().objects.filter(email="nina@acme.test").exists()
    assert "_auth_user_id" not in client.session


def test_an_expired_link_shows_a_clear_page_with_status_410(client, world):
    InvitationFactory(partner=world["acme"], token="late", expires_at=timezone.now() - timedelta(hours=1))
    response = client.get(page("late"))
    assert response.status_code == 410
    assert "expired on" in response.content.decode()
    assert fill(client, "late").status_code == 410
    assert not get_user_model().objects.filter(first_name="Nina").exists()


def test_a_revoked_link_is_410_and_an_unknown_one_404(client, world):
    InvitationFactory(partner=world["acme"], token="withdrawn", revoked_at=timezone.now())
    assert client.get(page("withdrawn")).status_code == 410
    unknown = client.get(page("never-sent"))
    assert unknown.status_code == 404 and "not valid" in unknown.content.decode()
