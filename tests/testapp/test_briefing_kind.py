"""A gated content kind that only the test app knows is imported, searched, previewed, in the feed and in the demo.

``Briefing`` (``tests/testapp``) plugs itself in from its own ``AppConfig.ready()``; nothing in
cms, search or core names it. These tests are the proof that adding a kind touches one app.
"""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

import pytest

from cms.gating.preview import preview_snapshot_create, preview_token_for
from core.demo import DemoRun, demo_manifest, demo_manifest_paths
from core.importer.engine import ManifestError, import_manifest
from partners.factories import PartnerFactory, StaffUserFactory, TierFactory
from partners.models import Tier
from tests.conftest import make_token_user
from tests.testapp.factories import BriefingFactory
from tests.testapp.models import Briefing

pytestmark = pytest.mark.django_db

PARTNERS_DEMO = settings.BASE_DIR / "partners" / "fixtures" / "demo" / "partners.json"
BRIEFINGS_DEMO = settings.BASE_DIR / "tests" / "testapp" / "fixtures" / "demo" / "briefings.json"


@pytest.fixture
def silver_user(db):
    return make_token_user(partner=PartnerFactory(tier=TierFactory(key="silver", name="Silver", rank=20)))


def test_briefings_are_imported_from_a_manifest_and_reimported_unchanged(tmp_path):
    TierFactory(key="gold", name="Gold", rank=30)
    manifest = {
        "briefings": [
            {
                "key": "pricing",
                "title": "Pricing briefing",
                "body": "New price tiers.",
                "audience": {"min_tier": "gold"},
                "state": "live",
            }
        ]
    }

    first = import_manifest(manifest, base_dir=tmp_path)
    again = import_manifest(manifest, base_dir=tmp_path)

    briefing = Briefing.objects.get(key="pricing")
    assert (briefing.title, briefing.body, briefing.min_tier.key, briefing.live) == (
        "Pricing briefing",
        "New price tiers.",
        "gold",
        True,
    )
    assert briefing.is_live_for_partners()
    assert "briefings" in "\n".join(first.lines())
    assert Briefing.objects.count() == 1
    assert briefing.revisions.count() == 1, "re-importing an unchanged entry makes no new revision"
    assert "briefings" in "\n".join(again.lines())


def test_a_briefing_entry_naming_an_unknown_tier_is_refused_and_nothing_is_written(tmp_path):
    manifest = {"briefings": [{"key": "b", "title": "B", "audience": {"min_tier": "diamond"}}]}
    with pytest.raises(ManifestError, match="diamond"):
        import_manifest(manifest, base_dir=tmp_path)
    assert not Briefing.objects.exists()


def test_briefings_are_searched_by_their_body_and_only_by_their_audience(client, gold_partner_user, silver_user):
    gold_only = BriefingFactory(
        title="Q4 pricing",
        body="The SD-WAN discount stays.",
        min_tier=Tier.objects.get(key="gold"),
    )

    def hits(token_user):
        response = client.get("/api/v1/search", {"q": "discount"}, **token_user.headers)
        assert response.status_code == 200, response.content
        return [(hit["kind"], hit["id"]) for hit in response.json()["results"]]

    assert hits(gold_partner_user) == [("briefing", gold_only.pk)]
    assert hits(silver_user) == []


def test_a_draft_briefing_previews_through_the_api(client):
    briefing = BriefingFactory(live=False, title="Draft briefing")
    briefing.title = "Draft briefing, as edited"
    token = preview_token_for(snapshot=preview_snapshot_create(item=briefing, user=StaffUserFactory()))

    response = client.get("/api/v1/preview", {"token": token})

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["item"]["id"], body["item"]["title"]) == (
        "briefing",
        briefing.pk,
        "Draft briefing, as edited",
    )


def test_new_briefings_are_in_the_feed_for_their_audience_only(client, gold_partner_user, silver_user):
    gold = Tier.objects.get(key="gold")
    for_gold = BriefingFactory(title="For gold", min_tier=gold)
    for_all = BriefingFactory(title="For everyone")
    BriefingFactory(title="Draft", live=False)
    since = (timezone.now() - timedelta(days=1)).isoformat()

    def section(token_user):
        response = client.get("/api/v1/feed", {"since": since}, **token_user.headers)
        assert response.status_code == 200, response.content
        (found,) = [s for s in response.json()["sections"] if s["name"] == "new_briefings"]
        return found

    gold_section = section(gold_partner_user)
    assert gold_section["title"] == "New briefings"
    assert {item["id"] for item in gold_section["items"]} == {for_gold.pk, for_all.pk}
    assert [item["id"] for item in section(silver_user)["items"]] == [for_all.pk]


def test_briefings_are_loaded_from_the_test_apps_demo_manifest(tmp_path):
    assert BRIEFINGS_DEMO in demo_manifest_paths()
    run = DemoRun(base_dir=tmp_path, today=date(2026, 11, 27))
    manifest = demo_manifest(run, paths=[PARTNERS_DEMO, BRIEFINGS_DEMO])
    manifest = {name: manifest[name] for name in ("tiers", "briefings")}

    import_manifest(manifest, base_dir=tmp_path)

    welcome = Briefing.objects.get(key="briefing-welcome")
    assert welcome.review_by == date(2027, 1, 26), "today+60d in the manifest is 60 days from the day of loading"
    assert Briefing.objects.get(key="briefing-q4-pricing").min_tier.key == "gold"
    assert set(Briefing.objects.live_for_partners(now=datetime.now(UTC)).values_list("key", flat=True)) == {
        "briefing-q4-pricing",
        "briefing-welcome",
    }
