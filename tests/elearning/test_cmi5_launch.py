"""cmi5 launch (cmi5 §8, §10): the launch URL and its parameters, the registration kept across launches,
LMS.LaunchData written before the AU starts, the LMS's "launched"/"abandoned" statements, the fetch URL."""

import json
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from elearning.cmi5 import vocabulary as v
from elearning.cmi5.launch import cmi5_launch_start
from elearning.cmi5.statements import LMS_CONTEXT
from elearning.factories import PackageFactory
from elearning.factories_runtime import launched
from elearning.models import Cmi5Registration, Cmi5Session, PackageAttempt, PackageLaunch
from lrs.models import Credential, StateDocument, Statement
from partners.factories import partner_user

from .cmi5_au import Au

pytestmark = pytest.mark.django_db
AU_ID = "https://partnerhub.example/xapi/courses/cmi5-essentials/au-1"


@pytest.fixture
def ann():
    return partner_user(user__first_name="Ann", user__email="ann@example.test")


@pytest.fixture
def package():
    return PackageFactory(standard="cmi5", title="cmi5 essentials", sample={"launch_parameters": "level=2"})


@pytest.fixture
def au(client, django_capture_on_commit_callbacks):
    def make(session, token):
        return Au(client, session, token, django_capture_on_commit_callbacks)

    return make


def test_the_launch_url_carries_the_five_parameters_and_points_at_the_au_on_the_hubs_origin(ann, package, au):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    url = au(session, token).url
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert parts.scheme + "://" + parts.netloc == "http://testserver"
    assert parts.path == f"/learn/play/{token}/content/au/index.html"
    assert set(query) == {"endpoint", "fetch", "actor", "registration", "activityId"}
    assert query["endpoint"] == "http://testserver/xapi/"
    assert query["fetch"] == f"http://testserver/learn/cmi5/{token}/fetch"
    actor = json.loads(query["actor"])
    assert actor["objectType"] == "Agent" and set(actor) == {"objectType", "account"}
    assert actor["account"]["name"] == str(ann.pk) and "ann@" not in url and "mbox" not in url
    assert query["registration"] == str(session.registration.registration)
    assert query["activityId"] == session.activity_id != AU_ID  # generated, never the publisher's id (§8.1.5)
    assert "%7B%22objectType%22" in url  # the actor is URL-encoded JSON


def test_the_registration_stays_across_launches_each_launch_gets_its_own_session_and_launch_data(ann, package, au):
    first, first_token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    first_au = au(first, first_token).start()
    second, second_token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    assert second.registration_id == first.registration_id
    assert second.activity_id == first.activity_id
    assert second.session_id != first.session_id
    assert PackageAttempt.objects.count() == 1 and Cmi5Registration.objects.count() == 1
    second_au = au(second, second_token).start()
    template = second_au.launch_data["contextTemplate"]
    assert template["extensions"][v.EXT_SESSION] == str(second.session_id)
    assert StateDocument.objects.filter(state_id="LMS.LaunchData").count() == 1  # rewritten, not added
    # The first session was still open: abandoned by the LMS (§9.3.6), its credential and launch revoked.
    first.refresh_from_db()
    assert first.abandoned_at is not None
    abandoned = Statement.objects.get(verb_id=v.ABANDONED)
    assert abandoned.payload["context"]["extensions"][v.EXT_SESSION] == str(first.session_id)
    assert abandoned.payload["result"]["duration"].startswith("PT")
    assert first_au.read_launch_data().status_code == 401
    assert PackageLaunch.objects.get(pk=first.launch_id).revoked_at is not None


def test_a_retake_is_a_new_attempt_with_a_new_registration(ann, package):
    first, _token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    retake, _token = cmi5_launch_start(user=ann, package=package, context="lesson:7", new_attempt=True)
    assert retake.launch.attempt.number == 2
    assert retake.registration.registration != first.registration.registration


def test_launch_data_is_written_before_the_au_starts_and_the_launch_credential_reads_it(ann, package, au):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7", return_url="https://portal/x")
    client = au(session, token).start()
    data = client.launch_data
    assert data["contextTemplate"] == {
        "contextActivities": {"grouping": [{"id": AU_ID}]},
        "extensions": {v.EXT_SESSION: str(session.session_id)},
    }
    assert data["launchMode"] == "Normal"
    assert data["moveOn"] == "CompletedAndPassed"
    assert data["masteryScore"] == 0.8
    assert data["launchParameters"] == "level=2"
    assert data["returnURL"] == "https://portal/x"
    # The AU may read it, never change it (cmi5 §10.2.1).
    response = client.client.generic(
        "PUT",
        "/xapi/activities/state?" + urlencode(client.state_query()),
        b"{}",
        content_type="application/json",
        **client.headers,
    )
    assert response.status_code == 403


