"""Search inside files on the database fallback (unit tests have no ELASTICSEARCH_URL), the documents and the
Elasticsearch query built for them; the same contract against the real node: tests/integration/test_search_in_files.py.

A phrase only inside a PDF page or a PPTX slide finds the asset, says where, with a passage; title and summary
matches rank above; the audience rule and the live window hold for the text of files (search, suggest, highlight),
and the search endpoint's query count does not grow with the hits that matched inside files.
"""

import json
from datetime import timedelta

from django.utils import timezone

import pytest

from cms.factories import AssetFactory, asset_with_file_text
from core.search import search_kinds
from partners.audience import Viewer
from search.backends import SearchRequest, search_body
from search.documents import build_documents
from search.index import index_settings
from tests.cms.file_samples import pdf_bytes, pptx_bytes, xlsx_bytes
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db

PDF_PAGES = ["Introduction to the portfolio", "Installation steps", "The quantum flux capacitor needs care"]
SLIDES = ["Agenda", "Positioning", "Zephyr tiers start at gold"]


def search(client, headers, query="", **params):
    response = client.get("/api/v1/search", {"q": query, **params}, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def pdf_asset(**kwargs):
    return asset_with_file_text(data=pdf_bytes(PDF_PAGES), name="guide.pdf", **kwargs)


def deck_asset(**kwargs):
    return asset_with_file_text(
        data=pptx_bytes(SLIDES, notes={2: "Say nothing of Wombat"}),
        name="deck.pptx",
        asset_type="presentation",
        **kwargs,
    )


def test_a_phrase_only_in_a_pdf_page_finds_the_asset_and_says_which_page(client, gold_partner_user):
    asset = pdf_asset(title="Installation guide", summary="For partners.")
    AssetFactory(title="Unrelated")
    body = search(client, gold_partner_user.headers, "quantum flux capacitor")
    assert body["backend"] == "database" and body["count"] == 1
    (hit,) = body["results"]
    assert hit["id"] == asset.pk
    assert hit["matched_in"] == {
        "unit": 3,
        "kind": "page",
        "label": "page 3",
        "highlight": "The <mark>quantum</mark> <mark>flux</mark> <mark>capacitor</mark> needs care",
    }


def test_a_phrase_only_in_a_slide_or_its_notes_finds_the_deck_and_says_which_slide(client, gold_partner_user):
    deck = deck_asset(title="Sales deck")
    (hit,) = search(client, gold_partner_user.headers, "zephyr tiers")["results"]
    assert (hit["id"], hit["matched_in"]["unit"], hit["matched_in"]["label"]) == (deck.pk, 3, "slide 3")
    (hit,) = search(client, gold_partner_user.headers, "wombat")["results"]
    assert hit["matched_in"]["label"] == "slide 2"  # speaker notes


def test_a_sheet_is_named(client, gold_partner_user):
    asset_with_file_text(
        data=xlsx_bytes({"Summary": [["Totals"]], "Prices": [["RTR-9000", "Gizmo router"]]}),
        name="prices.xlsx",
        asset_type="price_list",
    )
    (hit,) = search(client, gold_partner_user.headers, "gizmo")["results"]
    assert (hit["matched_in"]["kind"], hit["matched_in"]["label"]) == ("sheet", "sheet Prices")


def test_title_and_summary_matches_rank_above_matches_inside_files(client, gold_partner_user):
    in_file = pdf_asset(title="Installation guide")
    in_summary = AssetFactory(title="Care sheet", summary="Quantum flux basics.", last_published_at=None)
    in_title = AssetFactory(title="Quantum flux primer", last_published_at=timezone.now() - timedelta(days=400))
    ids = [hit["id"] for hit in search(client, gold_partner_user.headers, "quantum flux")["results"]]
    assert ids == [in_title.pk, in_summary.pk, in_file.pk]


def test_an_asset_without_a_match_in_its_file_has_no_matched_in(client, gold_partner_user):
    pdf_asset(title="Quantum router guide")
    (hit,) = search(client, gold_partner_user.headers, "router")["results"]
    assert hit["matched_in"] is None


def test_only_the_current_versions_text_is_searched(client, gold_partner_user):
    from django.core.files.base import ContentFile

    from cms.services.file_text import file_text_extract
    from cms.services.versions import asset_record_versions

    asset = pdf_asset(title="Guide")
    asset.file, asset.version_note = ContentFile(pdf_bytes(["Rewritten entirely"]), name="v2.pdf"), "Rewritten"
    asset.save()
    (version,) = asset_record_versions(assets=[asset])
    file_text_extract(version_id=version.pk)
    assert search(client, gold_partner_user.headers, "capacitor")["count"] == 0
    assert search(client, gold_partner_user.headers, "rewritten")["results"][0]["matched_in"]["label"] == "page 1"


def test_leak_matrix_file_text_never_reaches_a_user_outside_the_audience(client):
    matrix = build_matrix(pdf_asset)
    from partners.services import api_token_issue

    _token, plaintext = api_token_issue(user=matrix.viewer_user, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    body = search(client, headers, "capacitor", page_size=100)
    assert {hit["id"] for hit in body["results"]} == matrix.expected_visible
    assert body["count"] == len(matrix.expected_visible)
    assert sum(value["count"] for value in body["facets"]["type"]) == len(matrix.expected_visible)
    hidden_titles = {item.title for item in matrix.items.values() if item.pk not in matrix.expected_visible}
    assert not hidden_titles & {hit["title"] for hit in body["results"]}
    # Type-ahead completes titles only: the text of files is never suggested, not even for what one may see.
    assert client.get("/api/v1/search/suggest", {"q": "capac"}, **headers).json() == []


def test_the_live_window_applies_to_the_text_of_files(client, gold_partner_user):
    now = timezone.now()
    pdf_asset(title="Expired", expire_at=now - timedelta(hours=1))
    pdf_asset(title="Scheduled", go_live_at=now + timedelta(days=1))
    pdf_asset(title="Draft", live=False)
    live = pdf_asset(title="Live")
    body = search(client, gold_partner_user.headers, "capacitor")
    assert [hit["id"] for hit in body["results"]] == [live.pk]


def test_search_query_count_does_not_grow_with_hits_inside_files(
    client, gold_partner_user, django_assert_max_num_queries
):
    pdf_asset()
    search(client, gold_partner_user.headers, "capacitor")  # warm caches (facet labels, token)
    with django_assert_max_num_queries(25) as few:  # facets, one query of units for the page, the analytics
        search(client, gold_partner_user.headers, "capacitor")
    for _ in range(6):
        pdf_asset()
        deck_asset()
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = search(client, gold_partner_user.headers, "capacitor")
    assert body["count"] == 7


def test_the_library_shows_where_in_the_file_with_a_passage(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    pdf_asset(title="Installation guide")
    deck_asset(title="Sales deck")
    page = client.get("/library/", {"q": "capacitor"}).content.decode()
    assert "In the file: Page 3</span>" in page
    assert "The <mark>quantum</mark>" not in page and "<mark>capacitor</mark> needs care" in page
    page = client.get("/library/", {"q": "zephyr"}).content.decode()
    assert "In the file: Slide 3</span>" in page


def test_documents_carry_the_current_files_pages_for_elasticsearch():
    asset = pdf_asset(title="Installation guide")
    kind = search_kinds()["asset"]
    ((pk, document),) = build_documents(kind, kind.model.objects.filter(pk=asset.pk))
    assert pk == asset.pk
    assert document["pages"] == [
        {"unit": n, "kind": "page", "name": "", "text": text} for n, text in enumerate(PDF_PAGES, start=1)
    ]
    mapping = index_settings([])["mappings"]["properties"]["pages"]
    assert mapping["type"] == "nested" and set(mapping["properties"]) == {"unit", "kind", "name", "text"}


def test_the_pages_query_sits_inside_the_audience_and_live_window_filters():
    viewer = Viewer(
        user_id=1, partner_id=1, tier_id=1, tier_rank=20, partner_type_id=3, region_id=4, role_ids=frozenset({5})
    )
    body = search_body(viewer, SearchRequest(text="quantum flux"), timezone.now())
    query = body["query"]["function_score"]["query"]["bool"]
    assert "nested" in json.dumps(query["must"]) and "nested" not in json.dumps(query["filter"])
    assert "audience_min_tier_rank" in json.dumps(query["filter"])
    nested = next(c["nested"] for c in query["must"]["bool"]["should"] if "nested" in c)
    assert nested["path"] == "pages" and nested["boost"] < 1 and nested["inner_hits"]["size"] == 1
    assert "pages" not in body["_source"]  # the text itself never comes back, only a highlighted passage
