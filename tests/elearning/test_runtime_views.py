"""The player, its package files and its commits over HTTP: authorised by the launch token alone (404 otherwise),
bad CMI answered 400 with the element, the files' headers and policy, and a fixed number of queries."""

import json
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.preferences import preferences_update
from elearning.factories import PackageFactory
from elearning.factories_runtime import commit_12, commit_2004, launched
from elearning.models import PackageLaunch, ScoRuntime
from elearning.services.runtime import launch_revoke, launch_url
from elearning.views.player import TOKEN_HEADER
from partners.factories import partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    return partner_user(user__first_name="Ann", user__last_name="Doe")


@pytest.fixture
def scorm12():
    return PackageFactory(standard="scorm12", title="Security basics")


@pytest.fixture
def scorm2004():
    return PackageFactory(standard="scorm2004", title="Selling with partners", sample={"scos": 3})


def commit_url(token, unit="item-1", terminate=False):
    url = reverse("elearning:commit", kwargs={"token": token}) + f"?unit={unit}"
    return url + ("&terminate=true" if terminate else "")


def post_commit(client, token, cmi, *, unit="item-1", terminate=False, header=True):
    headers = {TOKEN_HEADER: token} if header else {}
    return client.post(
        commit_url(token, unit, terminate), json.dumps({"cmi": cmi}), content_type="application/json", headers=headers
    )


def config_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="player-config" type="application/json">') + len(
        '<script id="player-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


# --- the player page ---------------------------------------------------------------------------------------


def test_the_player_needs_no_session_and_hands_scorm_again_the_stored_cmi(ann, scorm12, django_assert_max_num_queries):
    _, token = launched(ann, scorm12)
    client = Client()  # another device: no hub session, only the link
    with django_assert_max_num_queries(6):
        response = client.get(launch_url(token))
    assert response.status_code == 200
    config = config_of(response)
    assert config["standard"] == "scorm12" and config["unit"] == "item-1"
    assert config["cmi"]["core"]["student_name"] == "Doe, Ann" and config["cmi"]["core"]["entry"] == "ab-initio"
    assert config["commitUrl"] == commit_url(token)
    html = response.content.decode()
    assert "vendor/scorm-again/3.4.3/scorm12.min.js" in html and "elearning/player.js" in html
    assert f'data-src="/learn/play/{token}/content/index.html"' in html
    assert "<h1>Security basics</h1>" in html


def test_the_players_policy_allows_no_inline_script_and_frames_only_the_hub(ann, scorm12):
    _, token = launched(ann, scorm12)
    response = Client().get(launch_url(token))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN" and response["Referrer-Policy"] == "no-referrer"
    assert "<script>" not in response.content.decode() and " style=" not in response.content.decode()


def test_front_ends_named_in_settings_may_frame_the_player(ann, scorm12, settings):
    settings.PARTNERHUB_PLAYER_FRAME_ANCESTORS = ["https://partners.example.com"]
    _, token = launched(ann, scorm12)
    response = Client().get(launch_url(token))
    assert "frame-ancestors 'self' https://partners.example.com" in response["Content-Security-Policy"]
    assert not response.has_header("X-Frame-Options")


