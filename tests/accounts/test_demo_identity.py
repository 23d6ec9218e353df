"""``load_demo``'s identity: Wide World Networks' SSO connection to make stack's Keycloak, Acme's invitations."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings

import pytest

from accounts.models import SSOConnection
from partners.models import Invitation

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


@override_settings(DEBUG=True)
def test_the_demo_connects_wide_world_to_keycloak_and_invites_two_colleagues_quietly(client, monkeypatch, mailoutbox):
    monkeypatch.delenv("KEYCLOAK_URL", raising=False)
    out = load_demo()
    connection = SSOConnection.objects.get(slug="wide-world-networks")
    assert not connection.is_active  # no Keycloak: the domain keeps its passwords
    assert "SSO connection for Wide World Networks: inactive" in out

    monkeypatch.setenv("KEYCLOAK_URL", "http://127.0.0.1:34567/")
    out = load_demo()
    connection.refresh_from_db()
    assert connection.is_active and connection.issuer == "http://127.0.0.1:34567/realms/wideworld"
    assert connection.secret() == "wideworld-oidc-secret"
    assert [d.domain for d in connection.email_domains.all()] == ["wide-world-networks.example"]
    assert connection.role_mappings.count() == 4  # re-runs add nothing
    assert "kavya.patel@wide-world-networks.example at /accounts/login/" in out

    pending = Invitation.objects.open().order_by("email")
    assert [i.email for i in pending] == ["nina.newcomer@acme-networks.example", "tom.techlead@acme-networks.example"]
    assert {i.partner.key for i in pending} == {"acme"}
    assert mailoutbox == []  # nothing was sent: load_demo prints, it does not e-mail
    link = next(line for line in out.splitlines() if line.startswith("Invitation for nina.newcomer"))
    path = "/accounts/invitations/" + link.rsplit("/accounts/invitations/", 1)[1]
    page = client.get(path)  # the printed link is a working invitation
    assert page.status_code == 200 and "Acme Networks" in page.content.decode()
