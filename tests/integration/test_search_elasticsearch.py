"""Search against the real Elasticsearch node the test tooling starts (DESIGN §7).

Relevance on a fixed corpus (typos and synonyms included), facets, highlight and
suggest; the audience leak matrix through search and suggest; every lifecycle
transition reaching the index; narrowing changes and tier rank changes leaving
search at once with no Celery worker running; a rebuild with alias swap while
queries answer; and hostile queries. Elasticsearch killed and restarted under searches (the database
fallback, the index catching up) is tests/integration/test_faults_services.py.
"""

import threading
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory, ProductFactory, ProgramFactory
from cms.gating.lifecycle import content_archive, content_restore, lifecycle_sweep
from cms.models import Asset
from courses.factories import CourseFactory
from partners.audience import audience_allows, viewer_for
from partners.factories import PartnerFactory, PartnerTypeFactory, RegionFactory, RoleFactory, TierFactory
from partners.services import api_token_issue, partner_upsert, tier_upsert
from search.backends import ElasticsearchBackend, SearchRequest
from search.client import get_client
from search.documents import document_id
from search.factories import SynonymFactory
from search.index import alias_name, indices_behind_alias
from search.services import search_reconcile, search_reindex
from search.tasks import sync_search_documents
from tests.conftest import make_token_user
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db

HOSTILE = ['"', "*", "~", "(", "{", "\\", "OR", "AND", "NOT", "a OR (b", "title:*", "/[a-z/", "x~2 y^9", "{{}}", "🤖"]


@pytest.fixture(autouse=True)
def empty_index():
    """Every test starts with no index (the alias is created on first use) and leaves none behind."""

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


def first_title(client, headers, query):
    results = search(client, headers, query)["results"]
    return results[0]["title"] if results else None


def in_index(kind, pk) -> bool:
    return get_client().exists(index=alias_name(), id=document_id(kind, pk))


@pytest.fixture
def corpus(db):
    SynonymFactory(terms="sd-wan, sdwan, software defined wan")
    SynonymFactory(terms="mdf, marketing development funds")
    year_ago = timezone.now() - timedelta(days=365)
    items = {
        "sdwan": AssetFactory(title="SD-WAN deployment guide", summary="Rolling out branch networking."),
        "battlecard": AssetFactory(title="Competitive battlecard: Fortinet", summary="Win against the incumbent."),
        "pricelist": AssetFactory(
            title="EMEA price list 2026", summary="List prices in euros.", asset_type="price_list"
        ),
        "firewall_title": AssetFactory(title="Firewall sizing", summary="How big a box each site needs."),
        "firewall_summary": AssetFactory(title="Branch office kit", summary="Includes a small firewall."),
        "old_onboarding": AssetFactory(title="Partner onboarding checklist", last_published_at=year_ago),
        "new_onboarding": AssetFactory(title="Partner onboarding checklist"),
        "mdf": ProgramFactory(title="Marketing development funds", summary="Co-marketing money for campaigns."),
        "bulletin": BulletinFactory(title="Price increase notice", summary="Prices change on 1 January."),
    }
    search_reindex()
    return items


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("price list", "pricelist"),
        ("battlecrad", "battlecard"),  # a typo
        ("fortinte battlecard", "battlecard"),  # a typo among right words
        ("software defined wan", "sdwan"),  # a synonym, several words
        ("sdwan", "sdwan"),  # a synonym written together
        ("deploying", "sdwan"),  # stemming
        ("firewall", "firewall_title"),  # title over summary
        ("onboarding checklist", "new_onboarding"),  # the same title: the recent one first
        ("MDF", "mdf"),  # an acronym from the synonym list
    ],
)
def test_relevance_on_a_fixed_corpus(client, gold_partner_user, corpus, query, expected):
    assert first_title(client, gold_partner_user.headers, query) == corpus[expected].title


def test_highlight_marks_matches_and_escapes_content(client, gold_partner_user):
    AssetFactory(title="<b>Bold</b> firewall claims", summary="Our <i>firewall</i> beats theirs.")
    search_reindex()
    (hit,) = search(client, gold_partner_user.headers, "firewalls")["results"]
    assert hit["highlight"]["title"] == "&lt;b&gt;Bold&lt;&#x2F;b&gt; <mark>firewall</mark> claims"
    assert "<mark>firewall</mark>" in hit["highlight"]["text"] and "<i>" not in hit["highlight"]["text"]


