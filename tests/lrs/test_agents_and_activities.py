"""``/xapi/agents`` (the Person of an agent, Communication §2.4) and ``/xapi/activities`` (an Activity with its
canonical definition, §2.5, merged from the statements that carried one)."""

import pytest

from lrs.agents import agent_for_user
from lrs.factories import client_credential, launch_credential, statement
from lrs.models import ActivityDefinition
from partners.factories import partner_user

pytestmark = pytest.mark.django_db

AU = "https://partnerhub.test/packages/7/au-1"


def defined(agent, activity, definition, **extra):
    body = statement(agent, activity=activity, **extra)
    body["object"]["definition"] = definition
    return body


def test_a_learner_gets_their_own_person_with_their_name_and_no_email(xapi):
    user = partner_user(user__first_name="Ann", user__last_name="Lee")
    ann = launch_credential(user)
    response = xapi.document("agents", ann, "GET", agent=ann.agent)
    assert response.status_code == 200
    assert response.json() == {"objectType": "Person", "name": ["Ann Lee"], "account": [ann.agent["account"]]}
    assert response["ETag"].startswith('"') and response["X-Experience-API-Version"] == "1.0.3"
    assert user.email.encode() not in response.content


def test_a_reporting_client_gets_any_agents_person_even_unknown_ones(xapi):
    reporter = client_credential()
    stranger = {"objectType": "Agent", "name": "Bo", "mbox": "mailto:bo@example.test"}
    response = xapi.document("agents", reporter, "GET", agent=stranger)
    assert response.json() == {"objectType": "Person", "name": ["Bo"], "mbox": ["mailto:bo@example.test"]}
    writer = client_credential(scopes=["statements/write"], name="Importer")
    assert xapi.document("agents", writer, "GET", agent=stranger).status_code == 403


def test_agents_parameters(xapi):
    reporter = client_credential()
    assert xapi.document("agents", reporter, "GET").status_code == 400
    group = {"objectType": "Group", "mbox": "mailto:team@example.test"}
    assert xapi.document("agents", reporter, "GET", agent=group).status_code == 400
    assert xapi.document("agents", reporter, "GET", agent={"mbox": "mailto:a@x.test"}, since="x").status_code == 400
    assert xapi.document("agents", reporter, "PUT", body=b"{}", agent={"mbox": "mailto:a@x.test"}).status_code == 405


def test_the_activity_definition_is_merged_from_statements(xapi):
    writer = client_credential(scopes=["statements/write"], name="Importer")
    reporter = client_credential()
    activity = "https://partnerhub.test/activities/q1"
    first = defined(
        None,
        activity,
        {"name": {"en-US": "Question 1"}, "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
         "extensions": {"https://x.test/a": 1}},
    )  # fmt: skip
    second = defined(
        None,
        activity,
        {"name": {"de-DE": "Frage 1"}, "description": {"en-US": "Which verb?"}, "extensions": {"https://x.test/b": 2}},
    )
    assert xapi.post(writer, [first, second]).status_code == 200
    response = xapi.document("activities", reporter, "GET", activityId=activity)
    assert response.status_code == 200 and response["ETag"]
    assert response.json() == {
        "objectType": "Activity",
        "id": activity,
        "definition": {
            "name": {"en-US": "Question 1", "de-DE": "Frage 1"},
            "description": {"en-US": "Which verb?"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "extensions": {"https://x.test/a": 1, "https://x.test/b": 2},
        },
    }
    # A later statement changes one language of the name, the rest stays.
    assert xapi.post(writer, defined(None, activity, {"name": {"en-US": "Q1"}})).status_code == 200
    assert xapi.document("activities", reporter, "GET", activityId=activity).json()["definition"]["name"] == {
        "en-US": "Q1",
        "de-DE": "Frage 1",
    }


def test_context_activities_and_activities_without_a_definition(xapi):
    writer = client_credential(scopes=["statements/write"], name="Importer")
    reporter = client_credential()
    body = statement(activity="https://partnerhub.test/activities/plain")
    body["context"] = {"contextActivities": {"parent": {"id": AU, "definition": {"name": {"en": "AU one"}}}}}
    assert xapi.post(writer, body).status_code == 200
    plain = xapi.document("activities", reporter, "GET", activityId="https://partnerhub.test/activities/plain")
    assert plain.json() == {"objectType": "Activity", "id": "https://partnerhub.test/activities/plain"}
    parent = xapi.document("activities", reporter, "GET", activityId=AU)
    assert parent.json()["definition"] == {"name": {"en": "AU one"}}
    assert xapi.document("activities", reporter, "GET", activityId="https://partnerhub.test/never").status_code == 404
    assert xapi.document("activities", reporter, "GET").status_code == 400
    assert xapi.document("activities", reporter, "GET", activityId="not an iri").status_code == 400
    writer_only = client_credential(scopes=["statements/write"], name="Writer")
    assert xapi.document("activities", writer_only, "GET", activityId=AU).status_code == 403


def test_a_learners_statements_define_no_shared_activity(xapi):
    """One learner cannot rename what every learner's records show: their definitions stay in their statements."""
    reporter = client_credential()
    writer = client_credential(scopes=["statements/write"], name="Importer")
    xapi.post(writer, defined(None, AU + "/q1", {"name": {"en": "Question 1"}}))
    ann = launch_credential(partner_user(), activity_id=AU)
    own = defined(ann.agent, AU + "/q1", {"name": {"en": "Visit https://evil.example to finish"}})
    new = defined(ann.agent, AU + "/q2", {"name": {"en": "Mine"}})
    assert xapi.post(ann, [own, new]).status_code == 200
    assert xapi.document("activities", reporter, "GET", activityId=AU + "/q1").json()["definition"] == {
        "name": {"en": "Question 1"}
    }
    assert not ActivityDefinition.objects.filter(activity_id=AU + "/q2").exists()
    assert "definition" not in xapi.document("activities", reporter, "GET", activityId=AU + "/q2").json()


def test_a_learner_reads_activities_within_its_reach_only(xapi):
    writer = client_credential(scopes=["statements/write"], name="Importer")
    xapi.post(writer, defined(None, AU, {"name": {"en": "AU"}}))
    xapi.post(writer, defined(None, "https://partnerhub.test/other", {"name": {"en": "Other"}}))
    ann = launch_credential(partner_user(), activity_id=AU)
    assert xapi.document("activities", ann, "GET", activityId=AU).status_code == 200
    assert xapi.document("activities", ann, "GET", activityId="https://partnerhub.test/other").status_code == 404
    # Without an activity of its own: the activities its own statements mention.
    bob = launch_credential(partner_user())
    assert xapi.document("activities", bob, "GET", activityId=AU).status_code == 404
    xapi.post(bob, statement(bob.agent, activity=AU))
    assert xapi.document("activities", bob, "GET", activityId=AU).json()["definition"] == {"name": {"en": "AU"}}


def test_query_counts(xapi, django_assert_max_num_queries):
    user = partner_user()
    ann = launch_credential(user, activity_id=AU)
    xapi.post(ann, defined(ann.agent, AU, {"name": {"en": "AU"}}))
    with django_assert_max_num_queries(6):
        assert xapi.document("activities", ann, "GET", activityId=AU).status_code == 200
    with django_assert_max_num_queries(6):
        assert xapi.document("agents", ann, "GET", agent=agent_for_user(user)).status_code == 200
