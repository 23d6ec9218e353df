"""cmi5's learner preferences (cmi5 §11): the hub writes ``cmi5LearnerPreferences`` to the learner's Agent Profile
at their first launch, from the language they chose on the hub; the AU reads it with its launch credential (and may
change it), another learner's AU cannot see it, and a later launch keeps what is there."""

import json

import pytest

from accounts.preferences import preferences_update
from elearning.cmi5.launch import cmi5_launch_start
from elearning.cmi5.preferences import LEARNER_PREFERENCES, language_tag
from elearning.factories import PackageFactory
from lrs.agents import agent_for_user
from lrs.models import AgentProfileDocument
from lrs.selectors import agent_profile_get
from partners.factories import partner_user

from .cmi5_au import Au

pytestmark = pytest.mark.django_db


@pytest.fixture
def package():
    return PackageFactory(standard="cmi5", title="cmi5 essentials")


@pytest.fixture
def au(client, django_capture_on_commit_callbacks):
    def make(session, token):
        return Au(client, session, token, django_capture_on_commit_callbacks).start()

    return make


def read_preferences(au_client, agent=None):
    query = {"agent": json.dumps(agent or au_client.actor), "profileId": LEARNER_PREFERENCES}
    return au_client.client.get("/xapi/agents/profile", query, **au_client.headers)


def stored(user) -> dict:
    return json.loads(bytes(agent_profile_get(agent=agent_for_user(user), profile_id=LEARNER_PREFERENCES).content))


@pytest.mark.parametrize(("code", "tag"), [("en", "en"), ("pt-br", "pt-BR"), ("de", "de"), ("zh-hant", "zh-Hant")])
def test_language_tags_are_rfc_5646(code, tag):
    assert language_tag(code) == tag


def test_the_first_launch_writes_the_learners_language_and_the_au_reads_it(package, au):
    ann = partner_user()
    preferences_update(user=ann, language="pt-br")
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    assert stored(ann) == {"languagePreference": "pt-BR", "audioPreference": "on"}
    response = read_preferences(au(session, token))
    assert response.status_code == 200
    assert response.json() == {"languagePreference": "pt-BR", "audioPreference": "on"}
    assert response["ETag"]


def test_a_learner_without_a_chosen_language_gets_the_hubs(package, settings):
    settings.LANGUAGE_CODE = "en"
    bob = partner_user()
    cmi5_launch_start(user=bob, package=package, context="lesson:1")
    assert stored(bob) == {"languagePreference": "en", "audioPreference": "on"}


def test_the_au_may_change_them_and_a_later_launch_keeps_them(package, au):
    ann = partner_user()
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    client = au(session, token)
    query = json.dumps(client.actor)
    response = client.client.post(
        f"/xapi/agents/profile?profileId={LEARNER_PREFERENCES}&agent={query}",
        b'{"audioPreference": "off"}',
        content_type="application/json",
        **client.headers,
    )
    assert response.status_code == 204
    preferences_update(user=ann, language="de")
    cmi5_launch_start(user=ann, package=package, context="lesson:1")
    assert stored(ann) == {"languagePreference": "en", "audioPreference": "off"}
    assert AgentProfileDocument.objects.count() == 1


def test_another_learners_au_cannot_read_them(package, au):
    ann, bob = partner_user(), partner_user()
    cmi5_launch_start(user=ann, package=package, context="lesson:1")
    session, token = cmi5_launch_start(user=bob, package=package, context="lesson:1")
    bobs_au = au(session, token)
    assert read_preferences(bobs_au, agent=agent_for_user(ann)).status_code == 404
    assert read_preferences(bobs_au).status_code == 200
