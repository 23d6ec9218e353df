"""Settings → Single sign-on: administrators configure a connection per partner; its secret is never shown back."""

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from accounts.factories import SSOConnectionFactory
from accounts.models import SSOConnection
from partners.factories import PartnerFactory, RoleFactory

pytestmark = pytest.mark.django_db
SECRET = "s3cr3t-from-the-idp"


def connection_form(partner, role, **overrides):
    data = {
        "name": "Acme SSO",
        "slug": "acme",
        "partner": partner.pk,
        "protocol": "oidc",
        "is_active": "on",
        "issuer": "http://127.0.0.1:8080/realms/acme",
        "client_id": "partnerhub",
        "client_secret": SECRET,
        "client_secret_env": "",
        "idp_metadata_url": "",
        "idp_entity_id": "",
        "sp_entity_id": "",
        "groups_claim": "groups",
        "email_domains": inline_formset([{"domain": "Acme.example"}]),
        "role_mappings": inline_formset([{"idp_group": "sales", "role": role.pk, "group": ""}]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_an_administrator_adds_a_connection_and_never_sees_its_secret_again(admin_client):
    partner, role = PartnerFactory(name="Acme Networks"), RoleFactory(key="sales")
    response = admin_client.post(reverse("sso_connections:add"), connection_form(partner, role))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    connection = SSOConnection.objects.get(slug="acme")
    assert connection.secret() == SECRET
    assert [d.domain for d in connection.email_domains.all()] == ["acme.example"]

    edit = admin_client.get(reverse("sso_connections:edit", args=[connection.pk])).content.decode()
    assert SECRET not in edit
    assert "A secret is stored (never shown)" in edit
    assert "/accounts/oidc/sso-acme/login/callback/" in edit  # what to register at the IdP
    listing = admin_client.get(reverse("sso_connections:index")).content.decode()
    assert "Acme SSO" in listing and "acme.example" in listing and SECRET not in listing

    # Saving without typing a secret keeps the stored one.
    form = connection_form(partner, role, client_secret="", name="Acme Networks SSO")
    form.update(
        nested_form_data(
            {
                "email_domains": inline_formset(
                    [{"id": connection.email_domains.get().pk, "domain": "acme.example"}], initial=1
                ),
                "role_mappings": inline_formset(
                    [{"id": connection.role_mappings.get().pk, "idp_group": "sales", "role": role.pk, "group": ""}],
                    initial=1,
                ),
            }
        )
    )
    response = admin_client.post(reverse("sso_connections:edit", args=[connection.pk]), form)
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.name == "Acme Networks SSO" and connection.secret() == SECRET


def test_the_secret_is_stored_encrypted():
    connection = SSOConnectionFactory(client_secret=SECRET)
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM accounts_ssoconnection WHERE id = %s", [connection.pk])
        stored = cursor.fetchone()[0]
    assert SECRET not in stored and len(stored) > 50


def test_a_domain_owned_by_another_connection_is_refused_with_a_clear_error(admin_client):
    SSOConnectionFactory(domains=["acme.example"])
    partner, role = PartnerFactory(), RoleFactory(key="sales")
    response = admin_client.post(reverse("sso_connections:add"), connection_form(partner, role, slug="acme-2"))
    assert response.status_code == 200
    assert "Another single sign-on connection already owns this domain." in response.content.decode()
    assert not SSOConnection.objects.filter(slug="acme-2").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"issuer": ""}, "Required for OpenID Connect."),
        ({"client_secret": ""}, "Give the client secret, or the environment variable that holds it."),
        ({"client_secret": "", "client_secret_env": "ACME_SECRET_NOT_SET"}, "ACME_SECRET_NOT_SET is not set"),
        ({"protocol": "saml"}, "Required for SAML 2.0."),
        ({"email_domains": inline_formset([{"domain": "not a domain"}])}, "Enter a domain name such as"),
    ],
)
def test_an_incomplete_connection_is_refused_and_nothing_is_saved(admin_client, overrides, message):
    partner, role = PartnerFactory(), RoleFactory(key="sales")
    response = admin_client.post(reverse("sso_connections:add"), connection_form(partner, role, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SSOConnection.objects.exists()


def test_a_partner_connection_cannot_give_staff_groups(admin_client):
    from django.contrib.auth.models import Group

    partner, role = PartnerFactory(), RoleFactory(key="sales")
    mappings = inline_formset([{"idp_group": "sales", "role": "", "group": Group.objects.get(name="Editors").pk}])
    response = admin_client.post(
        reverse("sso_connections:add"), connection_form(partner, role, role_mappings=mappings)
    )
    assert response.status_code == 200
    assert "A partner&#x27;s IdP gives partner roles, never staff groups." in response.content.decode()
    assert not SSOConnection.objects.exists()


def test_a_saml_connection_needs_no_secret_and_shows_the_urls_to_register(admin_client):
    partner, role = PartnerFactory(), RoleFactory(key="sales")
    form = connection_form(
        partner,
        role,
        protocol="saml",
        slug="acme-saml",
        issuer="",
        client_id="",
        client_secret="",
        idp_metadata_url="http://127.0.0.1:8080/realms/acme/protocol/saml/descriptor",
        idp_entity_id="http://127.0.0.1:8080/realms/acme",
        sp_entity_id="partnerhub-saml",
    )
    assert admin_client.post(reverse("sso_connections:add"), form).status_code == 302
    connection = SSOConnection.objects.get(slug="acme-saml")
    edit = admin_client.get(reverse("sso_connections:edit", args=[connection.pk])).content.decode()
    assert "/accounts/saml/acme-saml/acs/" in edit and "partnerhub-saml" in edit
