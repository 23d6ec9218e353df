"""Translating gated content in the admin ("Translate", wagtail.contrib.simple_translation).

A new language variant starts as a draft (in review when a moderation workflow applies)
with one revision of its own, the source's live audience and a key of its own; partners
see it only once it is reviewed and published, and then only inside that audience.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from wagtail.models import Locale, WorkflowContentType

import pytest

from cms.factories import AssetFactory
from cms.models import Asset
from partners.factories import PartnerFactory, PartnerTypeFactory, RegionFactory, give_second_factor
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def german():
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def french():
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def translator():
    """A staff user who may edit assets and submit translations, nothing more (not a superuser)."""
    user = get_user_model().objects.create_user("tom", "tom@vendor.test", "pw", is_staff=True)
    group = Group.objects.create(name="Translators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="cms", codename__in=["add_asset", "change_asset"]),
        Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation"),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def audience():
    """A reseller in EMEA is inside the source's audience; a distributor in AMER is outside it."""
    reseller, emea = PartnerTypeFactory(key="reseller"), RegionFactory(key="emea")
    inside = make_token_user(partner=PartnerFactory(partner_type=reseller, region=emea))
    outside = make_token_user(
        partner=PartnerFactory(partner_type=PartnerTypeFactory(key="distributor"), region=RegionFactory(key="amer"))
    )
    return {"partner_types": [reseller], "regions": [emea], "inside": inside, "outside": outside}


def edit_url(item) -> str:
    return reverse("wagtailsnippets_cms_asset:edit", args=[item.pk])


def translate_url(item) -> str:
    return reverse("simple_translation:submit_snippet_translation", args=["cms", "asset", item.pk])


def save_unreviewed_draft(client, editor, asset):
    """An editor saves a draft of the live asset: a new title, partner types and regions emptied."""
    client.force_login(editor)
    response = client.post(edit_url(asset), {"title": "Deck, unreviewed", "asset_type": asset.asset_type})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.live and asset.has_unpublished_changes


def submit_translation(client, user, source, *locales):
    client.force_login(user)
    response = client.post(translate_url(source), {"locales": [locale.pk for locale in locales]})
    assert response.status_code == 302, response.content
    return response


def variant_of(source, locale) -> Asset:
    return Asset.objects.get(translation_key=source.translation_key, locale=locale)


def seen_by(client, partner):
    """What one partner user gets for the asset: (listed ids, listed ids asking for German)."""
    client.logout()
    listed = client.get("/api/v1/assets?page_size=100", **partner.headers).json()["results"]
    listed_de = client.get("/api/v1/assets?page_size=100&locale=de", **partner.headers).json()["results"]
    return {row["id"] for row in listed}, {row["id"] for row in listed_de}


def statuses(client, partner, item) -> tuple[int, int]:
    client.logout()
    detail = client.get(f"/api/v1/assets/{item.pk}", **partner.headers).status_code
    download = client.get(f"/api/v1/assets/{item.pk}/download", **partner.headers).status_code
    return detail, download


@pytest.fixture
def live_source(audience):
    return AssetFactory(title="Deck", live=True, partner_types=audience["partner_types"], regions=audience["regions"])


