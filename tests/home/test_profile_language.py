"""A user's language (Profile): the pages and the content variants follow it; others get their browser's.

The API stays in ``LANGUAGE_CODE`` (its ``locale`` parameter is the contract), and the Wagtail admin keeps its own
language preference.
"""

from django.test import Client

from wagtail.models import Locale
from wagtail.users.models import UserProfile

import pytest

from accounts.models import UserPreferences
from accounts.preferences import preferences_update
from cms.factories import AssetFactory
from cms.selectors import assets_for_partner
from partners.factories import partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def lang_of(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_choosing_german_makes_the_next_page_german(client, member):
    assert lang_of(client.get("/profile/")) == "en"
    response = client.post("/profile/language/", {"language": "de"})
    assert response.status_code == 302 and response.url == "/profile/"
    assert UserPreferences.objects.get(user=member).language == "de"

    for path in ("/", "/profile/", "/links/"):
        response = client.get(path)
        assert lang_of(response) == "de", path
        assert response["Content-Language"] == "de"
        assert response.wsgi_request.LANGUAGE_CODE == "de"
    # The UI's strings follow: a field's error from Django's own German catalogue.
    page = client.post("/profile/tokens/", {"name": "", "expires_in_days": "30"}).content.decode()
    assert "Dieses Feld muss ausgefüllt werden." in page
    # The select shows the choice; back to the browser's language.
    assert '<option value="de" selected>Deutsch</option>' in client.get("/profile/").content.decode()
    client.post("/profile/language/", {"language": ""})
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


def test_my_language_beats_the_browser_s_and_follows_me_to_a_new_sign_in(client, member):
    client.post("/profile/language/", {"language": "ja"})
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr,en;q=0.5")) == "ja"
    elsewhere = Client()
    elsewhere.force_login(member)
    assert lang_of(elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "ja"


def test_a_change_reaches_my_other_sessions_at_once(member):
    laptop, phone = Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    assert lang_of(phone.get("/links/")) == "en"
    laptop.post("/profile/language/", {"language": "de"})
    assert lang_of(phone.get("/links/")) == "de"


def test_visitors_and_users_without_a_choice_get_their_browser_s_language(client, member):
    assert lang_of(Client().get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "de"
    assert lang_of(client.get("/links/", HTTP_ACCEPT_LANGUAGE="es")) == "es"
    assert lang_of(client.get("/links/")) == "en"  # nothing asked: the default


@pytest.mark.parametrize("language", ["xx", "de-at", "<script>"])
def test_a_language_the_hub_does_not_have_is_400_and_nothing_changes(client, member, language):
    preferences_update(user=member, language="fr")
    response = client.post("/profile/language/", {"language": language})
    assert response.status_code == 400 and "nothing was saved" in response.content.decode()
    assert UserPreferences.objects.get(user=member).language == "fr"


def test_the_content_variant_follows_my_language(client, member):
    german = Locale.objects.get_or_create(language_code="de")[0]
    deck = AssetFactory(title="Sales deck")
    AssetFactory(title="Verkaufspräsentation", translation_key=deck.translation_key, locale=german)
    AssetFactory(title="English only")

    def titles(request):
        assets = assets_for_partner(user=member, locale=request.LANGUAGE_CODE)
        return sorted(assets.values_list("title", flat=True))

    assert titles(client.get("/links/").wsgi_request) == ["English only", "Sales deck"]
    client.post("/profile/language/", {"language": "de"})
    assert titles(client.get("/links/").wsgi_request) == ["English only", "Verkaufspräsentation"]


def test_the_api_stays_in_its_default_language(client, member):
    client.post("/profile/language/", {"language": "de"})
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert "Content-Language" not in response and "Accept-Language" not in response.get("Vary", "")
    # A page after it is German again, an API call after a German page is not: nothing carries over.
    assert lang_of(client.get("/links/")) == "de"
    assert Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="de").wsgi_request.LANGUAGE_CODE == "en"


def test_the_wagtail_admin_keeps_its_own_language_preference(admin_user):
    staff = Client()
    staff.force_login(admin_user)
    preferences_update(user=admin_user, language="de")  # e.g. chosen before they were staff
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    assert lang_of(staff.get("/admin/")) == "fr"
    profile.preferred_language = ""
    profile.save()
    assert lang_of(staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")) == "de"  # none of its own: the user's


def test_the_language_costs_no_query_per_request(client, member, django_assert_max_num_queries):
    client.get("/links/")
    with django_assert_max_num_queries(100) as without:
        client.get("/links/")
    preferences_update(user=member, language="de")
    chooser = Client()
    chooser.force_login(member)  # reads it once, at sign-in
    with django_assert_max_num_queries(len(without)):
        assert lang_of(chooser.get("/links/")) == "de"


def test_another_user_s_choice_is_theirs_only(client, member):
    other = partner_user()
    preferences_update(user=other, language="de")
    assert lang_of(client.get("/links/")) == "en"


def test_a_request_leaves_no_language_behind_in_its_thread(client, member):
    from django.utils import translation

    client.post("/profile/language/", {"language": "de"})
    assert lang_of(client.get("/links/")) == "de"
    assert translation.get_language() == "en"
