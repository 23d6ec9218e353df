"""GET statements (Communication §2.1.3): filters, order, limit, ``more`` paging, formats, the consistent-through
header, and a fixed number of queries per page."""

import uuid
from datetime import timedelta

from django.utils import timezone

import pytest

from lrs.factories import client_credential, statement
from lrs.models import Statement

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ACT_A = "https://partnerhub.test/activities/a"
ACT_B = "https://partnerhub.test/activities/b"
ANN = {"objectType": "Agent", "mbox": "mailto:ann@example.test"}
BOB = {"objectType": "Agent", "mbox": "mailto:bob@example.test"}


@pytest.fixture
def reporter(db):
    return client_credential()


@pytest.fixture
def writer(db):
    return client_credential(scopes=["all"], name="LMS")


def ids_of(response):
    assert response.status_code == 200, response.content
    return [s["id"] for s in response.json()["statements"]]


def test_an_empty_query_answers_an_empty_result(xapi, reporter):
    response = xapi.get(reporter)
    assert response.json() == {"statements": [], "more": ""}
    consistent = response["X-Experience-API-Consistent-Through"]
    assert abs(timezone.datetime.fromisoformat(consistent) - timezone.now()) < timedelta(minutes=1)


def test_filters(xapi, writer, reporter):
    registration = uuid.uuid4()
    s1 = statement(ANN, verb=COMPLETED, activity=ACT_A, registration=registration)
    s2 = statement(BOB, verb=COMPLETED, activity=ACT_B)
    s3 = statement(ANN, verb=PASSED, activity=ACT_B, context={"contextActivities": {"parent": [{"id": ACT_A}]}})
    s4 = statement(BOB, verb=PASSED, activity=ACT_A, context={"instructor": ANN})
    s5 = statement({"objectType": "Group", "member": [ANN, BOB]}, verb=PASSED, activity=ACT_B)
    s6 = statement(BOB) | {"object": ANN}
    ref = statement(BOB, verb="https://v.test/commented") | {"object": {"objectType": "StatementRef", "id": s1["id"]}}
    for sent in (s1, s2, s3, s4, s5, s6, ref):
        assert xapi.post(writer, sent).status_code == 200
    assert set(ids_of(xapi.get(reporter, agent=ANN))) == {s1["id"], s3["id"], s5["id"], s6["id"], ref["id"]}
    assert set(ids_of(xapi.get(reporter, agent=ANN, related_agents="true"))) == {
        s1["id"], s3["id"], s4["id"], s5["id"], s6["id"], ref["id"]
    }  # fmt: skip
    assert set(ids_of(xapi.get(reporter, verb=COMPLETED))) == {s1["id"], s2["id"], ref["id"]}
    assert set(ids_of(xapi.get(reporter, activity=ACT_A))) == {s1["id"], s4["id"], ref["id"]}
    assert set(ids_of(xapi.get(reporter, activity=ACT_A, related_activities="true"))) == {
        s1["id"], s3["id"], s4["id"], ref["id"]
    }  # fmt: skip
    assert set(ids_of(xapi.get(reporter, registration=str(registration)))) == {s1["id"], ref["id"]}
    assert set(ids_of(xapi.get(reporter, agent=ANN, verb=PASSED, activity=ACT_B))) == {s3["id"], s5["id"]}
    # Each filter may be met through the reference's target: Bob's comment on Ann's completion matches both.
    assert set(ids_of(xapi.get(reporter, verb=COMPLETED, agent=BOB))) == {s2["id"], ref["id"]}
    # Time filters apply to the referring statement itself.
    Statement.objects.filter(id=s1["id"]).update(stored=timezone.now() - timedelta(days=1))
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert set(ids_of(xapi.get(reporter, activity=ACT_A, since=since))) == {s4["id"], ref["id"]}


def test_since_until_ascending_and_limit(xapi, writer, reporter):
    sent = [statement(ANN) for _ in range(5)]
    for n, body in enumerate(sent):
        xapi.post(writer, body)
        Statement.objects.filter(id=body["id"]).update(stored=timezone.now() - timedelta(minutes=10 - n))
    stored = {str(s.id): s.stored for s in Statement.objects.all()}
    ids = [s["id"] for s in sent]
    assert ids_of(xapi.get(reporter)) == ids[::-1]  # newest first
    assert ids_of(xapi.get(reporter, ascending="true")) == ids
    since = stored[ids[1]].isoformat()
    until = stored[ids[3]].isoformat()
    assert ids_of(xapi.get(reporter, since=since)) == ids[:1:-1]  # since is exclusive
    assert ids_of(xapi.get(reporter, until=until)) == ids[3::-1]  # until is inclusive
    assert ids_of(xapi.get(reporter, since=since, until=until, ascending="true")) == ids[2:4]
    response = xapi.get(reporter, limit=2)
    assert ids_of(response) == ids[:2:-1][:2]
    assert response.json()["more"].startswith("/xapi/statements?more=")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "-1"},
        {"limit": "x"},
        {"ascending": "yes"},
        {"since": "yesterday"},
        {"verb": "completed"},
        {"agent": "not json"},
        {"agent": '{"name": "no ifi"}'},
        {"agent": '{"objectType": "Group", "member": [{"mbox": "mailto:a@b.test"}]}'},
        {"registration": "nope"},
        {"format": "pretty"},
        {"Verb": COMPLETED},
        {"unknown": "1"},
        {"statementId": str(uuid.uuid4()), "voidedStatementId": str(uuid.uuid4())},
        {"statementId": str(uuid.uuid4()), "verb": COMPLETED},
        {"more": "forged"},
    ],
)
def test_bad_query_parameters_are_400(xapi, reporter, params):
    assert xapi.get(reporter, **params).status_code == 400


