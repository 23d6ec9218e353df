"""Search inside files against the real Elasticsearch node and PostgreSQL (DESIGN §7), both backends.

A phrase only inside a PDF page or a PPTX slide finds the asset with the right page or
slide and a highlighted passage, on Elasticsearch (nested pages, inner_hits) and on the
database fallback; title and summary matches rank above; the audience rule and the live
window hold for the text of files through search, suggest and highlights; and the index
follows when a file's text is read (the worker's write reaches search without a rebuild).
"""

from datetime import timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

import pytest
import time_machine

from cms.factories import AssetFactory, asset_with_file_text
from cms.models import AssetVersionText
from cms.services.versions import asset_record_versions
from partners.services import api_token_issue
from search.backends import SearchRequest
from search.client import get_client
from search.fallback import DatabaseBackend
from search.index import alias_name
from search.services import search_reindex
from tests.cms.file_samples import pdf_bytes, pptx_bytes
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db

PDF_PAGES = ["Introduction", "Installation", "Page seven talk", "The quantum flux capacitor needs care"]
SLIDES = ["Agenda", "Positioning", "Zephyr price tiers start at gold"]


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


def search(client, headers, query="", **params):
    response = client.get("/api/v1/search", {"q": query, **params}, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["backend"] == "elasticsearch", body
    return body


def pdf_asset(**kwargs):
    return asset_with_file_text(data=pdf_bytes(PDF_PAGES), name="guide.pdf", **kwargs)


def deck_asset(**kwargs):
    data = pptx_bytes(SLIDES, notes={2: "Never mention Wombat"})
    return asset_with_file_text(data=data, name="deck.pptx", asset_type="presentation", **kwargs)


def test_a_phrase_in_a_pdf_page_and_a_slide_is_found_on_both_backends_with_the_right_place(client, gold_partner_user):
    guide = pdf_asset(title="Installation guide", summary="For partners.")
    deck = deck_asset(title="Sales deck")
    AssetFactory(title="Unrelated")
    search_reindex()

    (hit,) = search(client, gold_partner_user.headers, "quantum flux capacitor")["results"]
    assert hit["id"] == guide.pk
    assert (hit["matched_in"]["unit"], hit["matched_in"]["kind"], hit["matched_in"]["label"]) == (4, "page", "page 4")
    assert "<mark>quantum</mark> <mark>flux</mark> <mark>capacitor</mark>" in hit["matched_in"]["highlight"]
    (hit,) = search(client, gold_partner_user.headers, "zephyr price tiers")["results"]
    assert (hit["id"], hit["matched_in"]["label"]) == (deck.pk, "slide 3")
    assert "<mark>Zephyr</mark>" in hit["matched_in"]["highlight"]
    (hit,) = search(client, gold_partner_user.headers, "wombat")["results"]
    assert hit["matched_in"]["label"] == "slide 2"  # speaker notes

    fallback = DatabaseBackend()
    now = timezone.now()
    (hit,) = fallback.search(gold_partner_user.user, SearchRequest(text="quantum flux capacitor"), now).hits
    assert (hit.id, hit.matched_in["unit"], hit.matched_in["kind"]) == (guide.pk, 4, "page")
    (hit,) = fallback.search(gold_partner_user.user, SearchRequest(text="zephyr price tiers"), now).hits
    assert (hit.id, hit.matched_in["unit"], hit.matched_in["kind"]) == (deck.pk, 3, "slide")


def test_title_and_summary_matches_rank_above_matches_inside_files(client, gold_partner_user):
    in_file = pdf_asset(title="Installation guide")
    in_summary = AssetFactory(title="Care sheet", summary="Quantum flux basics.")
    in_title = AssetFactory(title="Quantum flux primer", last_published_at=timezone.now() - timedelta(days=300))
    search_reindex()
    ids = [hit["id"] for hit in search(client, gold_partner_user.headers, "quantum flux")["results"]]
    assert ids == [in_title.pk, in_summary.pk, in_file.pk]


def test_leak_matrix_file_text_through_search_suggest_and_highlight(client):
    matrix = build_matrix(pdf_asset)
    search_reindex()
    headers = auth(matrix.viewer_user)
    body = search(client, headers, "capacitor", page_size=100)
    assert {hit["id"] for hit in body["results"]} == matrix.expected_visible
    assert body["count"] == len(matrix.expected_visible)
    assert sum(value["count"] for value in body["facets"]["type"]) == len(matrix.expected_visible)
    assert all(hit["matched_in"]["label"] == "page 4" for hit in body["results"])
    assert client.get("/api/v1/search/suggest", {"q": "capac"}, **headers).json() == []


def test_the_live_window_holds_for_file_text_before_any_sweep(client, gold_partner_user):
    now = timezone.now()
    expiring = pdf_asset(title="Expiring", expire_at=now + timedelta(hours=1))
    pdf_asset(title="Scheduled", go_live_at=now + timedelta(days=2))
    search_reindex()
    assert [hit["id"] for hit in search(client, gold_partner_user.headers, "capacitor")["results"]] == [expiring.pk]
    with time_machine.travel(now + timedelta(hours=2)):
        assert search(client, gold_partner_user.headers, "capacitor")["count"] == 0


def test_the_index_follows_when_a_files_text_is_read(client, gold_partner_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asset = AssetFactory(title="Router deck", file=ContentFile(pptx_bytes(SLIDES), name="d.pptx"))
    assert search(client, gold_partner_user.headers, "zephyr")["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):  # the version, then its text read (eager), then the sync
        asset_record_versions(assets=[asset])
    assert AssetVersionText.objects.get(version__asset=asset).state == AssetVersionText.State.EXTRACTED
    (hit,) = search(client, gold_partner_user.headers, "zephyr")["results"]
    assert (hit["id"], hit["matched_in"]["label"]) == (asset.pk, "slide 3")
