"""The portal speaks German as a proof of its i18n: complete catalogues (nothing untranslated or fuzzy,
placeholders kept) for the portal, the package player, certificates/transcripts and cms's partner-facing words,
compiled from their source,
and pages that come out in German for a user who chose it."""

import re
from pathlib import Path

from django.conf import settings

import polib
import pytest

from accounts.preferences import preferences_update
from partners.factories import partner_user

#: Each app whose strings a learner or partner sees, with how many strings it has at least (not a handful).
CATALOGUES = {"home": 400, "elearning": 25, "certifications": 50, "cms": 10}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


def folder(app):
    return Path(settings.BASE_DIR) / app / "locale" / "de" / "LC_MESSAGES"


def source(app):
    return polib.pofile(str(folder(app) / "django.po"))


@pytest.mark.parametrize("app", CATALOGUES)
def test_every_string_learners_see_is_translated_into_german(app):
    catalogue = source(app)
    assert catalogue.percent_translated() == 100, [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries(), [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert len(catalogue) > CATALOGUES[app]


@pytest.mark.parametrize("app", CATALOGUES)
def test_translations_keep_every_placeholder(app):
    for entry in source(app).translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for translation in translations:
            found = sorted(PLACEHOLDER.findall(translation))
            # A singular may say "one" instead of its count; it never brings a placeholder of its own.
            assert set(found) <= set(expected) and (found == expected or entry.msgid_plural), (
                entry.msgid,
                translation,
            )


@pytest.mark.parametrize("app", CATALOGUES)
def test_the_compiled_catalogue_is_the_source(app):
    compiled = {(entry.msgid, entry.msgid_plural): entry for entry in polib.mofile(str(folder(app) / "django.mo"))}
    for entry in source(app).translated_entries():
        built = compiled.get((entry.msgid, entry.msgid_plural))
        assert built is not None, f"not compiled (run `make messages`): {entry.msgid!r}"
        if entry.msgid_plural:
            assert {int(k): v for k, v in built.msgstr_plural.items()} == {
                int(k): v for k, v in entry.msgstr_plural.items()
            }
        else:
            assert built.msgstr == entry.msgstr, f"compiled catalogue is stale (run `make messages`): {entry.msgid!r}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "german"),
    [
        ("/", "Bibliothek"),
        ("/library/", "Bibliothek"),
        ("/programs/", "Programme"),
        ("/bulletins/", "Mitteilungen"),
        ("/learning/", "Kurs"),
        ("/certifications/", "Zertifizierungen"),
        ("/links/", "Links"),
        ("/profile/", "Sprache"),
    ],
)
def test_a_partner_user_who_chose_german_gets_the_portal_in_german(client, path, german):
    user = partner_user()
    preferences_update(user=user, language="de")
    client.force_login(user)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in page
    assert german in page
    assert "Skip to content" not in page and "Sign out" not in page  # the layout's own strings too
