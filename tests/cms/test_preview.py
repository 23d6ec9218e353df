"""Headless preview: a signed, short-lived token shows one previewed item, as previewed, and nothing else."""

from datetime import timedelta

from django.apps import apps
from django.core import signing

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.gating.models import GatedContent, gated_content_models
from cms.gating.preview import SALT, preview_snapshot_create, preview_token_for, preview_url_for
from cms.models import Asset, Program
from partners.factories import PartnerTypeFactory, RegionFactory, StaffUserFactory, TierFactory
from tests.cms.gated_kinds import GATED_KINDS, factory_for, kind_id

pytestmark = pytest.mark.django_db


def get_preview(client, token):
    return client.get("/api/v1/preview", {"token": token})


def test_a_draft_is_previewed_as_edited_without_partner_auth(client):
    asset = AssetFactory(live=False, title="Draft battlecard")
    asset.title = "Unsaved new title"  # what the editor has in the form
    token = preview_token_for(snapshot=preview_snapshot_create(item=asset, user=StaffUserFactory()))
    response = get_preview(client, token)
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["id"], body["item"]["title"]) == ("asset", asset.pk, "Unsaved new title")
    assert "no-store" in response["Cache-Control"]
    assert Asset.objects.get(pk=asset.pk).title == "Draft battlecard"  # previewing changes nothing


@pytest.mark.parametrize("factory", [ProgramFactory, BulletinFactory])
def test_programs_and_bulletins_preview(client, factory):
    item = factory(live=False, title="Coming soon")
    token = preview_token_for(snapshot=preview_snapshot_create(item=item))
    assert get_preview(client, token).json()["item"]["title"] == "Coming soon"


def test_the_token_expires(client, settings):
    settings.PARTNERHUB_PREVIEW_TOKEN_SECONDS = 600
    asset = AssetFactory(live=False)
    token = preview_token_for(snapshot=preview_snapshot_create(item=asset))
    with time_machine.travel(timedelta(seconds=601)):
        response = get_preview(client, token)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_token_cannot_be_altered_to_show_another_item(client):
    mine = AssetFactory(live=False, title="Mine")
    other = AssetFactory(live=False, title="Other")
    other_snapshot = preview_snapshot_create(item=other)
    token = preview_token_for(snapshot=preview_snapshot_create(item=mine))
    forged = signing.dumps({"snapshot": other_snapshot.pk, "object": mine.pk}, salt=SALT, compress=True)
    assert get_preview(client, forged).status_code == 404  # snapshot and item must belong together
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert get_preview(client, tampered).status_code == 404
    wrong_salt = signing.dumps({"snapshot": other_snapshot.pk, "object": other.pk}, salt="something-else")
    assert get_preview(client, wrong_salt).status_code == 404


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 5000])
def test_without_a_valid_token_nothing_is_shown(client, token):
    AssetFactory(live=False)
    response = client.get("/api/v1/preview", {"token": token})
    assert response.status_code in (404, 422)


def test_portal_preview_mode_in_the_admin(client, settings):
    settings.PARTNERHUB_PREVIEW_URL = "https://portal.example/preview/{kind}/{id}?token={token}"
    asset = AssetFactory(live=False, title="Deck")
    assert ("portal", "In the partner portal") in asset.preview_modes
    url = preview_url_for(item=asset)
    assert url.startswith(f"https://portal.example/preview/asset/{asset.pk}?token=")
    token = url.split("token=")[1]
    assert get_preview(client, token).json()["item"]["title"] == "Deck"


def test_no_portal_mode_without_a_preview_url(settings):
    settings.PARTNERHUB_PREVIEW_URL = ""
    assert [mode for mode, _ in AssetFactory(live=False).preview_modes] == [""]


@pytest.mark.parametrize("model", GATED_KINDS, ids=kind_id)
def test_every_kind_of_gated_content_previews_its_own_payload(client, model):
    item = factory_for(model)(live=False, title="Coming soon")
    item.title = "Coming soon, as edited"
    token = preview_token_for(snapshot=preview_snapshot_create(item=item, user=StaffUserFactory()))

    response = get_preview(client, token)

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["id"]) == (model._meta.model_name, item.pk)
    assert body["item"]["id"] == item.pk
    assert body["item"]["title"] == "Coming soon, as edited"


def _concrete_subclasses(cls):
    for subclass in cls.__subclasses__():
        if not subclass._meta.abstract and not subclass._meta.proxy:
            yield subclass
        yield from _concrete_subclasses(subclass)


def test_gated_content_models_finds_every_kind_of_every_installed_app():
    installed = {
        model for model in _concrete_subclasses(GatedContent) if apps.is_installed(model._meta.app_config.name)
    }
    found = gated_content_models()
    assert set(found) == installed
    assert len(found) == len(set(found))
    assert found[:3] == tuple(apps.get_app_config("cms").get_model(name) for name in ("asset", "program", "bulletin"))


@pytest.mark.parametrize("model", gated_content_models(), ids=kind_id)
def test_every_kind_in_gated_content_models_previews_through_the_api(client, model):
    item = factory_for(model)(live=False, title="Previewed as a draft")
    token = preview_token_for(snapshot=preview_snapshot_create(item=item, user=StaffUserFactory()))

    response = get_preview(client, token)

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["id"], body["item"]["title"]) == (model._meta.model_name, item.pk, item.title)


def test_a_kind_without_its_own_payload_previews_with_the_default(client, monkeypatch):
    monkeypatch.setattr(Program, "preview_payload", GatedContent.preview_payload)
    tier, region = TierFactory(key="gold"), RegionFactory(key="emea")
    item = ProgramFactory(live=False, title="Plain", min_tier=tier, regions=[region])
    item.partner_types = [PartnerTypeFactory(key="msp")]  # unsaved, as in the editor's form
    token = preview_token_for(snapshot=preview_snapshot_create(item=item))

    body = get_preview(client, token).json()

    assert body["kind"] == "program"
    assert body["item"] == {
        "kind": "program",
        "id": item.pk,
        "title": "Plain",
        "summary": item.summary,
        "audience": {
            "min_tier": "gold",
            "partner_types": ["msp"],
            "regions": ["emea"],
            "roles": [],
            "requires_certification": None,  # qualification gating: nothing required
            "certification_held_by": "user",
            "certification_holders": 1,
        },
        "go_live_at": None,
        "expire_at": None,
        "review_by": None,
        "published_at": None,
    }
