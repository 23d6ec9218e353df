"""Communication §1-§4 for every resource: the version header, Basic authentication, sizes, HEAD, OPTIONS/CORS,
and the alternate request syntax."""

import json
from datetime import timedelta
from urllib.parse import urlencode

from django.test import override_settings
from django.utils import timezone

import pytest

from lrs.factories import launch_credential, statement
from lrs.hashing import basic_token
from lrs.models import Credential, Statement
from lrs.services import credential_revoke

pytestmark = pytest.mark.django_db


def test_about_needs_no_credentials_nor_version_and_lists_the_version(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json() == {"version": ["1.0.3"]}
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", [None, "0.95", "1.1.0", "2.0.0", "one"])
def test_a_missing_or_unsupported_version_is_400_on_every_resource(client, learner, version):
    headers = {"HTTP_AUTHORIZATION": learner.headers["HTTP_AUTHORIZATION"]}
    if version:
        headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    for url in ("/xapi/statements", "/xapi/activities/state?activityId=https://a.test/x&agent={}"):
        response = client.get(url, **headers)
        assert response.status_code == 400, url
        assert "X-Experience-API-Version" in response.json()["detail"]
        assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.3", "1.0.9"])
def test_every_1_0_x_version_is_accepted(client, learner, version):
    response = client.get("/xapi/statements", **{**learner.headers, "HTTP_X_EXPERIENCE_API_VERSION": version})
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"


def _basic(client, authorization):
    headers = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    if authorization is not None:
        headers["HTTP_AUTHORIZATION"] = authorization
    return client.get("/xapi/statements", **headers)


def test_missing_or_wrong_credentials_are_401_with_a_basic_challenge(client, learner):
    key = learner.credential.key
    for authorization in (
        None,
        "Bearer abc",
        "Basic !!!notbase64",
        f"Basic {basic_token(key, 'wrong-secret')}",
        f"Basic {basic_token('unknown', learner.secret)}",
        f"Basic {basic_token(key, '')}",
    ):
        response = _basic(client, authorization)
        assert response.status_code == 401, authorization
        assert response["WWW-Authenticate"] == 'Basic realm="xAPI"'
    assert _basic(client, f"basic {learner.token}").status_code == 200  # the scheme is case-insensitive


def test_revoked_expired_and_locked_out_credentials_are_401(client):
    revoked, expired, left = launch_credential(), launch_credential(), launch_credential()
    credential_revoke(credential=revoked.credential)
    Credential.objects.filter(pk=expired.credential.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    left.credential.user.is_active = False
    left.credential.user.save()
    for issued in (revoked, expired, left):
        response = client.get("/xapi/statements", **issued.headers)
        assert response.status_code == 401
        response = client.post(
            "/xapi/statements",
            data=json.dumps(statement(issued.agent)),
            content_type="application/json",
            **issued.headers,
        )
        assert response.status_code == 401
    assert not Statement.objects.exists()


def test_last_use_is_recorded(client, learner):
    assert learner.credential.last_used_at is None
    client.get("/xapi/statements", **learner.headers)
    learner.credential.refresh_from_db()
    assert learner.credential.last_used_at is not None


@override_settings(LRS_MAX_BODY_BYTES=2000)
def test_a_body_over_the_limit_is_413_and_nothing_is_stored(client, learner):
    big = statement(learner.agent, result={"response": "x" * 3000})
    response = client.post(
        "/xapi/statements", data=json.dumps(big), content_type="application/json", **learner.headers
    )
    assert response.status_code == 413
    assert not Statement.objects.exists()
    params = urlencode({"activityId": "https://a.test/x", "agent": json.dumps(learner.agent), "stateId": "s"})
    response = client.put(
        f"/xapi/activities/state?{params}", data=b"x" * 3000, content_type="text/plain", **learner.headers
    )
    assert response.status_code == 413


def test_head_answers_like_get_without_a_body(client, learner, xapi):
    xapi.post(learner, statement(learner.agent))
    response = client.head("/xapi/statements", **learner.headers)
    assert response.status_code == 200
    assert response.content == b""
    assert "X-Experience-API-Consistent-Through" in response


def test_a_method_the_resource_does_not_know_is_405(client, learner):
    response = client.delete("/xapi/statements", **learner.headers)
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://portal.example.com"])
def test_cors_preflight_allows_the_xapi_headers_for_allowed_origins(client):
    response = client.options(
        "/xapi/statements",
        HTTP_ORIGIN="https://portal.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, x-experience-api-version",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://portal.example.com"
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "x-experience-api-version" in allowed and "authorization" in allowed
    response = client.options(
        "/xapi/statements", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_the_alternate_request_syntax_is_the_request_it_stands_for(client, learner):
    sent = statement(learner.agent)
    form = {
        "Authorization": f"Basic {learner.token}",
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "statementId": sent["id"],
        "content": json.dumps(sent),
    }
    response = client.post(
        "/xapi/statements?method=PUT", data=urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204
    form = {"Authorization": f"Basic {learner.token}", "X-Experience-API-Version": "1.0.3", "statementId": sent["id"]}
    response = client.post(
        "/xapi/statements?method=GET", data=urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert response.json()["id"] == sent["id"]
    response = client.post(
        "/xapi/statements?method=GET&statementId=x",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400  # every other parameter travels in the form