def test_multi_sco_2004_shows_contents_and_next_and_opens_a_chosen_sco(ann, scorm2004):
    _, token = launched(ann, scorm2004)
    response = Client().get(launch_url(token))
    html = response.content.decode()
    assert "Part 1 of 3: Know your partner program" in html
    assert 'aria-current="step">Know your partner program' in html and "Register a deal" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    response = Client().get(launch_url(token, unit="item-3"))
    assert response.status_code == 200 and config_of(response)["unit"] == "item-3"
    assert "Part 3 of 3" in response.content.decode()
    assert Client().get(launch_url(token, unit="nope")).status_code == 404


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked", "another user signed in", "inactive"])
def test_a_token_that_is_not_live_or_not_mine_is_404_everywhere(ann, scorm12, case):
    launch, token = launched(ann, scorm12)
    client = Client()
    if case == "unknown":
        token = token[:-4] + "AAAA"
    elif case == "expired":
        PackageLaunch.objects.filter(pk=launch.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        launch_revoke(launch=launch)
    elif case == "another user signed in":
        client.force_login(partner_user())
    elif case == "inactive":
        ann.is_active = False
        ann.save()
    assert client.get(launch_url(token)).status_code == 404
    assert client.get(reverse("elearning:content", kwargs={"token": token, "path": "index.html"})).status_code == 404
    assert post_commit(client, token, {}).status_code == 404
    assert not ScoRuntime.objects.exists()


def test_the_learners_own_session_is_welcome(ann, scorm12):
    _, token = launched(ann, scorm12)
    client = Client()
    client.force_login(ann)
    assert client.get(launch_url(token)).status_code == 200


# --- commits ------------------------------------------------------------------------------------------------


def test_a_commit_is_stored_and_answered_as_scorm_again_expects(ann, scorm12, django_assert_max_num_queries):
    launch, token = launched(ann, scorm12)
    cmi = commit_12(launch, core={"lesson_status": "incomplete", "lesson_location": "q1", "exit": "suspend"})
    client = Client()
    with django_assert_max_num_queries(12):
        response = post_commit(client, token, cmi)
    assert response.status_code == 200
    assert response.json() == {
        "result": True,
        "errorCode": 0,
        "attempt": {"completion_status": "incomplete", "success_status": "unknown", "score_percent": None},
    }
    row = ScoRuntime.objects.get()
    assert row.location == "q1" and row.cmi == cmi and row.in_session
    response = post_commit(client, token, commit_12(launch, core={"session_time": "00:00:05"}), terminate=True)
    row.refresh_from_db()
    assert response.status_code == 200 and not row.in_session and row.total_seconds == 5


def test_a_commit_without_the_token_header_is_404_even_with_the_token_in_the_address(ann, scorm12):
    launch, token = launched(ann, scorm12)
    client = Client()
    assert post_commit(client, token, commit_12(launch), header=False).status_code == 404
    response = client.post(
        commit_url(token),
        json.dumps({"cmi": commit_12(launch)}),
        content_type="application/json",
        headers={TOKEN_HEADER: "x"},
    )
    assert response.status_code == 404
    assert not ScoRuntime.objects.exists()


def test_bad_cmi_is_400_naming_the_element_and_changes_nothing(ann, scorm2004):
    launch, token = launched(ann, scorm2004)
    client = Client()
    response = post_commit(client, token, commit_2004(launch, suspend_data="x" * 64001))
    assert response.status_code == 400
    assert response.json()["element"] == "cmi.suspend_data" and response.json()["result"] is False
    assert response.json()["errorCode"] == 391
    response = client.post(
        commit_url(token), "not json", content_type="application/json", headers={TOKEN_HEADER: token}
    )
    assert response.status_code == 400
    response = post_commit(client, token, commit_2004(launch), unit="item-9")
    assert response.status_code == 404
    assert not ScoRuntime.objects.exists()


def test_a_commit_refreshes_the_launchs_expiry(ann, scorm12, settings):
    settings.PARTNERHUB_LAUNCH_SECONDS = 600
    launch, token = launched(ann, scorm12)
    PackageLaunch.objects.filter(pk=launch.pk).update(expires_at=timezone.now() + timedelta(seconds=100))
    assert post_commit(Client(), token, commit_12(launch)).status_code == 200
    launch.refresh_from_db()
    assert launch.expires_at > timezone.now() + timedelta(seconds=500)


# --- the package's files --------------------------------------------------------------------------------------


def content(client, token, path, **headers):
    return client.get(f"/learn/play/{token}/content/{path}", headers=headers)


def test_package_files_are_served_through_the_launch_with_their_type_and_policy(
    ann, scorm12, django_assert_max_num_queries
):
    _, token = launched(ann, scorm12)
    client = Client()
    with django_assert_max_num_queries(3):
        response = content(client, token, "index.html")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"<!DOCTYPE html>")
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "SAMEORIGIN"
    assert "private" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy and "'unsafe-eval'" in policy
    assert "frame-ancestors 'self'" in policy and "frame-src 'self'" in policy and "connect-src 'self'" in policy
    assert "https:" not in policy and "*" not in policy
    assert content(client, token, "sco.js")["Content-Type"].startswith("text/javascript")


@pytest.mark.parametrize(
    "path",
    ["../imsmanifest.xml", "%2e%2e/%2e%2e/etc/passwd", "a/../../x", "..%2fx", "%2fetc/passwd", "nope.html", "."],
)
def test_paths_outside_the_package_or_missing_files_are_404(ann, scorm12, path):
    _, token = launched(ann, scorm12)
    assert content(Client(), token, path).status_code == 404


def test_range_requests_get_part_of_a_file(ann, scorm12):
    _, token = launched(ann, scorm12)
    client = Client()
    whole = b"".join(content(client, token, "sco.js").streaming_content)
    response = content(client, token, "sco.js", Range="bytes=3-9")
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 3-9/{len(whole)}"
    assert b"".join(response.streaming_content) == whole[3:10]
    response = content(client, token, "sco.js", Range="bytes=-5")
    assert b"".join(response.streaming_content) == whole[-5:]
    assert content(client, token, "sco.js", Range=f"bytes={len(whole)}-").status_code == 416


def test_a_learner_who_chose_german_gets_the_player_in_german(ann, scorm2004):
    preferences_update(user=ann, language="de")
    _, token = launched(ann, scorm2004)
    client = Client()
    client.force_login(ann)
    html = client.get(launch_url(token)).content.decode()
    assert '<html lang="de">' in html
    assert "Teil 1 von 3: Know your partner program" in html and ">Weiter</a>" in html and ">Beenden</a>" in html
