"""The registry of API routers: every app mounts its own router, the API answers the same paths as before."""

import re
from typing import Annotated

from django.urls import resolve

import pytest
from ninja import Router, Schema
from pydantic import ValidationError

from cms.apiv1.root import api
from core.api import OneOf, api_routers, register_api_router

# /api/v1/openapi.json before the routers were registered by their apps (cms.apiv1.root listed them).
PATHS_BEFORE = {
    "/api/v1/me",
    "/api/v1/assets",
    "/api/v1/assets/{asset_id}",
    "/api/v1/assets/{asset_id}/download",
    "/api/v1/programs",
    "/api/v1/programs/{program_id}",
    "/api/v1/bulletins",
    "/api/v1/bulletins/{bulletin_id}",
    "/api/v1/bulletins/{bulletin_id}/acknowledge",
    "/api/v1/feed",
    "/api/v1/preview",
    "/api/v1/search",
    "/api/v1/search/suggest",
    "/api/v1/search/click",
    "/api/v1/courses",
    "/api/v1/courses/{course_id}",
    "/api/v1/courses/{course_id}/enroll",
    "/api/v1/courses/{course_id}/retake",
    "/api/v1/enrollments",
    "/api/v1/lessons/{lesson_id}",
    "/api/v1/lessons/{lesson_id}/complete",
    "/api/v1/quizzes/{quiz_id}/attempts",
    "/api/v1/attempts/{attempt_id}",
    "/api/v1/attempts/{attempt_id}/submit",
    "/api/v1/certifications",
    "/api/v1/me/certificates",
    "/api/v1/certificates/{certificate_id}/pdf",
    "/api/v1/verify/{code}",
    "/api/v1/verify/{code}/badge",
    "/api/v1/me/partner/compliance",
}
# Added since, by apps that register their own routers: partner admins' people, personal tokens (partners),
# the session of a front end, the sign-in audit and a partner admin's MFA reset (accounts), the links hub (home).
PATHS_ADDED = {
    "/api/v1/me/partner/invitations",
    "/api/v1/me/partner/invitations/{invitation_id}/resend",
    "/api/v1/me/partner/invitations/{invitation_id}",
    "/api/v1/me/partner/users",
    "/api/v1/me/partner/users/{user_id}/deactivate",
    "/api/v1/me/partner/users/{user_id}/reactivate",
    "/api/v1/auth/tokens",
    "/api/v1/auth/tokens/{token_id}",
    "/api/v1/auth/session",
    "/api/v1/auth/logout",
    "/api/v1/me/partner/sign-ins",
    "/api/v1/me/partner/users/{user_id}/mfa/reset",
    "/api/v1/feed/seen",  # cms: what is new starts where the user marked the feed as seen
    "/api/v1/links",  # home: the links hub
    # certifications: a certification's exam taken on its own (stand-alone exams)
    "/api/v1/certifications/{certification_id}/exam",
    "/api/v1/certifications/{certification_id}/exam/attempts",
    "/api/v1/certifications/{certification_id}/exam/attempts/{attempt_id}",
    "/api/v1/certifications/{certification_id}/exam/attempts/{attempt_id}/submit",
    "/api/v1/lessons/{lesson_id}/launch",  # courses: a lesson's learning package launched (its player's URL)
    "/api/v1/me/transcript",  # certifications: my learning transcript as a PDF or CSV
    "/api/v1/locked",  # cms: what a certification would unlock for me (qualification gating)
    "/api/v1/asset-previews/{token}",  # cms: an asset's preview picture through its signed, per-user URL
}


def test_openapi_lists_the_same_paths_as_when_the_routers_were_listed_by_hand():
    assert set(api.get_openapi_schema()["paths"]) == PATHS_BEFORE | PATHS_ADDED


def test_each_app_registers_its_router_in_installed_apps_order():
    assert [router.tags for router in api_routers()] == [
        ["content"],
        ["content"],  # cms: what a certification would unlock for me
        ["content"],  # cms: preview pictures (cms.previews.api)
        ["me"],
        ["partner admin"],
        ["auth"],
        ["auth"],
        ["accounts"],
        ["partner admin"],  # accounts: a partner admin resets their user's MFA
        ["courses"],
        ["certifications"],
        ["certifications"],  # certifications: stand-alone exams
        ["search"],
        ["portal"],
    ]


def test_the_api_answers_the_operations_of_the_registered_routers_and_no_other():
    tags = {
        tag
        for operations in api.get_openapi_schema()["paths"].values()
        for op in operations.values()
        for tag in op["tags"]
    }
    assert tags == {tag for router in api_routers() for tag in router.tags}


def api_url_patterns():
    (patterns, _app, _namespace) = api.urls
    return [(str(pattern.pattern), pattern.name) for pattern in patterns if str(pattern.pattern)]


def test_no_route_shadows_another_whatever_the_order_of_the_routers():
    """Each route's own URL resolves to that route: no earlier router's pattern catches it."""
    for pattern, name in api_url_patterns():
        url = "/api/v1/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "7" if m[1] == "int" else "abc", pattern)
        assert resolve(url).url_name == name, url


def test_registering_a_router_twice_mounts_it_once():
    before = api_routers()
    register_api_router(before[0])
    assert api_routers() == before
    assert Router() not in api_routers()


def test_one_of_checks_the_values_of_the_moment_and_documents_them():
    allowed = ["a", "b"]

    class Payload(Schema):
        value: Annotated[str, OneOf(lambda: allowed)]

    assert Payload(value="a").value == "a"
    with pytest.raises(ValidationError, match="one of: a, b"):
        Payload(value="c")
    allowed.append("c")  # registered later: allowed and documented from then on
    assert Payload(value="c").value == "c"
    assert Payload.model_json_schema()["properties"]["value"]["enum"] == ["a", "b", "c"]