def test_the_return_url_defaults_to_the_players_done_page(ann, package, au):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    data = au(session, token).start().launch_data
    assert data["returnURL"].endswith(f"/learn/cmi5/{token}/done/")


def test_the_lms_records_launched_with_the_launch_extensions_and_its_own_authority(ann, package):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    statement = Statement.objects.get(verb_id=v.LAUNCHED)
    payload = statement.payload
    assert payload["object"]["id"] == session.activity_id
    assert payload["context"]["registration"] == str(session.registration.registration)
    assert payload["context"]["contextActivities"]["grouping"] == [{"id": AU_ID}]
    assert payload["context"]["contextActivities"]["category"] == [{"id": v.CATEGORY_CMI5}]
    extensions = payload["context"]["extensions"]
    assert extensions[v.EXT_SESSION] == str(session.session_id)
    assert extensions[v.EXT_LAUNCH_MODE] == "Normal"
    assert extensions[v.EXT_MOVE_ON] == "CompletedAndPassed"
    assert extensions[v.EXT_MASTERY] == 0.8
    assert extensions[v.EXT_LAUNCH_PARAMETERS] == "level=2"
    assert extensions[v.EXT_LAUNCH_URL].endswith("/learn/play/_/content/au/index.html")
    assert token not in json.dumps(payload)  # no launch token in the LRS
    assert statement.credential.context == LMS_CONTEXT
    assert payload["authority"]["account"]["name"] == statement.credential.key


def test_only_cmi5_packages_with_their_own_aus_launch_and_nothing_is_written_otherwise(ann, package):
    scorm = PackageFactory(standard="scorm12")
    with pytest.raises(ValidationError):
        cmi5_launch_start(user=ann, package=scorm, context="lesson:7")
    with pytest.raises(ValidationError):
        cmi5_launch_start(user=ann, package=package, context="lesson:7", unit="https://elsewhere/au")
    with pytest.raises(ValidationError):
        cmi5_launch_start(user=ann, package=package, context="lesson:7", launch_mode="Sideways")
    assert not PackageAttempt.objects.exists() and not Statement.objects.exists()
    assert not StateDocument.objects.exists() and not Cmi5Session.objects.exists()


# --- the fetch URL (§8.2) ------------------------------------------------------------------------------------


def test_the_fetch_url_gives_the_token_once_then_error_1(ann, package, au, client):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    first = au(session, token).fetch()
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert set(first.json()) == {"auth-token"}
    assert not first.cookies
    second = client.post(f"/learn/cmi5/{token}/fetch")
    assert second.status_code == 200
    assert second.json()["error-code"] == "1"
    assert client.get(f"/learn/cmi5/{token}/fetch").status_code == 405
    credential = Credential.objects.get(cmi5_session=session)
    assert credential.user == ann and credential.registration == session.registration.registration
    assert credential.activity_id == session.activity_id and credential.secret_hash not in first.json()["auth-token"]
    assert credential.expires_at <= session.launch.created_at + timedelta(hours=12)


def test_the_fetch_url_answers_2_for_an_unknown_token_1_for_an_ended_launch_3_for_a_scorm_launch(ann, package, client):
    assert client.post("/learn/cmi5/not-a-token/fetch").json()["error-code"] == "2"
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    PackageLaunch.objects.filter(pk=session.launch_id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(f"/learn/cmi5/{token}/fetch").json()["error-code"] == "1"
    _session, relaunched = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    _newer, _token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    assert client.post(f"/learn/cmi5/{relaunched}/fetch").json()["error-code"] == "1"  # revoked by a later launch
    _launch, scorm_token = launched(ann, PackageFactory(standard="scorm12"))
    assert client.post(f"/learn/cmi5/{scorm_token}/fetch").json()["error-code"] == "3"
    assert not Credential.objects.exclude(context=LMS_CONTEXT).exists()


def test_another_signed_in_user_gets_error_2_from_the_fetch_url(ann, package, client):
    _session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    client.force_login(partner_user())
    assert client.post(f"/learn/cmi5/{token}/fetch").json()["error-code"] == "2"


def test_an_expired_credential_is_refused_with_401(ann, package, au):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    client = au(session, token).start()
    Credential.objects.filter(cmi5_session=session).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.read_launch_data().status_code == 401
    assert client.send(client.initialized()).status_code == 401
    assert not Statement.objects.filter(verb_id=v.INITIALIZED).exists()


def test_query_counts_of_launch_and_fetch(ann, package, au, django_assert_max_num_queries):
    cmi5_launch_start(user=ann, package=package, context="lesson:7")
    with django_assert_max_num_queries(50):
        session, token = cmi5_launch_start(user=ann, package=package, context="lesson:7")
    client = au(session, token)
    with django_assert_max_num_queries(12):
        client.fetch()
    assert uuid.UUID(client.params["registration"])
