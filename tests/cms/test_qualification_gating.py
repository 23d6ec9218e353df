"""Qualification gating through the partner API: the leak matrix, what unlocks an item, and issue / revoke / expire.

A locked item (in my audience but for a certification) answers 403 with what unlocks it and is absent from
lists, search, suggestions and the feed; an item outside my audience stays a 404 and is never named.
"""

from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from certifications.factories import CertificateFactory, CertificationFactory
from certifications.services import certificate_revoke
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.models import Asset, Download
from courses.factories import CourseFactory
from partners.factories import PartnerFactory, RoleFactory, partner_user
from partners.qualifications import HeldBy
from partners.services import api_token_issue
from tests.partners.qualification_matrix import build_qualification_matrix, requirement

pytestmark = pytest.mark.django_db

PATHS = {AssetFactory: "assets", ProgramFactory: "programs", BulletinFactory: "bulletins", CourseFactory: "courses"}


def auth(user):
    _token, plaintext = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("factory", list(PATHS), ids=list(PATHS.values()))
def test_leak_matrix_of_qualifications_list_detail_and_locked(client, factory):
    path = PATHS[factory]
    matrix = build_qualification_matrix(factory)
    for name, user in matrix.users.items():
        headers = auth(user)
        expected, locked = matrix.expected_ids(name), matrix.locked_ids(name)
        assert ids(client.get(f"/api/v1/{path}?page_size=100", **headers)) == expected, name
        for item in matrix.items.values():
            response = client.get(f"/api/v1/{path}/{item.pk}", **headers)
            if item.pk in expected:
                assert response.status_code == 200, (name, item.title)
            else:
                assert response.status_code == 403, (name, item.title)
                body = response.json()
                assert body["locked_reason"] == "qualification"
                assert item.title not in str(body)  # what unlocks it, never the item's own body
        listed = client.get("/api/v1/locked?page_size=100", **headers).json()
        assert {row["id"] for row in listed["results"]} == locked, name


def test_an_item_outside_my_audience_is_404_and_never_named_even_when_locked(client):
    sales, technical = RoleFactory(key="sales"), RoleFactory(key="technical")
    certification = CertificationFactory(title="SD-WAN Pro")
    seller = partner_user(roles=[sales])
    hidden = AssetFactory(title="Secret pricing", roles=[technical], **requirement(certification.qualification))
    headers = auth(seller)
    assert client.get(f"/api/v1/assets/{hidden.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/assets/{hidden.pk}/download", **headers).status_code == 404
    assert client.get("/api/v1/locked", **headers).json()["count"] == 0


def test_the_unlock_hint_names_the_certification_and_its_courses_i_may_see(client):
    technical = RoleFactory(key="technical")
    course = CourseFactory(title="SD-WAN Pro course")
    hidden_course = CourseFactory(title="Internal bootcamp", roles=[technical])
    certification = CertificationFactory(title="SD-WAN Pro", required_courses=[course, hidden_course])
    partner = PartnerFactory()
    user = partner_user(partner=partner)
    CertificateFactory(user=partner_user(partner=partner), certification=certification)
    team_asset = AssetFactory(title="Team price list", **requirement(certification.qualification, HeldBy.PARTNER, 3))
    mine = AssetFactory(title="Personal deck", **requirement(certification.qualification))
    body = client.get(f"/api/v1/assets/{team_asset.pk}", **auth(user)).json()
    unlock = body["unlock"]
    assert unlock["certification"]["title"] == "SD-WAN Pro"
    assert unlock["certification"]["url"] == f"/api/v1/certifications/{certification.pk}"
    assert [c["title"] for c in unlock["courses"]] == ["SD-WAN Pro course"]  # the bootcamp is not mine to see
    assert (unlock["held_by"], unlock["holders_needed"], unlock["holders_now"]) == ("partner", 3, 1)
    assert (
        body["detail"]
        == "Requires the certification “SD-WAN Pro”, held by at least 3 active users of your company (1 do now)."
    )
    mine_body = client.get(f"/api/v1/assets/{mine.pk}/download", **auth(user)).json()
    assert mine_body["detail"] == "Requires the certification “SD-WAN Pro”, held by you."
    assert Download.objects.count() == 0


def test_a_certification_i_may_not_see_is_not_named(client):
    technical = RoleFactory(key="technical")
    certification = CertificationFactory(title="Internal cert", roles=[technical])
    asset = AssetFactory(**requirement(certification.qualification))
    body = client.get(f"/api/v1/assets/{asset.pk}", **auth(partner_user())).json()
    assert body["unlock"]["certification"] is None
    assert "Internal cert" not in str(body)
    assert body["detail"] == "Requires a certification, held by you."