def test_more_links_walk_every_statement_exactly_once_and_only_for_their_credential(xapi, writer, reporter):
    sent = [statement(ANN, verb=COMPLETED) for _ in range(23)] + [statement(BOB, verb=PASSED) for _ in range(4)]
    assert xapi.post(writer, sent).status_code == 200
    for ascending in ("false", "true"):
        seen, pages = [], 0
        response = xapi.get(reporter, verb=COMPLETED, limit=5, ascending=ascending, format="ids")
        while True:
            pages += 1
            seen += ids_of(response)
            more = response.json()["more"]
            if not more:
                break
            response = xapi.follow(reporter, more)
        assert pages == 5
        expected = [s["id"] for s in sent[:23]]
        assert seen == (expected if ascending == "true" else expected[::-1])
    first = xapi.get(reporter, verb=COMPLETED, limit=5).json()
    other = client_credential()
    assert xapi.follow(other, first["more"]).status_code == 403
    tampered = first["more"][:-3] + ("AAA" if not first["more"].endswith("AAA") else "BBB")
    assert xapi.follow(reporter, tampered).status_code == 400


def test_every_page_costs_the_same_number_of_queries(xapi, writer, reporter, django_assert_max_num_queries):
    xapi.post(writer, [statement(ANN, verb=COMPLETED) for _ in range(30)])
    # 1 credential + 1 last-use touch at most + 1 page.
    with django_assert_max_num_queries(3):
        first = xapi.get(reporter, verb=COMPLETED, agent=ANN, limit=10)
    with django_assert_max_num_queries(3):
        second = xapi.follow(reporter, first.json()["more"])
    with django_assert_max_num_queries(3):
        xapi.follow(reporter, second.json()["more"])
    with django_assert_max_num_queries(3):
        xapi.get(reporter, limit=100, activity=ACT_A, related_activities="true", related_agents="true", agent=ANN)


def test_formats_ids_exact_and_canonical(xapi, writer, reporter, django_assert_max_num_queries):
    sent = statement(
        ANN | {"name": "Ann"},
        object={
            "id": ACT_A,
            "definition": {"name": {"en-US": "Course", "de": "Kurs"}, "description": {"en-US": "About", "de": "Über"}},
        },
    )
    sent["verb"]["display"] = {"en-US": "completed", "de": "abgeschlossen"}
    xapi.post(writer, sent)
    exact = xapi.get(reporter, statementId=sent["id"]).json()
    assert exact["object"] == sent["object"] and exact["actor"]["name"] == "Ann"
    ids = xapi.get(reporter, statementId=sent["id"], format="ids").json()
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:ann@example.test"}
    assert ids["verb"] == {"id": sent["verb"]["id"]}
    assert ids["object"] == {"objectType": "Activity", "id": ACT_A}
    canonical = xapi.get(
        reporter, statementId=sent["id"], format="canonical", headers={"HTTP_ACCEPT_LANGUAGE": "de-DE, en;q=0.5"}
    ).json()
    assert canonical["verb"]["display"] == {"de": "abgeschlossen"}
    assert canonical["object"]["definition"]["name"] == {"de": "Kurs"}
    # A later statement renames the course in German: canonical answers give every statement the LRS's definition.
    renamed = statement(ANN, object={"id": ACT_A, "definition": {"name": {"de": "Der Kurs"}}})
    xapi.post(writer, renamed)
    for params in ({"statementId": sent["id"]}, {"activity": ACT_A}):
        response = xapi.get(reporter, format="canonical", headers={"HTTP_ACCEPT_LANGUAGE": "de"}, **params).json()
        for found in response.get("statements", [response]):
            assert found["object"]["definition"] == {"name": {"de": "Der Kurs"}, "description": {"de": "Über"}}
    assert xapi.get(reporter, statementId=sent["id"]).json()["object"] == sent["object"]  # exact: as sent
    with django_assert_max_num_queries(4):
        xapi.get(reporter, activity=ACT_A, format="canonical")


def test_attachments_true_answers_multipart(xapi, writer, reporter):
    sent = statement(ANN)
    xapi.post(writer, sent)
    response = xapi.get(reporter, attachments="true")
    assert response["Content-Type"].startswith("multipart/mixed; boundary=")
    assert sent["id"].encode() in response.content
    assert xapi.get(reporter)["Content-Type"] == "application/json"
