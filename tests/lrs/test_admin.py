"""The LRS in the Wagtail admin: statements read-only with filters and their JSON; staff clients' credentials
created with the secret shown once, revoked, and refused by the LRS at once."""

import json

from django.urls import NoReverseMatch, reverse

import pytest

from lrs.factories import client_credential, launch_credential, statement
from lrs.models import Credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def test_statements_listing_filters_and_inspect(staff, xapi, django_assert_max_num_queries):
    learner = launch_credential()
    completed = statement(learner.agent, verb="http://adlnet.gov/expapi/verbs/completed", result={"completion": True})
    xapi.post(learner, [completed, statement(learner.agent, activity="https://other.test/act")])
    index = reverse("lrs_statements:index")
    response = staff.get(index)
    assert response.status_code == 200
    assert b"completed" in response.content and b"other.test" in response.content
    response = staff.get(index, {"verb": "completed"})
    assert b"other.test" not in response.content
    response = staff.get(index, {"activity": "other.test"})
    assert b"other.test" in response.content and b"course-1" not in response.content
    assert staff.get(index, {"actor": "nobody"}).content.count(b"other.test") == 0
    assert staff.get(index, {"stored_after": "2000-01-01"}).status_code == 200
    with django_assert_max_num_queries(20):
        staff.get(index)
    inspect = staff.get(reverse("lrs_statements:inspect", args=[completed["id"]]))
    assert inspect.status_code == 200
    assert b"&quot;completion&quot;: true" in inspect.content
    with pytest.raises(NoReverseMatch):
        reverse("lrs_statements:edit", args=[completed["id"]])


def test_a_partner_user_cannot_reach_the_lrs_admin(client):
    learner = launch_credential()
    client.force_login(learner.credential.user)
    assert client.get(reverse("lrs_statements:index")).status_code in (302, 403)


def test_create_a_client_shows_the_secret_once_and_it_works(staff, xapi, admin_user):
    response = staff.post(
        reverse("lrs_credentials:add"), {"name": "Reporting tool", "scopes": ["all/read"], "expires_at": ""}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    credential = Credential.objects.get(name="Reporting tool")
    assert credential.user is None and credential.created_by == admin_user
    assert credential.scopes == ["all/read"]
    secret = response.content.split(b"data-lrs-secret>")[1].split(b"<")[0].decode()
    assert secret not in (credential.secret_hash, "")
    headers = {"HTTP_AUTHORIZATION": f"Basic {response.context['token']}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    assert xapi.client.get("/xapi/statements", **headers).status_code == 200
    # The listing never shows it again.
    assert secret.encode() not in staff.get(reverse("lrs_credentials:index")).content
    assert staff.post(reverse("lrs_credentials:add"), {"name": " ", "scopes": []}).status_code == 200
    assert Credential.objects.count() == 1


def test_revoke_a_client(staff, xapi):
    issued = client_credential()
    launch = launch_credential()
    index = staff.get(reverse("lrs_credentials:index"))
    assert b"Reporting tool" in index.content
    assert launch.credential.key.encode() not in index.content  # launches are not listed
    url = reverse("lrs_credentials:revoke", args=[issued.credential.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    issued.credential.refresh_from_db()
    assert issued.credential.revoked_at is not None
    assert xapi.get(issued).status_code == 401
    assert staff.post(reverse("lrs_credentials:revoke", args=[launch.credential.pk])).status_code == 404
    assert json.loads(xapi.get(launch).content)["statements"] == []