def visible_everywhere(client, headers, asset) -> dict:
    """Where ``asset`` shows for the holder of ``headers``: list, detail, download, search, suggest, feed."""
    search = client.get("/api/v1/search", {"q": "zebra"}, **headers).json()
    return {
        "list": asset.pk in ids(client.get("/api/v1/assets", **headers)),
        "detail": client.get(f"/api/v1/assets/{asset.pk}", **headers).status_code,
        "download": client.get(f"/api/v1/assets/{asset.pk}/download", **headers).status_code,
        "search": [hit["id"] for hit in search["results"]] == [asset.pk] and search["count"] == 1,
        "suggest": [s["id"] for s in client.get("/api/v1/search/suggest", {"q": "zeb"}, **headers).json()],
        "feed": [a["id"] for a in client.get("/api/v1/feed", **headers).json()["new_assets"]],
    }


def test_issue_unlocks_at_once_and_revoke_or_expiry_lock_again(client):
    certification = CertificationFactory(title="SD-WAN Pro")
    user = partner_user()
    asset = AssetFactory(title="Zebra battlecard", **requirement(certification.qualification))
    headers = auth(user)
    locked = {"list": False, "detail": 403, "download": 403, "search": False, "suggest": [], "feed": []}
    assert visible_everywhere(client, headers, asset) == locked

    certificate = CertificateFactory(user=user, certification=certification)  # issued
    unlocked = {
        "list": True,
        "detail": 200,
        "download": 200,
        "search": True,
        "suggest": [asset.pk],
        "feed": [asset.pk],
    }
    assert visible_everywhere(client, headers, asset) == unlocked

    certificate_revoke(certificate=certificate, reason="Shared exam answers")
    assert visible_everywhere(client, headers, asset) == locked

    certificate.superseded_at = timezone.now()  # re-earned: the revoked one is kept, superseded
    certificate.save()
    CertificateFactory(user=user, certification=certification, expires_in=timedelta(days=3))
    assert visible_everywhere(client, headers, asset) == unlocked
    with time_machine.travel(timezone.now() + timedelta(days=4)):  # expired: no job has run, read time decides
        assert visible_everywhere(client, headers, asset) == locked


def test_a_colleague_earning_it_unlocks_a_partner_requirement(client):
    certification = CertificationFactory()
    partner = PartnerFactory()
    user, colleague = partner_user(partner=partner), partner_user(partner=partner)
    asset = AssetFactory(**requirement(certification.qualification, HeldBy.PARTNER, 2))
    CertificateFactory(user=user, certification=certification)
    headers = auth(user)
    assert client.get(f"/api/v1/assets/{asset.pk}", **headers).status_code == 403
    CertificateFactory(user=colleague, certification=certification)
    assert client.get(f"/api/v1/assets/{asset.pk}", **headers).status_code == 200
    colleague.is_active = False  # leaves the company: counts no more
    colleague.save()
    assert client.get(f"/api/v1/assets/{asset.pk}", **headers).status_code == 403


#: Authentication, the viewer and what they hold, one query per kind, the unlock hints, the page count.
LOCKED_AND_LIST_QUERIES = 12


def test_locked_and_list_endpoints_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    certification = CertificationFactory()
    course = CourseFactory()
    certification.required_courses.set([course])
    user = partner_user()
    headers = auth(user)

    def load(n):
        for _ in range(n):
            AssetFactory(**requirement(certification.qualification))
            AssetFactory(**requirement(certification.qualification, HeldBy.PARTNER, 1))
            AssetFactory()

    load(2)
    counts = {}
    for size in (2, 12):
        if size == 12:
            load(10)
        for path in ("/api/v1/locked?page_size=100", "/api/v1/assets?page_size=100"):
            client.get(path, **headers)  # warm caches of counts
            with django_assert_max_num_queries(LOCKED_AND_LIST_QUERIES) as queries:
                assert client.get(path, **headers).status_code == 200
            counts[(path, size)] = len(queries)
    assert counts[("/api/v1/locked?page_size=100", 2)] == counts[("/api/v1/locked?page_size=100", 12)]
    assert counts[("/api/v1/assets?page_size=100", 2)] == counts[("/api/v1/assets?page_size=100", 12)]
    assert Asset.objects.count() == 36


def test_locked_items_of_two_kinds_with_the_same_id_each_name_their_own_certification(client):
    asset_cert, bulletin_cert = CertificationFactory(title="Asset cert"), CertificationFactory(title="Bulletin cert")
    asset = AssetFactory(**requirement(asset_cert.qualification))
    BulletinFactory(id=asset.pk, **requirement(bulletin_cert.qualification))  # one id in two tables, as is common
    rows = client.get("/api/v1/locked", **auth(partner_user())).json()["results"]
    named = {(row["kind"], row["id"]): row["unlock"]["certification"]["title"] for row in rows}
    assert named == {("asset", asset.pk): "Asset cert", ("bulletin", asset.pk): "Bulletin cert"}
