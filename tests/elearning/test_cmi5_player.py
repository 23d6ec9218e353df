"""The cmi5 player page, relaunch and done page, and the leak matrix through the player and the LRS: another
learner's token, credential, statements and state; expired launches; query counts."""

import json
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.utils import timezone

import pytest
import time_machine

from elearning.cmi5.launch import cmi5_launch_start
from elearning.factories import PackageFactory
from elearning.models import Cmi5Session, PackageLaunch
from lrs.models import Credential
from partners.factories import partner_user

from .cmi5_au import Au

pytestmark = pytest.mark.django_db


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture
def ann():
    return partner_user()


@pytest.fixture
def bob():
    return partner_user()


@pytest.fixture
def package():
    return PackageFactory(standard="cmi5")


@pytest.fixture
def au(client, django_capture_on_commit_callbacks):
    def make(session, token):
        return Au(client, session, token, django_capture_on_commit_callbacks).start()

    return make


def test_the_player_frames_the_au_at_its_launch_url_with_no_script_of_ours(ann, package, client):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    response = client.get(f"/learn/cmi5/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    tags = Tags(html)
    (frame,) = tags.find("iframe")
    assert frame["src"].startswith(f"http://testserver/learn/play/{token}/content/au/index.html?endpoint=")
    assert "registration=" + str(session.registration.registration) in frame["src"]
    assert tags.find("script") == [] and "style=" not in html
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0] if "script-src" in policy else True
    assert "frame-src 'self'" in policy
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_own_window_aus_open_in_the_whole_window(ann, client):
    package = PackageFactory(standard="cmi5", sample={"launch_method": "OwnWindow"})
    _session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    tags = Tags(client.get(f"/learn/cmi5/{token}/").content.decode())
    assert tags.find("iframe") == []
    (link,) = [attrs for attrs in tags.find("a") if attrs.get("id") == "cmi5-open"]
    assert link["target"] == "_top" and "fetch=" in link["href"]


def test_once_the_au_fetched_its_token_the_page_offers_a_new_launch_that_keeps_the_registration(
    ann, package, client, au
):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    au(session, token)
    page = client.get(f"/learn/cmi5/{token}/")
    tags = Tags(page.content.decode())
    assert tags.find("iframe") == []
    (form,) = tags.find("form")
    assert form["action"] == f"/learn/cmi5/{token}/launch" and form["method"] == "post"
    response = client.post(f"/learn/cmi5/{token}/launch")
    assert response.status_code == 303
    new = Cmi5Session.objects.exclude(pk=session.pk).get()
    assert new.registration_id == session.registration_id
    assert response["Location"].startswith("/learn/cmi5/") and token not in response["Location"]
    assert client.get(f"/learn/cmi5/{token}/").status_code == 404  # the old launch is revoked


def test_the_done_page_shows_the_attempt(ann, package, client, au):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    client_au = au(session, token)
    client_au.send(client_au.initialized(), client_au.completed(), client_au.passed(1.0), client_au.terminated())
    page = client.get(f"/learn/cmi5/{token}/done/")
    assert page.status_code == 200
    assert "Passed" in page.content.decode() and "100%" in page.content.decode()


# --- leak matrix ---------------------------------------------------------------------------------------------


def test_another_users_token_an_unknown_or_expired_one_is_404_at_the_player(ann, bob, package, client):
    _session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    client.force_login(bob)
    for path in (f"/learn/cmi5/{token}/", f"/learn/cmi5/{token}/done/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/learn/cmi5/{token}/launch").status_code == 404
    client.logout()
    assert client.get("/learn/cmi5/unknown-token/").status_code == 404
    PackageLaunch.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/learn/cmi5/{token}/").status_code == 404
    assert client.get(f"/learn/play/{token}/content/au/index.html").status_code == 404


def test_a_learners_credential_reaches_neither_anothers_statements_nor_their_state(ann, bob, package, au, client):
    session_a, token_a = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    a = au(session_a, token_a)
    sent = a.initialized()
    assert a.send(sent).status_code == 200
    session_b, token_b = cmi5_launch_start(user=bob, package=package, context="lesson:1")
    b = au(session_b, token_b)
    listed = client.get("/xapi/statements", **b.headers).json()["statements"]
    assert listed and all(s["actor"] == b.actor for s in listed)
    assert client.get("/xapi/statements", {"statementId": sent["id"]}, **b.headers).status_code == 404
    by_agent = client.get("/xapi/statements", {"agent": json.dumps(a.actor)}, **b.headers).json()["statements"]
    assert by_agent == []
    assert client.get("/xapi/activities/state", a.state_query(), **b.headers).status_code == 404
    # Bob's credential cannot write as Ann, nor into Ann's registration.
    forged = a.statement("http://adlnet.gov/expapi/verbs/answered", defined=False)
    response = client.post("/xapi/statements", json.dumps(forged), content_type="application/json", **b.headers)
    assert response.status_code == 403


def test_an_expired_launch_gives_no_token_and_its_credential_nothing(ann, package, au, client):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    a = au(session, token)
    Credential.objects.filter(cmi5_session=session).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/xapi/statements", **a.headers).status_code == 401
    query = urlencode(a.state_query())
    assert client.get(f"/xapi/activities/state?{query}", **a.headers).status_code == 401


def test_query_counts_of_the_player_and_a_statement(ann, package, client, au, django_assert_max_num_queries):
    session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1")
    with django_assert_max_num_queries(8):
        assert client.get(f"/learn/cmi5/{token}/").status_code == 200
    a = au(session, token)
    with django_assert_max_num_queries(30):
        assert a.send(a.initialized()).status_code == 200


def test_relaunching_from_the_player_never_outlives_the_first_launchs_cap(ann, package, client, settings):
    """A relaunch from inside the player is not a new authorisation: after the cap, only the portal (the audience
    rule, the enrolment) launches again."""
    settings.PARTNERHUB_LAUNCH_SECONDS = 3600
    settings.PARTNERHUB_LAUNCH_MAX_SECONDS = 3 * 3600
    start = timezone.now()
    _session, token = cmi5_launch_start(user=ann, package=package, context="lesson:1", now=start)
    for step in range(1, 4):  # every 50 minutes, as a script keeping a tab alive would
        with time_machine.travel(start + timedelta(minutes=50 * step), tick=False):
            response = client.post(f"/learn/cmi5/{token}/launch")
            assert response.status_code == 303
            token = response["Location"].split("/")[3]
    latest = PackageLaunch.objects.get(revoked_at__isnull=True)
    assert latest.created_at == start and latest.expires_at <= start + timedelta(hours=3)
    with time_machine.travel(start + timedelta(hours=3, minutes=1), tick=False):
        assert client.post(f"/learn/cmi5/{token}/launch").status_code == 404
        assert client.get(f"/learn/cmi5/{token}/").status_code == 404