def test_facets_count_exactly_what_the_user_may_see(client, gold_partner_user):
    router, switch = ProductFactory(key="router", name="Router"), ProductFactory(key="switch", name="Switch")
    platinum = TierFactory(key="platinum", rank=40)
    AssetFactory(title="Router guide", products=[router])
    AssetFactory(title="Router and switch guide", products=[router, switch], asset_type="battlecard")
    AssetFactory(title="Secret router guide", products=[router, switch], min_tier=platinum)
    AssetFactory(title="Draft router guide", products=[router], live=False)
    ProgramFactory(title="Router rebate guide")
    search_reindex()
    body = search(client, gold_partner_user.headers, "guide")
    facets = {name: {v["value"]: v["count"] for v in values} for name, values in body["facets"].items()}
    assert body["count"] == 3
    assert facets["type"] == {"document": 1, "battlecard": 1, "program": 1}
    assert facets["product"] == {"router": 2, "switch": 1}
    narrowed = search(client, gold_partner_user.headers, "guide", product="switch")
    assert narrowed["count"] == 1 and narrowed["results"][0]["title"] == "Router and switch guide"


def test_suggest_completes_titles_the_user_may_see(client, gold_partner_user):
    AssetFactory(title="Competitive battlecard: Fortinet")
    AssetFactory(title="Battlecard for platinum only", min_tier=TierFactory(key="platinum", rank=40))
    ProgramFactory(title="Partner battle plan")
    search_reindex()
    suggestions = client.get("/api/v1/search/suggest", {"q": "battlec"}, **gold_partner_user.headers).json()
    assert [s["title"] for s in suggestions] == ["Competitive battlecard: Fortinet"]
    two_words = client.get("/api/v1/search/suggest", {"q": "partner bat"}, **gold_partner_user.headers).json()
    assert [s["title"] for s in two_words] == ["Partner battle plan"]


@pytest.mark.parametrize(
    "factory",
    [AssetFactory, ProgramFactory, BulletinFactory, CourseFactory],
    ids=["asset", "program", "bulletin", "course"],
)
def test_leak_matrix_search_and_suggest(client, factory):
    matrix = build_matrix(factory)
    for item in factory._meta.model.objects.all():
        item.title = f"Zebra {item.title}"
        item.save()
    search_reindex()
    headers = auth(matrix.viewer_user)
    body = search(client, headers, "zebra", page_size=100)
    assert {hit["id"] for hit in body["results"]} == matrix.expected_visible
    assert body["count"] == len(matrix.expected_visible)
    assert sum(v["count"] for v in body["facets"]["type"]) == len(matrix.expected_visible)
    suggested = client.get("/api/v1/search/suggest", {"q": "zeb"}, **headers).json()
    assert {s["id"] for s in suggested} <= matrix.expected_visible
    assert len(suggested) == min(8, len(matrix.expected_visible))


def test_viewers_of_every_audience_find_exactly_what_the_rule_allows(client):
    import itertools

    from partners.factories import PartnerFactory, partner_user

    matrix = build_matrix(AssetFactory)
    Asset.objects.update(summary="zebra")
    search_reindex()
    world = matrix.world
    role_sets = [[], [world["roles"]["in"]], list(world["roles"].values())]
    for tier, partner_type, region, roles in itertools.product(
        world["tiers"].values(), world["types"].values(), world["regions"].values(), role_sets
    ):
        user = partner_user(partner=PartnerFactory(tier=tier, partner_type=partner_type, region=region), roles=roles)
        viewer = viewer_for(user)
        expected = {i.pk for i in matrix.items.values() if audience_allows(i.get_audience(), viewer)}
        body = search(client, auth(user), "zebra", page_size=100)
        assert {hit["id"] for hit in body["results"]} == expected, (tier, partner_type, region, roles)
        assert body["count"] == len(expected)


def test_every_lifecycle_transition_reaches_the_index(client, gold_partner_user, django_capture_on_commit_callbacks):
    headers = gold_partner_user.headers

    def found(query):
        return {hit["id"] for hit in search(client, headers, query)["results"]}

    with django_capture_on_commit_callbacks(execute=True):
        asset = AssetFactory(title="Quarterly pricing deck", live=False)
    assert not in_index("asset", asset.pk)  # a draft is not indexed

    with django_capture_on_commit_callbacks(execute=True):
        asset.save_revision().publish()
    assert found("pricing") == {asset.pk}  # publish

    with django_capture_on_commit_callbacks(execute=True):
        asset.title = "Quarterly rebate deck"
        asset.save_revision().publish()
    assert found("rebate") == {asset.pk} and found("pricing") == set()  # change

    with django_capture_on_commit_callbacks(execute=True):
        asset.min_tier = TierFactory(key="platinum", rank=40)
        asset.save_revision().publish()
    assert found("rebate") == set()  # audience change
    with django_capture_on_commit_callbacks(execute=True):
        asset.min_tier = None
        asset.save_revision().publish()
    assert found("rebate") == {asset.pk}

    with django_capture_on_commit_callbacks(execute=True):
        content_archive(item=asset)
    assert found("rebate") == set() and not in_index("asset", asset.pk)  # archive
    with django_capture_on_commit_callbacks(execute=True):
        content_restore(item=Asset.objects.get(pk=asset.pk))
    assert found("rebate") == set()  # restored as a draft
    with django_capture_on_commit_callbacks(execute=True):
        asset = Asset.objects.get(pk=asset.pk)
        asset.expire_at = timezone.now() + timedelta(minutes=5)
        asset.save_revision().publish()
    assert found("rebate") == {asset.pk}

    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert found("rebate") == set()  # expired: gone from results at once, before any sweep
        with django_capture_on_commit_callbacks(execute=True):
            assert lifecycle_sweep().expired == 1
    assert not in_index("asset", asset.pk)  # and the sweep removed the document

    other = AssetFactory(title="Rebate calculator")
    search_reindex()
    with django_capture_on_commit_callbacks(execute=True):
        Asset.objects.get(pk=other.pk).delete()
    assert not in_index("asset", other.pk)  # delete