@pytest.fixture
def moderator():
    """A member of Moderators, the group of the "Marketing review" workflow's task."""
    user = get_user_model().objects.create_user("mo", "mo@vendor.test", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    give_second_factor(user)  # moderators publish: they have a second factor (accounts.mfa)
    return user


@pytest.fixture
def no_workflow():
    WorkflowContentType.objects.filter(content_type=ContentType.objects.get_for_model(Asset)).delete()


def assert_unpublished_variant(variant, *, translator, audience):
    assert variant.live is False
    assert variant.live_revision is None
    assert variant.last_published_at is None and variant.first_published_at is None
    revisions = list(variant.revisions.all())
    assert len(revisions) == 1
    assert variant.latest_revision == revisions[0]
    assert revisions[0].user == translator
    # The source's live audience, not the emptied one of the unreviewed draft.
    assert set(variant.partner_types.all()) == set(audience["partner_types"])
    assert set(variant.regions.all()) == set(audience["regions"])
    assert set(revisions[0].as_object().partner_types.all()) == set(audience["partner_types"])
    assert not variant.versions.exists()  # its file becomes a version (downloadable) when published


def searched(client, partner, query) -> list[int]:
    client.logout()
    response = client.get(f"/api/v1/search?q={query}", **partner.headers)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def translations_listed(client, partner, source):
    client.logout()
    return client.get(f"/api/v1/assets/{source.pk}", **partner.headers).json()["translations"]


def assert_nobody_sees(client, variant, audience):
    source = Asset.objects.exclude(pk=variant.pk).get(translation_key=variant.translation_key)
    assert translations_listed(client, audience["inside"], source) == []
    for partner in (audience["inside"], audience["outside"]):
        listed, listed_de = seen_by(client, partner)
        assert variant.pk not in listed and variant.pk not in listed_de
        assert statuses(client, partner, variant) == (404, 404)
        assert searched(client, partner, "unreviewed") == []


def assert_seen_inside_the_source_audience_only(client, source, variant, audience):
    variant.refresh_from_db()
    assert variant.live is True
    assert variant.live_revision.object_id == str(variant.pk)
    assert set(variant.partner_types.all()) == set(audience["partner_types"])
    assert set(variant.regions.all()) == set(audience["regions"])
    inside, outside = audience["inside"], audience["outside"]
    assert seen_by(client, inside) == ({source.pk, variant.pk}, {variant.pk})
    assert statuses(client, inside, variant) == (200, 200)
    assert translations_listed(client, inside, source) == [{"id": variant.pk, "locale": "de"}]
    assert variant.versions.count() == 1
    assert searched(client, inside, "unreviewed") == [variant.pk]
    assert seen_by(client, outside) == (set(), set())
    assert statuses(client, outside, variant) == (404, 404)
    assert searched(client, outside, "unreviewed") == []


def test_a_translation_waits_in_the_reviewers_queue_and_nobody_sees_it(
    client, editor, translator, moderator, german, audience, live_source
):
    save_unreviewed_draft(client, editor, live_source)

    submit_translation(client, translator, live_source, german)

    variant = variant_of(live_source, german)
    assert_unpublished_variant(variant, translator=translator, audience=audience)
    state = variant.current_workflow_state
    assert state is not None and state.workflow.name == "Marketing review"
    assert state.requested_by == translator
    assert state.current_task_state.revision == variant.latest_revision
    assert variant.lifecycle_state == "in review"
    # The source itself is untouched: still live as it was, with its own audience.
    live_source.refresh_from_db()
    assert live_source.live and live_source.title == "Deck"
    assert_nobody_sees(client, variant, audience)
    assert seen_by(client, audience["inside"]) == ({live_source.pk}, {live_source.pk})
    client.force_login(moderator)
    assert "Deck, unreviewed" in client.get(reverse("wagtailadmin_home")).content.decode()

    state.current_task_state.approve(user=moderator)

    assert_seen_inside_the_source_audience_only(client, live_source, variant, audience)


def test_without_a_workflow_the_translation_is_a_draft_until_published(
    client, editor, translator, german, audience, live_source, no_workflow
):
    save_unreviewed_draft(client, editor, live_source)

    submit_translation(client, translator, live_source, german)

    variant = variant_of(live_source, german)
    assert_unpublished_variant(variant, translator=translator, audience=audience)
    assert variant.current_workflow_state is None
    assert variant.lifecycle_state == "draft"
    client.force_login(editor)
    history = client.get(reverse("wagtailsnippets_cms_asset:history", args=[variant.pk])).content.decode()
    assert "Copied for translation from Deck (English)" in history
    assert_nobody_sees(client, variant, audience)

    variant.latest_revision.publish(user=editor)

    assert_seen_inside_the_source_audience_only(client, live_source, variant, audience)


def test_translating_an_imported_asset_gives_the_variant_a_key_of_its_own(client, translator, german, french):
    source = AssetFactory(key="deck", title="Deck", live=True)
    AssetFactory(key="deck--de", title="Another deck, imported under the key a translation would take")

    submit_translation(client, translator, source, german, french)

    assert variant_of(source, german).key == "deck--de-2"
    assert variant_of(source, french).key == "deck--fr"
    assert Asset.objects.get(pk=source.pk).key == "deck"


def test_translating_an_asset_without_a_key_leaves_the_variant_without_one(client, translator, german):
    source = AssetFactory(title="Deck", live=True)

    submit_translation(client, translator, source, german)

    assert variant_of(source, german).key is None


def test_a_source_the_rules_no_longer_accept_is_still_translated_into_a_draft(client, translator, german):
    # Its owner left the staff since: the draft variant keeps the owner for the reviewer to change.
    former_editor = get_user_model().objects.create_user("gone", "gone@vendor.test", "pw", is_staff=True)
    source = AssetFactory(key="old-deck", title="Deck", live=True, owner=former_editor)
    former_editor.is_staff = False
    former_editor.save()

    submit_translation(client, translator, source, german)

    variant = variant_of(source, german)
    assert variant.live is False and variant.key == "old-deck--de"
    assert variant.revisions.count() == 1
