"""Language variants of assets: partners get their own language first and the default otherwise."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

from wagtail.models import Locale

import pytest

from cms.factories import AssetFactory
from cms.models import Asset
from partners.factories import PartnerFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def german():
    return Locale.objects.get_or_create(language_code="de")[0]


def variant_of(source, locale, **kwargs):
    return AssetFactory(translation_key=source.translation_key, locale=locale, **kwargs)


def titles(user, language):
    return sorted(Asset.objects.visible_to(user).localized_for(user, language).values_list("title", flat=True))


def test_own_language_first_then_the_default(german):
    deck = AssetFactory(title="Deck")
    variant_of(deck, german, title="Präsentation")
    AssetFactory(title="English only")
    user = partner_user()
    assert titles(user, "de") == ["English only", "Präsentation"]
    assert titles(user, "en") == ["Deck", "English only"]
    assert titles(user, "ja") == ["Deck", "English only"]  # no Japanese: the default language
    assert titles(user, None) == ["Deck", "English only", "Präsentation"]  # no preference: everything


def test_a_variant_the_user_may_not_see_never_hides_the_default(german):
    gold = TierFactory(key="gold", rank=30)
    silver = TierFactory(key="silver", rank=20)
    deck = AssetFactory(title="Deck")
    variant_of(deck, german, title="Präsentation (Gold)", min_tier=gold)
    silver_user = partner_user(partner=PartnerFactory(tier=silver))
    gold_user = partner_user(partner=PartnerFactory(tier=gold))
    assert titles(silver_user, "de") == ["Deck"]
    assert titles(gold_user, "de") == ["Präsentation (Gold)"]


def test_variant_only_in_another_language_is_still_shown(german):
    AssetFactory(title="Nur Deutsch", locale=german)
    user = partner_user()
    assert titles(user, "fr") == ["Nur Deutsch"]


def run(tmp_path, data):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data))
    call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())


def test_importer_links_variants_by_translation_of(tmp_path):
    data = {
        "assets": [
            {"key": "deck", "title": "Deck", "type": "link", "url": "https://example.com/en", "state": "live"},
            {
                "key": "deck-de",
                "title": "Präsentation",
                "type": "link",
                "url": "https://example.com/de",
                "state": "live",
                "locale": "de",
                "translation_of": "deck",
            },
        ]
    }
    run(tmp_path, data)
    deck, deck_de = Asset.objects.get(key="deck"), Asset.objects.get(key="deck-de")
    assert deck.translation_key == deck_de.translation_key
    assert (deck.locale.language_code, deck_de.locale.language_code) == ("en", "de")
    run(tmp_path, data)  # idempotent
    assert Asset.objects.count() == 2


@pytest.mark.parametrize(
    "variant, fragment",
    [
        ({"locale": "xx", "translation_of": "deck"}, "'xx' is not a content language"),
        ({"locale": "de", "translation_of": "nope"}, "unknown asset 'nope'"),
        ({"translation_of": "deck"}, "a language variant needs its locale"),
        ({"locale": "en", "translation_of": "deck"}, "translation_key"),
    ],
)
def test_bad_variants_write_nothing(tmp_path, variant, fragment):
    data = {
        "assets": [
            {"key": "deck", "title": "Deck", "type": "link", "url": "https://example.com/en"},
            {"key": "deck-x", "title": "X", "type": "link", "url": "https://example.com/x", **variant},
        ]
    }
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, data)
    assert fragment in str(excinfo.value).replace("Translation key", "translation_key")
    assert not Asset.objects.exists()