def test_a_scheduled_go_live_reaches_the_index_with_the_sweep(
    client, gold_partner_user, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        asset = AssetFactory(title="Launch kit", live=False)
        asset.go_live_at = soon
        asset.save_revision().publish()
    assert not in_index("asset", asset.pk)
    with time_machine.travel(soon + timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert lifecycle_sweep().published == 1
        assert {hit["id"] for hit in search(client, gold_partner_user.headers, "launch")["results"]} == {asset.pk}


def test_reindex_swaps_the_alias_while_queries_keep_answering(gold_partner_user):
    for n in range(300):
        AssetFactory(title=f"Zebra asset {n}")
    first = search_reindex()
    user = gold_partner_user.user
    viewer_for(user)  # loaded here, so the searching thread needs Elasticsearch only
    counts, errors, done = [], [], threading.Event()

    def keep_searching():
        backend = ElasticsearchBackend()
        while not done.is_set():
            try:
                counts.append(backend.search(user, SearchRequest(text="zebra"), timezone.now()).count)
            except Exception as error:  # any failure is what the test looks for
                errors.append(error)

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        second = search_reindex()
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert len(counts) > 5 and set(counts) == {300}  # never empty, never partial
    assert indices_behind_alias(get_client()) == [second.index] != [first.index]
    assert first.index in second.removed_indices
    assert not get_client().indices.exists(index=first.index)


def test_reconcile_fixes_drift(gold_partner_user):
    kept, dropped = AssetFactory(title="Kept"), AssetFactory(title="Dropped")
    search_reindex()
    Asset.objects.filter(pk=dropped.pk).update(live=False)  # behind the index's back
    missing = AssetFactory(title="Missing")  # no on-commit sync inside the test transaction
    Asset.objects.filter(pk=kept.pk).update(title="Kept renamed", updated_at=timezone.now() + timedelta(seconds=1))
    result = search_reconcile()
    assert (result.indexed, result.deleted) == (2, 1)
    assert in_index("asset", missing.pk) and not in_index("asset", dropped.pk)
    source = get_client().get(index=alias_name(), id=document_id("asset", kept.pk))["_source"]
    assert source["title"] == "Kept renamed"
    assert search_reconcile().indexed == 0  # nothing left to fix


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_reach_elasticsearch_as_syntax(client, gold_partner_user, query):
    AssetFactory(title="Price list OR discount")
    search_reindex()
    body = search(client, gold_partner_user.headers, query)
    assert body["count"] in (0, 1)
    response = client.get("/api/v1/search/suggest", {"q": query}, **gold_partner_user.headers)
    assert response.status_code == 200
    assert client.get("/api/v1/search", {"q": "x" * 10_000}, **gold_partner_user.headers).status_code == 422


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_reaches_the_index_through_a_real_celery_worker(client, celery_worker_process):
    import time

    user = make_token_user()
    asset = AssetFactory(title="Worker indexed asset", live=False)
    asset.save_revision().publish()  # commits (no test transaction): the task goes through Redis

    def searchable() -> bool:  # the index exists and the document is visible to searches (refreshed)
        es = get_client()
        if not es.indices.exists_alias(name=alias_name()):
            return False
        found = es.search(index=alias_name(), body={"query": {"term": {"item_id": asset.pk}}})
        return found["hits"]["total"]["value"] == 1

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not searchable():
        time.sleep(0.2)
    assert [hit["id"] for hit in search(client, user.headers, "worker")["results"]] == [asset.pk]


@pytest.fixture
def worker_down():
    """Tasks are sent to Redis as in production, and no Celery worker consumes them."""
    from cms.celery import app

    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.control.purge()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def found_by(client, headers, query) -> set[int]:
    """The ids ``GET search`` answers, checked against ``search/suggest`` for the same words."""
    hits = {hit["id"] for hit in search(client, headers, query)["results"]}
    suggested = client.get("/api/v1/search/suggest", {"q": query}, **headers).json()
    assert {s["id"] for s in suggested} == hits, (hits, suggested)
    return hits


def _expire_by_hand(item):
    item.expire_at = timezone.now() - timedelta(seconds=1)
    item.save()


def _publish_with(**audience):
    def change(item):
        for name, value in audience.items():
            if name == "min_tier":
                item.min_tier = value
            else:
                getattr(item, name).set(value)
        item.save_revision().publish()

    return change


NARROWING = {
    "archive": lambda item: content_archive(item=item),
    "unpublish": lambda item: item.unpublish(),
    "expire by hand": _expire_by_hand,
    "min tier raised": lambda item: _publish_with(min_tier=TierFactory(key="platinum", rank=40))(item),
    "partner types set": lambda item: _publish_with(partner_types=[PartnerTypeFactory(key="isv")])(item),
    "region changed": lambda item: _publish_with(regions=[RegionFactory(key="apac")])(item),
    "role removed": lambda item: _publish_with(roles=[RoleFactory(key="marketing")])(item),
}


@pytest.mark.parametrize("change", NARROWING.values(), ids=NARROWING.keys())
def test_a_narrowing_change_leaves_search_at_once_with_no_worker_running(
    client, gold_partner_user, worker_down, django_capture_on_commit_callbacks, change
):
    partner = gold_partner_user.user.partner_membership.partner
    asset = AssetFactory(
        title="Quarterly rebate deck",
        regions=[partner.region],
        roles=[RoleFactory(key="sales"), RoleFactory(key="marketing")],
    )
    search_reindex()
    assert found_by(client, gold_partner_user.headers, "rebate") == {asset.pk}
    with django_capture_on_commit_callbacks(execute=True):
        change(Asset.objects.get(pk=asset.pk))
    assert found_by(client, gold_partner_user.headers, "rebate") == set()


def test_a_narrowing_change_the_index_missed_stays_out_of_results_until_the_retry(
    client, gold_partner_user, worker_down, django_capture_on_commit_callbacks
):
    platinum = TierFactory(key="platinum", rank=40)
    platinum_user = make_token_user(partner=PartnerFactory(tier=platinum))
    asset = AssetFactory(title="Quarterly rebate deck")
    search_reindex()
    url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # the index cannot be written during the change
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _publish_with(min_tier=platinum)(Asset.objects.get(pk=asset.pk))
    finally:
        settings.ELASTICSEARCH_URL = url
    stale = get_client().get(index=alias_name(), id=document_id("asset", asset.pk))["_source"]
    assert stale["audience_min_tier_rank"] == 0  # the index still says "every tier"
    assert found_by(client, gold_partner_user.headers, "rebate") == set()  # and yet gold does not find it
    sync_search_documents.apply(args=["asset", [asset.pk]])  # the retry, once a worker runs again
    assert found_by(client, gold_partner_user.headers, "rebate") == set()
    assert found_by(client, platinum_user.headers, "rebate") == {asset.pk}


def test_a_tier_rank_change_reaches_the_index_at_once_with_no_worker_running(
    client, gold_partner_user, worker_down, django_capture_on_commit_callbacks
):
    silver = TierFactory(key="silver", name="Silver", rank=20)
    asset = AssetFactory(title="Silver rebate deck", min_tier=silver)
    search_reindex()
    assert found_by(client, gold_partner_user.headers, "rebate") == {asset.pk}  # gold (30) sees silver (20)
    with django_capture_on_commit_callbacks(execute=True):
        tier_upsert(key="silver", name="Silver", rank=35)  # the importer raises silver above gold
    assert found_by(client, gold_partner_user.headers, "rebate") == set()
    with django_capture_on_commit_callbacks(execute=True):
        silver.refresh_from_db()
        silver.rank = 25  # an administrator lowers it again
        silver.save()
    assert found_by(client, gold_partner_user.headers, "rebate") == {asset.pk}


def test_a_partner_tier_downgrade_narrows_search_with_no_reindex(client, gold_partner_user, worker_down):
    asset = AssetFactory(title="Gold rebate deck", min_tier=TierFactory(key="gold"))
    search_reindex()
    assert found_by(client, gold_partner_user.headers, "rebate") == {asset.pk}
    partner = gold_partner_user.user.partner_membership.partner
    partner_upsert(
        key=partner.key,
        name=partner.name,
        tier=TierFactory(key="silver", rank=20),
        partner_type=partner.partner_type,
        region=partner.region,
        is_active=True,
    )  # no on-commit callbacks run here: nothing reaches the index
    assert found_by(client, gold_partner_user.headers, "rebate") == set()
