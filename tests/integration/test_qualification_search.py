"""Qualification gating on the real Elasticsearch node: the three forms agree, and certificates act at once.

* the qualification matrix (holder, colleague, expired, revoked, partner with N - 1 and N holders, holders
  deactivated or past their last day) through the search filter inside Elasticsearch, for each content kind,
  agrees with the pure function and the SQL filter;
* a certificate issued unlocks search and suggestions at once, a revoked or expired one hides them at once:
  what a user holds is read when the query is made, so no document has to be rewritten (no reindex, no worker).
"""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

import pytest
import time_machine

from certifications.factories import CertificateFactory, CertificationFactory
from certifications.services import certificate_revoke
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from courses.factories import CourseFactory
from partners.audience import can_view, search_document_fields, search_filter, viewer_for
from partners.factories import PartnerFactory, partner_user
from partners.models import PartnerMembership
from partners.qualifications import HeldBy
from partners.services import api_token_issue
from search.client import get_client
from search.index import alias_name
from search.services import search_reindex
from tests.partners.qualification_matrix import build_qualification_matrix, requirement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_index():
    def drop():
        client = get_client()
        for name in client.indices.get(index=f"{alias_name()}*"):
            client.indices.delete(index=name, ignore=[404])

    drop()
    cache.clear()
    yield
    drop()


def auth(user) -> dict:
    _token, plaintext = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def found(client, headers, query="zebra") -> set[int]:
    body = client.get("/api/v1/search", {"q": query, "page_size": 100}, **headers).json()
    assert body["backend"] == "elasticsearch", body
    assert body["count"] == len(body["results"])
    return {hit["id"] for hit in body["results"]}


def suggested(client, headers) -> set[int]:
    return {s["id"] for s in client.get("/api/v1/search/suggest", {"q": "zeb"}, **headers).json()}


@pytest.mark.parametrize(
    "factory",
    [AssetFactory, ProgramFactory, BulletinFactory, CourseFactory],
    ids=["asset", "program", "bulletin", "course"],
)
def test_qualification_matrix_inside_elasticsearch(client, factory):
    matrix = build_qualification_matrix(factory, summary="zebra")
    search_reindex()
    for name, user in matrix.users.items():
        expected = matrix.expected_ids(name)
        model = factory._meta.model
        assert set(model.objects.visible_to(user).values_list("pk", flat=True)) == expected, name
        assert {i.pk for i in matrix.items.values() if can_view(user, model.objects.get(pk=i.pk))} == expected
        headers = auth(user)
        assert found(client, headers) == expected, name
        assert suggested(client, headers) <= expected


def test_the_raw_filter_agrees_on_a_bare_index():
    """``search_filter`` over ``search_document_fields`` on a fresh index (no API in between)."""
    client = get_client()
    name = f"{alias_name()}-qualification-raw"
    properties = {
        field: {"type": "integer" if field.endswith(("rank", "holders")) else "keyword"}
        for field in search_document_fields(build_qualification_matrix().items["open"].get_audience())
    }
    client.indices.create(index=name, body={"mappings": {"dynamic": "strict", "properties": properties}})
    from tests.testapp.models import GatedItem

    try:
        items = list(GatedItem.objects.all())
        for item in items:
            client.index(index=name, id=item.pk, body=search_document_fields(item.get_audience()))
        client.indices.refresh(index=name)
        for user in {m.user for m in PartnerMembership.objects.all()}:
            viewer = viewer_for(user)
            if viewer is None:
                continue
            body = {"query": {"bool": {"filter": search_filter(viewer)}}, "size": 100}
            hits = {int(hit["_id"]) for hit in client.search(index=name, body=body)["hits"]["hits"]}
            assert hits == set(GatedItem.objects.visible_to(user).values_list("pk", flat=True)), user
    finally:
        client.indices.delete(index=name, ignore=[404])


def test_issue_unlocks_search_at_once_and_revoke_or_expiry_hide_it_at_once(client):
    certification = CertificationFactory(title="SD-WAN Pro")
    partner = PartnerFactory()
    user, colleague = partner_user(partner=partner), partner_user(partner=partner)
    mine = AssetFactory(title="Zebra deck for holders", **requirement(certification.qualification))
    team = AssetFactory(title="Zebra price list", **requirement(certification.qualification, HeldBy.PARTNER, 2))
    search_reindex()
    headers = auth(user)
    assert found(client, headers) == set() and suggested(client, headers) == set()

    certificate = CertificateFactory(user=user, certification=certification)
    assert found(client, headers) == {mine.pk}  # at once: nothing was reindexed
    assert suggested(client, headers) == {mine.pk}
    CertificateFactory(user=colleague, certification=certification, expires_in=timedelta(days=2))
    assert found(client, headers) == {mine.pk, team.pk}

    certificate_revoke(certificate=certificate, reason="Test")
    assert found(client, headers) == set()  # mine needs me; the team has one holder left
    assert suggested(client, headers) == set()
    assert found(client, auth(colleague)) == {mine.pk}

    with time_machine.travel(timezone.now() + timedelta(days=3)):  # the colleague's certificate expired
        assert found(client, auth(colleague)) == set()
