"""The partner API skeleton: authentication, lock-out, the error format, pagination and OpenAPI."""

import json

from django.urls import reverse

import pytest
from openapi_spec_validator import validate

from partners.factories import PartnerFactory, UserFactory, give_second_factor, partner_user
from partners.services import api_token_issue, api_tokens_revoke, partner_set_active
from tests.conftest import make_token_user
from tests.testapp.factories import GatedItemFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_me_answers_user_partner_tier_type_region_and_roles(client, gold_partner_user):
    response = client.get(ME, **gold_partner_user.headers)
    assert response.status_code == 200
    body = response.json()
    partner = gold_partner_user.user.partner_membership.partner
    assert body["user"]["username"] == gold_partner_user.user.username
    assert body["partner"]["key"] == "acme"
    assert body["partner"]["tier"] == {"key": "gold", "name": "Gold", "rank": 30}
    assert body["partner"]["type"]["key"] == partner.partner_type.key
    assert body["partner"]["region"]["key"] == partner.region.key
    assert body["roles"] == [{"key": "sales", "name": "Sales"}]


def test_anonymous_call_gets_401_json(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer wagtail_" + "A" * 200,
        "Token abc",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
    ],
)
def test_bad_tokens_get_the_same_401(client, gold_partner_user, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == client.get(ME).json()


def test_tokens_are_stored_hashed(gold_partner_user):
    from wagtail.models import APIToken

    stored = APIToken.objects.get(user=gold_partner_user.user)
    assert gold_partner_user.token not in (stored.key_hash, stored.prefix)
    assert gold_partner_user.token.startswith(stored.prefix)
    assert len(stored.key_hash) == 64


def test_revoked_token_is_refused_at_once(client, gold_partner_user):
    assert client.get(ME, **gold_partner_user.headers).status_code == 200
    assert api_tokens_revoke(user=gold_partner_user.user) == 1
    assert client.get(ME, **gold_partner_user.headers).status_code == 401


def test_deactivated_user_is_refused_at_once(client, gold_partner_user):
    user = gold_partner_user.user
    user.is_active = False
    user.save()
    assert client.get(ME, **gold_partner_user.headers).status_code == 401


def test_deactivated_partner_locks_out_all_its_users(client, gold_partner_user):
    partner = gold_partner_user.user.partner_membership.partner
    colleague = make_token_user(partner=partner)
    partner_set_active(partner=partner, is_active=False)
    assert client.get(ME, **gold_partner_user.headers).status_code == 401
    assert client.get(ME, **colleague.headers).status_code == 401
    partner_set_active(partner=partner, is_active=True)
    assert client.get(ME, **colleague.headers).status_code == 200


def test_session_auth_for_partner_users(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["partner"]["key"] == "acme"


def test_session_of_staff_without_partner_is_refused(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    give_second_factor(staff)  # held to MFA enrolment otherwise (403 mfa_required), which is not at stake here
    client.force_login(staff)
    assert client.get(ME).status_code == 401


def test_token_cannot_be_issued_for_users_the_api_would_refuse():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot use the partner API"):
        api_token_issue(user=UserFactory(is_staff=True))
    inactive_partner_user = partner_user(partner=PartnerFactory(is_active=False))
    with pytest.raises(ValidationError):
        api_token_issue(user=inactive_partner_user)


def test_wrong_method_is_405_json(client, gold_partner_user):
    response = client.post(ME, **gold_partner_user.headers)
    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed."}
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/nothing/", "/api/v2/me", "/api/v1/me/extra"])
def test_unknown_api_paths_are_404_json(client, gold_partner_user, path):
    response = client.get(path, **gold_partner_user.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_openapi_document_is_valid_and_describes_me(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    me = spec["paths"]["/api/v1/me"]["get"]
    assert "200" in me["responses"]
    assert set(spec["components"]["securitySchemes"]) == {"PartnerTokenAuth", "PartnerSessionAuth"}
    assert spec["components"]["securitySchemes"]["PartnerTokenAuth"]["scheme"] == "bearer"


def test_docs_page_is_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


# --- Pagination and 404s, through the test API that uses the shared helpers ---------------------


@pytest.fixture
def items(gold_partner_user):
    return [GatedItemFactory(title=f"Item {n:02}") for n in range(45)]


@pytest.mark.urls("tests.testapp.urls")
def test_pagination_shape_and_links(client, gold_partner_user, items):
    response = client.get("/api/test/items?page=2&page_size=20", **gold_partner_user.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 45
    assert [r["title"] for r in body["results"]] == [f"Item {n:02}" for n in range(20, 40)]
    assert body["next"] == "http://testserver/api/test/items?page=3&page_size=20"
    assert body["previous"] == "http://testserver/api/test/items?page=1&page_size=20"
    last = client.get("/api/test/items?page=3&page_size=20", **gold_partner_user.headers).json()
    assert last["next"] is None
    assert len(last["results"]) == 5


@pytest.mark.urls("tests.testapp.urls")
def test_default_page_size_is_20(client, gold_partner_user, items):
    body = client.get("/api/test/items", **gold_partner_user.headers).json()
    assert len(body["results"]) == 20
    assert body["previous"] is None


@pytest.mark.urls("tests.testapp.urls")
@pytest.mark.parametrize(
    "query, field",
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=1e3", "page_size"),
        ("page=99999999999999999999", "page"),
    ],
)
def test_bad_page_parameters_are_422_naming_the_field(client, gold_partner_user, items, query, field):
    response = client.get(f"/api/test/items?{query}", **gold_partner_user.headers)
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"].startswith(f"{field}:")


@pytest.mark.urls("tests.testapp.urls")
def test_page_past_the_end_is_404_naming_the_last_page(client, gold_partner_user, items):
    response = client.get("/api/test/items?page=4&page_size=20", **gold_partner_user.headers)
    assert response.status_code == 404
    assert "the last page is 3" in response.json()["detail"]


@pytest.mark.urls("tests.testapp.urls")
def test_list_query_count_does_not_grow_with_page_size(client, gold_partner_user, items, django_assert_num_queries):
    # count, page: the token and the viewer's facts come from the identity cache the first request filled
    client.get("/api/test/items?page_size=1", **gold_partner_user.headers)
    with django_assert_num_queries(2) as small:
        client.get("/api/test/items?page_size=1", **gold_partner_user.headers)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/api/test/items?page_size=100", **gold_partner_user.headers)


@pytest.mark.urls("tests.testapp.urls")
@pytest.mark.parametrize("item_id", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_malformed_ids_are_404_json_not_500(client, gold_partner_user, item_id):
    response = client.get(f"/api/test/items/{item_id}", **gold_partner_user.headers)
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Not found."}


@pytest.mark.urls("tests.testapp.urls")
def test_gated_item_detail_is_404_for_outsiders(client, gold_partner_user):
    from partners.factories import TierFactory

    platinum_only = GatedItemFactory(min_tier=TierFactory(key="platinum", rank=40))
    response = client.get(f"/api/test/items/{platinum_only.pk}", **gold_partner_user.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_reverse_of_the_docs_url():
    assert reverse("api-v1:openapi-json") == "/api/v1/openapi.json"
