"""The registry of search kinds: each app registers its own, and a new kind is searched without a change to search."""

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certification
from cms.models import Asset, Bulletin, Program
from core.search import SearchKind, register_search_kind, search_kind_of, search_kinds, unregister_search_kind
from courses.models import Course
from partners.factories import TierFactory
from search.documents import documents_for
from search.models import SearchClick
from tests.testapp.models import Briefing

pytestmark = pytest.mark.django_db


def test_cms_and_courses_register_their_kinds_in_installed_apps_order():
    assert {name: kind.model for name, kind in search_kinds().items()} == {
        "asset": Asset,
        "program": Program,
        "bulletin": Bulletin,
        "course": Course,
        "briefing": Briefing,  # tests/testapp's gated kind registers itself like any app
    }
    assert search_kind_of(Course).name == "course"
    assert search_kind_of(Certification) is None


def test_type_labels_come_from_the_type_field_or_the_kind():
    kinds = search_kinds()
    assert kinds["asset"].type_labels()["battlecard"] == "Battlecard"
    assert kinds["program"].type_labels() == {"program": "Program"}


@pytest.fixture
def certification_kind():
    """Certifications made searchable the way an app would, from outside search."""
    register_search_kind(SearchKind("certification", Certification))
    yield search_kinds()["certification"]
    unregister_search_kind("certification")


def search(client, user, **params):
    response = client.get("/api/v1/search", params, **user.headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_newly_registered_kind_is_indexed(certification_kind):
    certification = CertificationFactory(title="Network associate", summary="The first step.")
    draft = CertificationFactory(title="Draft", live=False)
    documents = dict(documents_for(certification_kind, [certification.pk, draft.pk]))
    assert documents[draft.pk] is None
    assert documents[certification.pk]["kind"] == "certification"
    assert documents[certification.pk]["type"] == "certification"
    assert documents[certification.pk]["title"] == "Network associate"


def test_a_newly_registered_kind_is_searched_filtered_faceted_and_clicked(
    client, gold_partner_user, certification_kind
):
    shown = CertificationFactory(title="Network associate", summary="The first step.")
    CertificationFactory(title="Network expert", min_tier=TierFactory(key="platinum", rank=40))
    body = search(client, gold_partner_user, q="network")
    assert [(hit["kind"], hit["id"], hit["url"]) for hit in body["results"]] == [("certification", shown.pk, None)]
    assert body["facets"]["type"] == [{"value": "certification", "label": "Certification", "count": 1}]
    assert search(client, gold_partner_user, q="network", type="certification")["count"] == 1
    assert search(client, gold_partner_user, q="network", type="course")["count"] == 0
    suggestions = client.get("/api/v1/search/suggest", {"q": "netw"}, **gold_partner_user.headers).json()
    assert [(s["kind"], s["id"]) for s in suggestions] == [("certification", shown.pk)]
    response = client.post(
        "/api/v1/search/click",
        {"query_id": body["query_id"], "kind": "certification", "id": shown.pk},
        content_type="application/json",
        **gold_partner_user.headers,
    )
    assert response.status_code == 204
    assert SearchClick.objects.get().kind == "certification"


def test_a_kind_that_is_not_registered_is_refused(client, gold_partner_user):
    response = client.get("/api/v1/search", {"type": "certification"}, **gold_partner_user.headers)
    assert response.status_code == 422
